"""pbs_datastore execution module through real Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _ds(sim, name):
    return sim.state.file("datastore.cfg").props(name)


@pytest.fixture
def ds(pbs_modules):
    return pbs_modules.pbs_datastore


def test_create_get_list_update_delete(ds, pbs_simulator, tmp_path):
    path = str(tmp_path / "store1")
    assert ds.get("store1") is None
    created = ds.create("store1", path=path, gc_schedule="daily", notify={"gc": "error"})
    assert created["name"] == "store1"
    assert created["path"] == path
    assert _ds(pbs_simulator, "store1")["notify"] == "gc=error"
    # create is a PBS task: the module waited for it
    statuses = [
        e
        for e in pbs_simulator.exchanges()
        if e["method"] == "GET" and e["path"].endswith("/status")
    ]
    assert statuses and statuses[-1]["response"]["data"]["status"] == "stopped"

    assert [d["name"] for d in ds.list()] == ["store1"]
    assert ds.get("store1")["gc-schedule"] == "daily"

    updated = ds.update("store1", comment="hello", gc_schedule=None)
    assert updated["comment"] == "hello" and "gc-schedule" not in updated
    stored = _ds(pbs_simulator, "store1")
    assert stored["comment"] == "hello" and "gc-schedule" not in stored

    ds.delete("store1")
    assert _ds(pbs_simulator, "store1") is None
    assert ds.get("store1") is None


def test_delete_options_travel_as_query(ds, pbs_simulator, tmp_path):
    ds.create("store1", path=str(tmp_path / "s"))
    pbs_simulator.clear_exchanges()
    ds.delete("store1", destroy_data=True, keep_job_configs=True)
    (delete,) = writes(pbs_simulator.exchanges())
    assert delete["method"] == "DELETE"
    assert sorted(delete["query"]) == [["destroy-data", "1"], ["keep-job-configs", "1"]]


def test_update_refuses_create_only_and_keep(ds, pbs_simulator, tmp_path):
    ds.create("store1", path=str(tmp_path / "s"))
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match="path"):
        ds.update("store1", path="/elsewhere")
    with pytest.raises(SaltInvocationError, match="pbs_prune_job"):
        ds.update("store1", keep_last=3)
    assert writes(pbs_simulator.exchanges()) == []


@pytest.mark.parametrize(
    "name,props,field",
    [
        ("ab", {"path": "/srv/x"}, "name"),
        ("store1", {"path": "relative"}, "path"),
        ("store1", {"path": "/srv/x", "colour": "blue"}, "colour"),
        ("store1", {"path": "/srv/x", "gc_schedule": "25:00"}, "gc_schedule"),
        ("store1", {"path": "/srv/x", "verify_new": "perhaps"}, "verify_new"),
        ("store1", {"comment": "no path"}, "path"),
    ],
)
def test_create_bad_input_sends_nothing(ds, pbs_simulator, name, props, field):
    with pytest.raises(SaltInvocationError, match=field):
        ds.create(name, **props)
    assert pbs_simulator.exchanges() == []


def test_errors_are_pbs_exceptions(ds, pbs_simulator, tmp_path):
    ds.create("store1", path=str(tmp_path / "s"))
    with pytest.raises(CommandExecutionError, match="already exists"):
        ds.create("store1", path=str(tmp_path / "t"))
    with pytest.raises(CommandExecutionError, match="does not exist|not found"):
        ds.delete("nostore")


def test_status_and_usage(ds, pbs_simulator, tmp_path):
    ds.create("store1", path=str(tmp_path / "s"))
    status = ds.status("store1")
    assert {"total", "used", "avail"} <= set(status)
    usage = ds.usage()
    assert [u["store"] for u in usage] == ["store1"]


def test_gc_start_and_status(ds, pbs_simulator, tmp_path):
    ds.create("store1", path=str(tmp_path / "s"))
    final = ds.gc_start("store1", wait=True)
    assert final["status"] == "stopped" and final["exitstatus"] == "OK"
    upid = ds.gc_start("store1")
    assert upid.startswith("UPID:") and ":garbage_collection:" in upid
    assert isinstance(ds.gc_status("store1"), dict)


def test_verify_and_prune_start(ds, pbs_simulator, tmp_path):
    ds.create("store1", path=str(tmp_path / "s"))
    assert ds.verify_start("store1", ignore_verified=True, outdated_after=30).startswith("UPID:")
    final = ds.prune_start("store1", keep_last=2, dry_run=True, wait=True)
    assert final["exitstatus"] == "OK"
    with pytest.raises(SaltInvocationError, match="keep_fortnightly"):
        ds.prune_start("store1", keep_fortnightly=1)
