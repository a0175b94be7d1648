"""``pbs_datastore`` states applied by a real ``salt-call --local`` against the simulator.

Results are checked through the simulator (raw API reads and its request log), not only
through what the state returns.
"""

import textwrap

import pytest

from tests.support.helpers import RawApi
from tests.support.helpers import read_request_log
from tests.support.helpers import writes

pytestmark = [pytest.mark.integration]


@pytest.fixture
def apply(salt_call_cli, state_tree, pbs_sim):
    """Write an SLS and apply it.

    Returns the single state's return and the simulator's request-log entries (the file)
    written while salt-call ran.
    """

    def run(name, body, **kwargs):
        sls = f"ds_{name.replace('-', '_')}"
        (state_tree / f"{sls}.sls").write_text(textwrap.dedent(body), encoding="utf-8")
        before = len(read_request_log(pbs_sim.request_log))
        ret = salt_call_cli.run("--local", "state.apply", sls, **kwargs)
        assert isinstance(ret.data, dict), ret.stdout + ret.stderr
        (state,) = ret.data.values()
        return state, read_request_log(pbs_sim.request_log)[before:]

    return run


@pytest.fixture
def api(pbs_sim):
    return RawApi(pbs_sim)


def _present(name, **props):
    lines = [f"{name}:", "  pbs_datastore.present:"]
    for key, value in props.items():
        lines.append(f"    - {key}: {'null' if value is None else value}")
    return "\n".join(lines) + "\n"


def test_create_then_reapply_is_idempotent(apply, api):
    state, _ = apply(
        "int-create", _present("int-create", path="/mnt/int-create", gc_schedule="daily")
    )
    assert state["result"] is True, state["comment"]
    assert state["changes"]["old"] is None
    assert state["changes"]["new"]["path"] == "/mnt/int-create"
    stored = api.get("/config/datastore/int-create")
    assert stored["path"] == "/mnt/int-create"
    assert stored["gc-schedule"] == "daily"

    state, exchanges = apply(
        "int-create", _present("int-create", path="/mnt/int-create", gc_schedule="daily")
    )
    assert state["result"] is True, state["comment"]
    assert state["changes"] == {}
    assert writes(exchanges) == []


def test_change_one_field_is_exactly_that_change(apply, api):
    base = {"path": "/mnt/int-change", "comment": "first", "gc_schedule": "daily"}
    state, _ = apply("int-change", _present("int-change", **base))
    assert state["result"] is True, state["comment"]

    state, exchanges = apply("int-change", _present("int-change", **{**base, "comment": "second"}))
    assert state["result"] is True, state["comment"]
    assert state["changes"] == {"comment": {"old": "first", "new": "second"}}
    (put,) = writes(exchanges)
    assert put["method"] == "PUT" and put["path"] == "/api2/json/config/datastore/int-change"
    assert {k: v for k, v in put["body"].items() if k != "digest"} == {"comment": "second"}
    stored = api.get("/config/datastore/int-change")
    assert (stored["comment"], stored["gc-schedule"]) == ("second", "daily")


def test_null_clears_a_field(apply, api):
    state, _ = apply(
        "int-null", _present("int-null", path="/mnt/int-null", comment="to be cleared")
    )
    assert state["result"] is True, state["comment"]

    state, exchanges = apply("int-null", _present("int-null", path="/mnt/int-null", comment=None))
    assert state["result"] is True, state["comment"]
    assert state["changes"] == {"comment": {"old": "to be cleared", "new": None}}
    (put,) = writes(exchanges)
    assert put["body"]["delete"] == ["comment"]
    assert "comment" not in api.get("/config/datastore/int-null")


def test_test_mode_reports_and_writes_nothing(apply, api):
    state, exchanges = apply("int-test", _present("int-test", path="/mnt/int-test"), test=True)
    assert state["result"] is None, state["comment"]
    assert state["changes"]
    assert writes(exchanges) == []
    assert [e for e in exchanges if e["method"] == "GET"]  # it did look
    assert api.find("/config/datastore", "name", "int-test") is None

    state, _ = apply("int-test", _present("int-test", path="/mnt/int-test", comment="a"))
    assert state["result"] is True, state["comment"]
    state, exchanges = apply(
        "int-test", _present("int-test", path="/mnt/int-test", comment="b"), test=True
    )
    assert state["result"] is None
    assert state["changes"] == {"comment": {"old": "a", "new": "b"}}
    assert writes(exchanges) == []
    assert api.get("/config/datastore/int-test")["comment"] == "a"


def test_absent_removes_and_is_idempotent(apply, api):
    state, _ = apply("int-absent", _present("int-absent", path="/mnt/int-absent"))
    assert state["result"] is True, state["comment"]

    absent = "int-absent:\n  pbs_datastore.absent: []\n"
    state, _ = apply("int-absent", absent)
    assert state["result"] is True, state["comment"]
    assert state["changes"]["new"] is None and state["changes"]["old"]["path"] == "/mnt/int-absent"
    assert api.find("/config/datastore", "name", "int-absent") is None

    state, exchanges = apply("int-absent", absent)
    assert state["result"] is True
    assert state["changes"] == {}
    assert writes(exchanges) == []


def test_unmounted_and_mounted_a_removable_store(apply, api, pbs_sim):
    pbs_sim.state.file("datastore.cfg").set(
        "int-usb", "datastore",
        {"path": "backups", "backing-device": "0c3f8a2e-1b2c-4d5e-8f90-123456789abc"},
    )
    unmounted = "int-usb:\n  pbs_datastore.unmounted:\n    - task_timeout: 60\n"
    state, exchanges = apply("int-usb", unmounted, test=True)
    assert state["result"] is None
    assert state["changes"] == {"mount_status": {"old": "mounted", "new": "notmounted"}}
    assert writes(exchanges) == []

    state, exchanges = apply("int-usb", unmounted)
    assert state["result"] is True, state["comment"]
    assert [e["path"] for e in writes(exchanges)] == ["/api2/json/admin/datastore/int-usb/unmount"]
    item = next(i for i in api.get("/admin/datastore") if i["store"] == "int-usb")
    assert item["mount-status"] == "notmounted"
    state, exchanges = apply("int-usb", unmounted)
    assert state["changes"] == {} and writes(exchanges) == []

    state, _ = apply("int-usb", "int-usb:\n  pbs_datastore.mounted: []\n")
    assert state["result"] is True, state["comment"]
    assert state["changes"] == {"mount_status": {"old": "notmounted", "new": "mounted"}}
    item = next(i for i in api.get("/admin/datastore") if i["store"] == "int-usb")
    assert item["mount-status"] == "mounted"
