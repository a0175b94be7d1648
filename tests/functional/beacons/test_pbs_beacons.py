"""The PBS beacons run by Salt's own beacon machinery against the simulated PBS.

``salt.beacons.Beacon.process`` is what the minion's loop calls: it validates the
configuration, adds ``_beacon_name``, calls ``beacon()`` and builds the event tags.
"""

import copy

import pytest
import salt.beacons

from saltext.pbs.simulator.endpoints import datastore as sim_datastore
from tests.support.helpers import RawApi
from tests.support.helpers import configure_pbs
from tests.support.helpers import pbs_config_for

MINION = "func-tests-minion-opts"


@pytest.fixture
def api(pbs_simulator):
    return RawApi(pbs_simulator)


@pytest.fixture
def poll(pbs_loaders):
    """``poll(config)``: one pass of the minion's beacon loop; returns (tag, data) pairs."""
    beacons = salt.beacons.Beacon(pbs_loaders.opts, pbs_loaders.modules)

    def run(config):
        events = beacons.process(copy.deepcopy(config), pbs_loaders.grains)
        return [(event["tag"], event["data"]) for event in events]

    return run


def make_store(sim, api, name):
    upid = api.post("/config/datastore", {"name": name, "path": f"/tmp/sim/{name}"})
    sim.clock.advance(5)
    assert api.get(f"/nodes/localhost/tasks/{upid}/status")["exitstatus"] == "OK"


def start_gc(sim, api, store):
    """Start a garbage collection through the plain API and let it finish."""
    upid = api.post(f"/admin/datastore/{store}/gc", {})
    sim.clock.advance(5)
    return upid


def task_queries(sim):
    path = "/api2/json/nodes/localhost/tasks"
    return [ex["query"] for ex in sim.exchanges() if ex["path"] == path]


TASKS = {"pbs_tasks": [{"types": ["garbage_collection"]}]}


def test_failed_task_fires_exactly_once(pbs_simulator, api, poll):
    make_store(pbs_simulator, api, "store1")
    pbs_simulator.faults.fail_next_task("unable to access chunk store", "garbage_collection")
    old = start_gc(pbs_simulator, api, "store1")

    # The first poll only records the mark: the failure above is history.
    assert poll(TASKS) == []

    pbs_simulator.faults.fail_next_task("disk full", "garbage_collection")
    failed = start_gc(pbs_simulator, api, "store1")
    start_gc(pbs_simulator, api, "store1")  # one that succeeds: no event
    events = poll(TASKS)
    assert events == [
        (
            f"salt/beacon/{MINION}/pbs_tasks/task/failed",
            {
                "upid": failed,
                "worker_type": "garbage_collection",
                "worker_id": "store1",
                "user": "root@pam",
                "exitstatus": "disk full",
                "starttime": events[0][1]["starttime"],
                "endtime": events[0][1]["endtime"],
                "id": MINION,
            },
        )
    ]
    # Cross-check the times against PBS's own status of the task.
    status = api.get(f"/nodes/localhost/tasks/{failed}/status")
    assert (events[0][1]["starttime"], events[0][1]["endtime"]) == (
        status["starttime"],
        status["endtime"],
    )
    old_start = api.get(f"/nodes/localhost/tasks/{old}/status")["starttime"]

    assert poll(TASKS) == []  # the next poll: nothing new

    # Errors only, bounded, and from the second poll on since the newest start seen.
    assert task_queries(pbs_simulator) == [
        [["errors", "1"], ["limit", "100"], ["typefilter", "garbage_collection"]],
        [["errors", "1"], ["limit", "100"], ["since", str(old_start)],
         ["typefilter", "garbage_collection"]],
        [["errors", "1"], ["limit", "100"], ["since", str(status["starttime"])],
         ["typefilter", "garbage_collection"]],
    ]


def test_include_history_and_type_filter(pbs_simulator, api, poll):
    make_store(pbs_simulator, api, "store1")
    pbs_simulator.faults.fail_next_task("disk full", "garbage_collection")
    failed = start_gc(pbs_simulator, api, "store1")
    pbs_simulator.faults.fail_next_task("datastore path not empty", "create-datastore")
    api.post("/config/datastore", {"name": "store2", "path": "/tmp/sim/store2"})
    pbs_simulator.clock.advance(5)

    config = {"pbs_tasks": [{"include_history": True}, {"types": ["garbage_collection"]}]}
    events = poll(config)
    assert [data["upid"] for _, data in events] == [failed]
    assert poll(config) == []

    # A second beacon from the same module keeps its own memory.
    every_type = {"pbs_tasks_all": [{"beacon_module": "pbs_tasks"}, {"include_history": True}]}
    events = poll(every_type)
    assert {tag for tag, _ in events} == {f"salt/beacon/{MINION}/pbs_tasks_all/task/failed"}
    assert sorted(data["exitstatus"] for _, data in events) == [
        "datastore path not empty",
        "disk full",
    ]
    assert poll(every_type) == []


def test_task_failing_after_a_poll_while_running_is_reported(pbs_simulator, api, poll):
    make_store(pbs_simulator, api, "store1")
    assert poll(TASKS) == []  # prime
    pbs_simulator.faults.fail_next_task("verification of chunk failed", "garbage_collection")
    upid = api.post("/admin/datastore/store1/gc", {})
    assert poll(TASKS) == []  # still running: nothing yet
    pbs_simulator.clock.advance(5)
    # Newer tasks do not push the running one out of the window.
    start_gc(pbs_simulator, api, "store1")
    assert [data["upid"] for _, data in poll(TASKS)] == [upid]
    assert poll(TASKS) == []


def test_unreachable_pbs_yields_no_events_and_no_secret_in_logs(
    pbs_loaders, pbs_simulator, poll, caplog
):
    block = pbs_config_for(pbs_simulator, url="https://127.0.0.1:9")
    configure_pbs(pbs_loaders, block)
    with caplog.at_level("DEBUG"):
        assert poll(TASKS) == []
        assert poll({"pbs_datastore_usage": []}) == []
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    expected = "pbs_tasks beacon: PBS poll failed: cannot reach PBS"
    assert any(message.startswith(expected) for message in warnings)
    assert pbs_simulator.password not in caplog.text


def test_invalid_configuration_is_refused_by_validate(pbs_simulator, poll, caplog):
    with caplog.at_level("ERROR"):
        assert poll({"pbs_datastore_usage": [{"threshold": 120}]}) == []
    assert "'threshold' must be between 0 (exclusive) and 100, got 120" in caplog.text
    assert pbs_simulator.exchanges() == []


GIB = 2**30


def set_usage(sim, store, used_gib, total_gib=1000):
    """Set a store's usage in the simulator's state (what /status/datastore-usage reports)."""
    info = sim_datastore.runtime(sim.state, store)
    info["used"], info["total"] = used_gib * GIB, total_gib * GIB


@pytest.fixture
def stores(pbs_simulator, api):
    """``stores(used1, used2)``: store1 and store2 exist, with that usage (GiB of 1000)."""

    def make(used1, used2):
        for name, used in (("store1", used1), ("store2", used2)):
            make_store(pbs_simulator, api, name)
            set_usage(pbs_simulator, name, used)

    return make


def usage_events(events):
    return [(tag.rsplit("/pbs_datastore_usage/", 1)[1], data["store"]) for tag, data in events]


def test_usage_crossing_rearm_and_recovery(pbs_simulator, api, poll, stores):
    stores(700, 100)
    config = {"pbs_datastore_usage": [{"threshold": 80}]}

    assert poll(config) == []
    set_usage(pbs_simulator, "store1", 850)
    events = poll(config)
    assert events == [
        (
            f"salt/beacon/{MINION}/pbs_datastore_usage/usage/high",
            {
                "store": "store1",
                "used": 850 * GIB,
                "total": 1000 * GIB,
                "percent": 85.0,
                "threshold": 80,
                "id": MINION,
            },
        )
    ]
    # What the event says is what PBS reports.
    reported = api.find("/status/datastore-usage", "store", "store1")
    assert (reported["used"], reported["total"]) == (850 * GIB, 1000 * GIB)

    assert poll(config) == []  # still high: once per crossing
    set_usage(pbs_simulator, "store1", 760)  # below 80 but inside the 5-point band
    assert poll(config) == []
    set_usage(pbs_simulator, "store1", 900)
    assert poll(config) == []  # never re-armed, so no second "high"
    set_usage(pbs_simulator, "store1", 740)
    assert usage_events(poll(config)) == [("usage/recovered", "store1")]
    set_usage(pbs_simulator, "store1", 810)
    set_usage(pbs_simulator, "store2", 990)
    assert usage_events(poll(config)) == [("usage/high", "store1"), ("usage/high", "store2")]


def test_usage_store_list_and_first_poll_above_threshold(poll, stores):
    stores(990, 990)
    config = {"pbs_datastore_usage": [{"stores": ["store2"]}, {"threshold": 95}]}
    assert usage_events(poll(config)) == [("usage/high", "store2")]
    assert poll(config) == []
