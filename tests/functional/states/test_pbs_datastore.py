"""pbs_datastore states through real Salt loaders against the simulated PBS.

Results are checked in the simulator's own state and request log, not through our code.
"""

import pytest

from tests.support.helpers import writes
from tests.support.kinds import api_requests
from tests.support.kinds import assert_all_succeeded

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _ds(sim, name):
    return sim.state.file("datastore.cfg").props(name)


@pytest.fixture(params=(False, True), ids=("live", "test"))
def testmode(request):
    return request.param


def test_present_creates(pbs_states, pbs_simulator, testmode, tmp_path):
    path = str(tmp_path / "store1")
    ret = pbs_states.pbs_datastore.present(
        name="store1",
        path=path,
        gc_schedule="daily",
        comment="main store",
        tuning={"chunk_order": "inode", "sync_level": "file"},
        test=testmode,
    )
    assert ret.changes == {
        "old": None,
        "new": {
            "name": "store1",
            "path": path,
            "gc_schedule": "daily",
            "comment": "main store",
            "tuning": {"chunk_order": "inode", "sync_level": "file"},
        },
    }
    if testmode:
        assert ret.result is None
        assert _ds(pbs_simulator, "store1") is None
        assert writes(pbs_simulator.exchanges()) == []
    else:
        assert ret.result is True, ret.comment
        stored = _ds(pbs_simulator, "store1")
        assert stored["path"] == path
        assert stored["gc-schedule"] == "daily"
        assert stored["tuning"] == "chunk-order=inode,sync-level=file"


def test_reapply_is_zero_changes_and_one_list(pbs_states, pbs_simulator, tmp_path):
    props = {"path": str(tmp_path / "s"), "gc_schedule": "daily", "verify_new": True}
    assert pbs_states.pbs_datastore.present(name="store1", **props).result is True
    pbs_simulator.clear_exchanges()
    ret = pbs_states.pbs_datastore.present(name="store1", **props)
    assert ret.result is True and ret.changes == {}, ret.comment
    assert api_requests(pbs_simulator) == [("GET", "/api2/json/config/datastore")]


def test_one_field_change_and_clear(pbs_states, pbs_simulator, tmp_path, testmode):
    path = str(tmp_path / "s")
    pbs_states.pbs_datastore.present(name="store1", path=path, comment="a", gc_schedule="daily")
    pbs_simulator.clear_exchanges()
    ret = pbs_states.pbs_datastore.present(
        name="store1", path=path, comment="b", gc_schedule=None, test=testmode
    )
    assert ret.changes == {
        "comment": {"old": "a", "new": "b"},
        "gc_schedule": {"old": "daily", "new": None},
    }
    stored = _ds(pbs_simulator, "store1")
    if testmode:
        assert ret.result is None
        assert writes(pbs_simulator.exchanges()) == []
        assert stored["comment"] == "a"
    else:
        assert ret.result is True
        (put,) = writes(pbs_simulator.exchanges())
        assert put["method"] == "PUT" and put["path"].endswith("/config/datastore/store1")
        assert put["body"]["delete"] == ["gc-schedule"]
        assert put["body"]["comment"] == "b"
        assert len(put["body"]["digest"]) == 64
        assert stored["comment"] == "b" and "gc-schedule" not in stored


def test_drift_is_reported_and_fixed(pbs_states, pbs_simulator, tmp_path):
    path = str(tmp_path / "s")
    pbs_states.pbs_datastore.present(name="store1", path=path, maintenance_mode=None)
    entry = pbs_simulator.state.file("datastore.cfg").get("store1")
    entry["maintenance-mode"] = "read-only,message=behind your back"
    ret = pbs_states.pbs_datastore.present(
        name="store1", path=path, maintenance_mode=None, test=True
    )
    assert ret.result is None
    assert ret.changes == {
        "maintenance_mode": {
            "old": {"type": "read-only", "message": "behind your back"},
            "new": None,
        }
    }
    ret = pbs_states.pbs_datastore.present(name="store1", path=path, maintenance_mode=None)
    assert ret.result is True
    assert "maintenance-mode" not in _ds(pbs_simulator, "store1")


def test_digest_race_is_replanned(pbs_states, pbs_simulator, tmp_path):
    path = str(tmp_path / "s")
    pbs_states.pbs_datastore.present(name="store1", path=path, comment="a")
    pbs_simulator.faults.digest_race("datastore.cfg")
    ret = pbs_states.pbs_datastore.present(name="store1", path=path, comment="b")
    assert ret.result is True, ret.comment
    assert _ds(pbs_simulator, "store1")["comment"] == "b"
    puts = [e for e in writes(pbs_simulator.exchanges()) if e["method"] == "PUT"]
    assert [p["status"] for p in puts] == [400, 200]


def test_config_lock_contention_fails_clearly_and_is_not_retried(
    pbs_states, pbs_simulator, tmp_path
):
    path = str(tmp_path / "s")
    pbs_states.pbs_datastore.present(name="store1", path=path, comment="a")
    pbs_simulator.clear_exchanges()
    pbs_simulator.faults.lock_contention(count=1, path_prefix="/config/datastore")
    ret = pbs_states.pbs_datastore.present(name="store1", path=path, comment="b")
    assert ret.result is False and ret.changes == {}
    # PBS's own text, on one line, with the request that failed
    assert "Unable to acquire lock" in ret.comment and "\n" not in ret.comment
    assert "PUT /config/datastore/store1" in ret.comment
    assert "Traceback" not in ret.comment
    # a write is never retried blindly: one PUT, and nothing changed
    puts = [e for e in writes(pbs_simulator.exchanges()) if e["method"] == "PUT"]
    assert [p["status"] for p in puts] == [400]
    assert _ds(pbs_simulator, "store1")["comment"] == "a"
    # the next run (lock free again) applies the change
    assert pbs_states.pbs_datastore.present(name="store1", path=path, comment="b").result is True
    assert _ds(pbs_simulator, "store1")["comment"] == "b"


def test_immutable_path_fails_without_write(pbs_states, pbs_simulator, tmp_path):
    pbs_states.pbs_datastore.present(name="store1", path=str(tmp_path / "a"))
    pbs_simulator.clear_exchanges()
    ret = pbs_states.pbs_datastore.present(name="store1", path=str(tmp_path / "b"))
    assert ret.result is False
    assert "'path' cannot be changed" in ret.comment
    assert writes(pbs_simulator.exchanges()) == []
    assert _ds(pbs_simulator, "store1")["path"] == str(tmp_path / "a")


def test_failed_create_task_reports_log(pbs_states, pbs_simulator, tmp_path):
    pbs_simulator.faults.fail_next_task("datastore path not empty", worker_type="create-datastore")
    ret = pbs_states.pbs_datastore.present(name="store1", path=str(tmp_path / "s"))
    assert ret.result is False
    assert "datastore path not empty" in ret.comment
    assert "Traceback" not in ret.comment


@pytest.mark.parametrize(
    "name,props,field",
    [
        ("x/", {"path": "/srv/x"}, "name"),
        ("store1", {"path": "relative/dir"}, "path"),
        ("store1", {"path": "/srv/x", "colour": "blue"}, "colour"),
        ("store1", {"path": "/srv/x", "keep_last": 3}, "keep_last"),
        ("store1", {"path": "/srv/x", "gc_schedule": "every day"}, "gc_schedule"),
        ("store1", {"path": "/srv/x", "verify_new": "perhaps"}, "verify_new"),
        ("store1", {"path": "/srv/x", "tuning": {"chunk_order": "random"}}, "tuning.chunk_order"),
    ],
)
def test_bad_input_fails_before_any_request(pbs_states, pbs_simulator, name, props, field):
    ret = pbs_states.pbs_datastore.present(name=name, **props)
    assert ret.result is False
    assert field in ret.comment
    assert "Traceback" not in ret.comment
    assert api_requests(pbs_simulator) == []


def test_absent(pbs_states, pbs_simulator, tmp_path, testmode):
    pbs_states.pbs_datastore.present(name="store1", path=str(tmp_path / "s"))
    pbs_simulator.clear_exchanges()
    ret = pbs_states.pbs_datastore.absent(name="store1", test=testmode)
    assert ret.changes["new"] is None
    assert ret.changes["old"]["name"] == "store1"
    if testmode:
        assert ret.result is None
        assert writes(pbs_simulator.exchanges()) == []
        assert _ds(pbs_simulator, "store1") is not None
    else:
        assert ret.result is True, ret.comment
        assert _ds(pbs_simulator, "store1") is None
        (delete,) = writes(pbs_simulator.exchanges())
        assert delete["method"] == "DELETE"
        assert "jobs" in ret.comment and "ACL" in ret.comment
    again = pbs_states.pbs_datastore.absent(name="store1")
    assert again.result is True
    assert (again.changes == {}) is (not testmode)


def test_absent_removes_jobs_unless_kept(pbs_states, pbs_simulator, tmp_path):
    for name in ("store1", "store2"):
        pbs_states.pbs_datastore.present(name=name, path=str(tmp_path / name))
    prune_cfg = pbs_simulator.state.file("prune.cfg")
    for name in ("store1", "store2"):
        pbs_simulator.add_acl(f"/datastore/{name}", "root@pam", "DatastoreAudit")
        prune_cfg.set(f"p-{name}", "prune", {"store": name, "schedule": "daily", "keep-last": 3})
    assert pbs_states.pbs_datastore.absent(name="store1").result is True
    assert pbs_states.pbs_datastore.absent(name="store2", keep_job_configs=True).result is True
    paths = {entry[0] for entry in pbs_simulator.state.acl_entries()}
    assert "/datastore/store1" not in paths
    assert "/datastore/store2" in paths
    assert prune_cfg.get("p-store1") is None
    assert prune_cfg.get("p-store2") is not None


def test_sls_in_steady_state_lists_the_kind_once(pbs_loaders, pbs_simulator, state_tree, tmp_path):
    names = ("store1", "store2", "store3")
    sls = "".join(
        f"{n}:\n  pbs_datastore.present:\n    - path: {tmp_path / n}\n    - gc_schedule: daily\n"
        for n in names
    )
    sls_file = state_tree / "pbs_ds_steady.sls"
    sls_file.write_text(sls)
    try:
        first = pbs_loaders.modules.state.apply("pbs_ds_steady")
        assert_all_succeeded(first)
        assert sorted(_ds(pbs_simulator, n)["gc-schedule"] for n in names) == ["daily"] * 3
        pbs_simulator.clear_exchanges()
        again = pbs_loaders.modules.state.apply("pbs_ds_steady")
        assert_all_succeeded(again)
        assert all(not r.changes for r in again)
        assert api_requests(pbs_simulator) == [("GET", "/api2/json/config/datastore")]
    finally:
        sls_file.unlink()
