"""The PBS beacons without a server: configuration checks and the poll bookkeeping."""

import logging

import pytest

from saltext.pbs.beacons import pbs_datastore_usage
from saltext.pbs.beacons import pbs_tasks
from saltext.pbs.utils import beacons as pbs_beacons
from saltext.pbs.utils import errors as pbs_errors
from saltext.pbs.utils.client import PbsResponse

# -------------------------------------------------------------------------- validate


@pytest.mark.parametrize(
    "config",
    [
        [],
        [{"interval": 60}, {"types": ["garbage_collection", "verificationjob"]}],
        [{"include_history": True}, {"limit": 1000}, {"profile": "backup1"}],
        [{"profile": {"url": "https://pbs:8007"}}, {"timeout": 2.5}],
        # keys Salt's beacon machinery adds or handles itself
        [{"enabled": True}, {"_beacon_name": "x"}, {"beacon_module": "pbs_tasks"}],
        {"types": ["syncjob"]},  # the older dict form
    ],
)
def test_tasks_validate_accepts(config):
    assert pbs_tasks.validate(config) == (True, "Valid beacon configuration")


@pytest.mark.parametrize(
    "config, reason",
    [
        ("types", "configuration must be a list, not str"),
        (["types"], "configuration must be a list of single-key mappings"),
        ([{"typo": 1}], "unknown key 'typo'; known keys: include_history, limit, profile"),
        ([{"threshold": 80}], "unknown key 'threshold'"),
        ([{"types": "syncjob"}], "'types' must be a non-empty list of worker types"),
        ([{"types": []}], "'types' must be a non-empty list of worker types"),
        ([{"types": ["ok", ""]}], "'types' must contain only non-empty worker types"),
        ([{"include_history": "yes"}], "'include_history' must be True or False"),
        ([{"limit": 0}], "'limit' must be between 1 (inclusive) and 1000, got 0"),
        ([{"limit": 5.5}], "'limit' must be an integer, got 5.5"),
        ([{"limit": True}], "'limit' must be an integer"),
        ([{"timeout": 0}], "'timeout' must be between 0 (exclusive) and 30"),
        ([{"timeout": 60}], "'timeout' must be between 0 (exclusive) and 30, got 60"),
        ([{"interval": -1}], "'interval' must be between 0 (exclusive)"),
        ([{"profile": 7}], "'profile' must be a profile name or a mapping, not int"),
        ([{"profile": " "}], "'profile' must not be empty"),
    ],
)
def test_tasks_validate_rejects(config, reason):
    valid, message = pbs_tasks.validate(config)
    assert valid is False
    assert message.startswith("pbs_tasks beacon: ")
    assert reason in message


@pytest.mark.parametrize(
    "config",
    [
        [],
        [{"threshold": 90}, {"hysteresis": 0}],
        [{"threshold": 100}, {"stores": ["store1", "offsite"]}],
        [{"threshold": 0.5}, {"hysteresis": 0.25}, {"interval": 300}],
    ],
)
def test_usage_validate_accepts(config):
    assert pbs_datastore_usage.validate(config) == (True, "Valid beacon configuration")


@pytest.mark.parametrize(
    "config, reason",
    [
        ([{"threshold": 0}], "'threshold' must be between 0 (exclusive) and 100, got 0"),
        ([{"threshold": 101}], "'threshold' must be between 0 (exclusive) and 100, got 101"),
        ([{"threshold": -5}], "'threshold' must be between"),
        ([{"threshold": "90%"}], "'threshold' must be a number, got '90%'"),
        ([{"hysteresis": -1}], "'hysteresis' must be between 0 (inclusive) and 100"),
        ([{"threshold": 4}], "'hysteresis' (5) must be less than 'threshold' (4)"),
        ([{"threshold": 50}, {"hysteresis": 50}], "'hysteresis' (50) must be less than"),
        ([{"stores": "store1"}], "'stores' must be a non-empty list of datastore names"),
        ([{"types": ["x"]}], "unknown key 'types'; known keys: hysteresis, profile, stores"),
    ],
)
def test_usage_validate_rejects(config, reason):
    valid, message = pbs_datastore_usage.validate(config)
    assert valid is False
    assert message.startswith("pbs_datastore_usage beacon: ")
    assert reason in message


def test_validate_never_quotes_an_inline_profile():
    secret = "s3cr3t-value"
    config = [{"profile": {"url": "https://pbs:8007", "password": secret}}, {"bogus": 1}]
    valid, message = pbs_tasks.validate(config)
    assert valid is False and "unknown key 'bogus'" in message
    assert secret not in message


# -------------------------------------------------------------------------- polls


class FakeClient:
    """Stands in for PbsClient: canned answers per path, records the queries."""

    url = "https://pbs.example:8007"
    node = "localhost"

    def __init__(self, answers):
        self.answers = answers
        self.queries = []

    @staticmethod
    def path(template, **ids):
        return template.format(**ids)

    def get(self, path, params=None):
        self.queries.append((path, dict(params or {})))
        answer = self.answers[path]
        if isinstance(answer, Exception):
            raise answer
        return PbsResponse(data=answer)


def task(number, start, status=None, wtype="garbage_collection", wid="store1"):
    item = {
        "upid": f"UPID:localhost:000004D2:0001E240:{number:08X}:{start:08X}:{wtype}:{wid}"
        ":root@pam:",
        "starttime": start,
        "worker_type": wtype,
        "worker_id": wid,
        "user": "root@pam",
    }
    if status is not None:
        item["status"] = status
        item["endtime"] = start + 5
    return item


TASKS = "/nodes/localhost/tasks"


def test_first_poll_records_the_mark_without_events():
    cli = FakeClient({TASKS: [task(2, 200, "disk full"), task(1, 100, "unknown")]})
    state = {}
    assert pbs_tasks.poll_failures(cli, state, {}) == []
    assert cli.queries == [(TASKS, {"errors": True, "limit": 100})]
    assert state["since"] == 200

    # the same two failures again (and one new in the mark's second): only the new one fires
    cli.answers[TASKS] = [task(3, 200, "bad chunk"), task(2, 200, "disk full")]
    events = pbs_tasks.poll_failures(cli, state, {})
    assert [e["upid"] for e in events] == [task(3, 200)["upid"]]
    assert cli.queries[-1] == (TASKS, {"errors": True, "limit": 100, "since": 200})
    assert pbs_tasks.poll_failures(cli, state, {}) == []


def test_include_history_fires_old_failures_oldest_first():
    cli = FakeClient({TASKS: [task(2, 200, "disk full"), task(1, 100, "unknown")]})
    events = pbs_tasks.poll_failures(cli, {}, {"include_history": True})
    assert [(e["tag"], e["exitstatus"]) for e in events] == [
        ("task/failed", "unknown"),
        ("task/failed", "disk full"),
    ]
    assert set(events[0]) == {
        "tag", "upid", "worker_type", "worker_id", "user", "exitstatus", "starttime", "endtime",
    }


def test_warnings_and_ok_are_not_failures():
    cli = FakeClient({TASKS: [task(3, 300, "WARNINGS: 2"), task(2, 200, "OK")]})
    assert pbs_tasks.poll_failures(cli, {}, {"include_history": True}) == []


def test_a_running_task_keeps_the_window_open_until_it_ends():
    state = {"primed": True, "since": 100, "newest": 100, "url": FakeClient.url}
    # errors=1 lists running tasks and tasks with warnings too
    cli = FakeClient({TASKS: [task(5, 500, "WARNINGS: 1"), task(4, 400), task(3, 300, "x")]})
    assert [e["upid"] for e in pbs_tasks.poll_failures(cli, state, {})] == [task(3, 300)["upid"]]
    assert state["since"] == 400  # not 500: the task of 400 may still fail

    cli.answers[TASKS] = [task(4, 400, "verification failed")]
    events = pbs_tasks.poll_failures(cli, state, {})
    assert [e["exitstatus"] for e in events] == ["verification failed"]
    assert state["since"] == 500


def test_types_filter_exactly_and_use_typefilter_for_one_type():
    items = [task(2, 200, "x", wtype="verificationjob"), task(1, 100, "y", wtype="verify")]
    cli = FakeClient({TASKS: items})
    events = pbs_tasks.poll_failures(
        cli, {}, {"types": ["verificationjob"], "include_history": True, "limit": 10}
    )
    assert [e["worker_type"] for e in events] == ["verificationjob"]
    assert cli.queries[0][1] == {"errors": True, "limit": 10, "typefilter": "verificationjob"}


def test_another_server_starts_afresh():
    state = {"primed": True, "since": 900, "newest": 900, "url": "https://old:8007"}
    cli = FakeClient({TASKS: [task(1, 100, "disk full")]})
    assert pbs_tasks.poll_failures(cli, state, {}) == []
    assert "since" not in cli.queries[0][1]


USAGE = "/status/datastore-usage"


def usage(store, used, total=1000, **extra):
    return {"store": store, "used": used, "total": total, "avail": total - used, **extra}


def test_usage_crossing_rearm_and_recovery():
    state = {}
    cli = FakeClient({USAGE: [usage("a", 790), usage("b", 850, **{"estimated-full-date": 17})]})
    events = pbs_datastore_usage.poll_usage(cli, state, {})
    assert events == [
        {"tag": "usage/high", "store": "b", "used": 850, "total": 1000, "percent": 85.0,
         "threshold": 80, "estimated_full_date": 17},
    ]
    steps = [
        (800, 850, ["usage/high a"]),  # a crosses, b stays high: only a fires
        (760, 760, []),  # inside the hysteresis band: nothing
        (749, 900, ["usage/recovered a"]),
        (820, 500, ["usage/high a", "usage/recovered b"]),
    ]
    for used_a, used_b, expected in steps:
        cli.answers[USAGE] = [usage("a", used_a), usage("b", used_b)]
        events = pbs_datastore_usage.poll_usage(cli, state, {})
        assert [f"{e['tag']} {e['store']}" for e in events] == expected


def test_usage_skips_unavailable_stores_and_respects_the_store_list():
    state = {"url": FakeClient.url, "high": {"a"}}
    cli = FakeClient(
        {USAGE: [{"store": "a", "error": "datastore 'a' is unavailable"}, usage("c", 999),
                 usage("d", 5, total=0)]}
    )
    assert pbs_datastore_usage.poll_usage(cli, state, {"stores": ["a", "d"]}) == []
    assert state["high"] == {"a"}  # unavailable: still high, no recovery guessed
    cli.answers[USAGE] = []
    pbs_datastore_usage.poll_usage(cli, state, {})
    assert state["high"] == set()  # the store is gone


# -------------------------------------------------------------------------- never raise


def test_run_logs_one_warning_per_failure_streak(caplog):
    state = {}
    secret = "tok-secret-123"

    def down():
        raise pbs_errors.PbsConnectionError("cannot reach PBS at https://pbs:8007: refused")

    def weird():
        raise RuntimeError(f"something with {secret}")

    with caplog.at_level(logging.DEBUG, logger="saltext.pbs.utils.beacons"):
        assert pbs_beacons.run("pbs_tasks", state, down) == []
        assert pbs_beacons.run("pbs_tasks", state, weird) == []
        assert pbs_beacons.run("pbs_tasks", state, lambda: [{"tag": "x"}]) == [{"tag": "x"}]
    levels = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert levels[0] == ("WARNING", "pbs_tasks beacon: PBS poll failed: "
                         "cannot reach PBS at https://pbs:8007: refused")
    assert levels[1] == ("DEBUG", "pbs_tasks beacon: PBS poll failed again: RuntimeError")
    assert levels[2] == ("INFO", "pbs_tasks beacon: PBS answers again")
    assert secret not in caplog.text


def test_beacon_with_broken_config_returns_no_events():
    loader = ({}, {}, {})
    assert pbs_beacons.beacon("pbs_tasks", "nonsense", loader, None) == []


@pytest.mark.parametrize(
    "module, privilege",
    [
        (pbs_tasks, "``Sys.Audit`` on ``/system/tasks``"),
        (pbs_datastore_usage, "``Datastore.Audit`` (or ``Datastore.Backup``) on"),
    ],
)
def test_docstrings_carry_events_examples_and_privileges(module, privilege):
    doc = module.__doc__
    for heading in ("Event description", "Example configuration", "Configuration reference"):
        assert f"\n{heading}\n---" in doc, heading
    assert privilege in " ".join(doc.split())
    # every key validate() accepts is documented
    for key in module.OWN_KEYS + pbs_beacons.COMMON_KEYS:
        assert f"\n{key}\n    " in doc, key
