"""pbs_sync_job, pbs_prune_job and pbs_verify_job execution modules against the simulator.

Results are checked in the simulator's config files and request log.
"""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _cfg(sim, name):
    return sim.state.file(name)


@pytest.fixture
def stores(pbs_simulator):
    """Two datastores and a remote, written straight into the simulator's config."""
    ds = _cfg(pbs_simulator, "datastore.cfg")
    for name in ("store1", "store2"):
        ds.set(name, "datastore", {"path": f"/srv/{name}"})
    _cfg(pbs_simulator, "remote.cfg").set(
        "offsite",
        "remote",
        {"host": "pbs2.example.com", "auth-id": "sync@pbs", "password": "cHc="},
    )
    pbs_simulator.clear_exchanges()
    return ("store1", "store2")


def test_sync_job_crud_and_push_jobs_are_listed(pbs_modules, pbs_simulator, stores):
    sync = pbs_modules.pbs_sync_job
    assert sync.get("pull-1") is None
    created = sync.create(
        "pull-1",
        store="store1",
        remote="offsite",
        remote_store="backups",
        schedule="hourly",
        group_filter=["type:vm", "exclude:group:vm/100"],
        rate_in="10M",
    )
    assert created["id"] == "pull-1"
    stored = _cfg(pbs_simulator, "sync.cfg").props("pull-1")
    assert stored["remote"] == "offsite" and stored["rate-in"] == "10 MB"
    assert sorted(stored["group-filter"]) == ["exclude:group:vm/100", "type:vm"]

    sync.create(
        "push-1", store="store1", remote="offsite", remote_store="drs", sync_direction="push"
    )
    assert _cfg(pbs_simulator, "sync.cfg").props("push-1")["sync-direction"] == "push"
    # the plain PBS list would hide the push job; ours asks for all directions
    assert sorted(job["id"] for job in sync.list()) == ["pull-1", "push-1"]
    lists = [e for e in pbs_simulator.exchanges() if e["path"] == "/api2/json/config/sync"]
    assert lists and all(
        ["sync-direction", "all"] in e["query"] for e in lists if e["method"] == "GET"
    )

    updated = sync.update("pull-1", comment="nightly", schedule=None, transfer_last=3)
    assert updated["comment"] == "nightly" and "schedule" not in updated
    (put,) = [e for e in writes(pbs_simulator.exchanges()) if e["method"] == "PUT"]
    assert put["body"]["delete"] == ["schedule"]

    sync.delete("push-1")
    assert _cfg(pbs_simulator, "sync.cfg").props("push-1") is None
    assert sync.get("push-1") is None


@pytest.mark.parametrize(
    "props,field,what",
    [
        ({"store": "nostore", "remote": "offsite"}, "store", "datastore 'nostore' does not exist"),
        ({"store": "store1", "remote": "nowhere"}, "remote", "remote 'nowhere' does not exist"),
        ({"store": "store1", "remote_store": "gone"}, "remote_store", "'gone' does not exist"),
    ],
)
def test_sync_job_unknown_references_are_refused(
    pbs_modules, pbs_simulator, stores, props, field, what
):
    props = {"remote_store": "backups", **props}
    with pytest.raises(SaltInvocationError) as exc:
        pbs_modules.pbs_sync_job.create("pull-1", **props)
    assert f"'{field}'" in str(exc.value) and what in str(exc.value)
    assert writes(pbs_simulator.exchanges()) == []


def test_sync_job_update_to_unknown_remote_is_refused(pbs_modules, pbs_simulator, stores):
    pbs_modules.pbs_sync_job.create("pull-1", store="store1", remote="offsite", remote_store="b1x")
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match="remote 'nowhere' does not exist"):
        pbs_modules.pbs_sync_job.update("pull-1", remote="nowhere")
    assert writes(pbs_simulator.exchanges()) == []


@pytest.mark.parametrize(
    "module,name,props,field",
    [
        ("pbs_sync_job", "ab", {"store": "store1", "remote_store": "x1x"}, "name"),
        ("pbs_sync_job", "job1", {"store": "store1"}, "remote_store"),
        (
            "pbs_sync_job",
            "job1",
            {"store": "store1", "remote_store": "x1x", "max_depth": 9},
            "max_depth",
        ),
        (
            "pbs_sync_job",
            "job1",
            {"store": "store1", "remote_store": "x1x", "schedule": "often"},
            "schedule",
        ),
        (
            "pbs_sync_job",
            "job1",
            {"store": "store1", "remote_store": "x1x", "group_filter": ["vm"]},
            "group_filter",
        ),
        ("pbs_prune_job", "job1", {"store": "store1"}, "schedule"),
        (
            "pbs_prune_job",
            "job1",
            {"store": "store1", "schedule": "daily", "keep_last": 0},
            "keep_last",
        ),
        ("pbs_prune_job", "job1", {"store": "store1", "schedule": "daily", "colour": 1}, "colour"),
        ("pbs_verify_job", "job 1", {"store": "store1"}, "name"),
        ("pbs_verify_job", "job1", {"store": "store1", "outdated_after": -2}, "outdated_after"),
        ("pbs_verify_job", "job1", {"store": "store1", "disable": True}, "disable"),
    ],
)
def test_bad_input_sends_nothing(pbs_modules, pbs_simulator, stores, module, name, props, field):
    with pytest.raises(SaltInvocationError, match=field):
        getattr(pbs_modules, module).create(name, **props)
    assert pbs_simulator.exchanges() == []


def test_prune_and_verify_job_crud(pbs_modules, pbs_simulator, stores):
    prune = pbs_modules.pbs_prune_job
    created = prune.create("p-1", store="store1", schedule="daily", keep_last=3, keep_daily=7)
    assert created["keep-last"] == 3
    assert _cfg(pbs_simulator, "prune.cfg").props("p-1")["keep-daily"] == 7
    assert prune.update("p-1", keep_daily=None, disable=True)["disable"] is True
    assert "keep-daily" not in _cfg(pbs_simulator, "prune.cfg").props("p-1")
    assert [j["id"] for j in prune.list()] == ["p-1"]
    prune.delete("p-1")
    assert prune.get("p-1") is None

    verify = pbs_modules.pbs_verify_job
    verify.create("v-1", store="store2", schedule="sat 03:00", outdated_after=30)
    assert _cfg(pbs_simulator, "verification.cfg").props("v-1")["outdated-after"] == 30
    assert verify.update("v-1", ignore_verified=False)["ignore-verified"] is False
    verify.delete("v-1")
    assert _cfg(pbs_simulator, "verification.cfg").props("v-1") is None
    with pytest.raises(CommandExecutionError, match="does not exist|no such"):
        verify.delete("v-1")


def test_create_existing_is_a_pbs_error(pbs_modules, stores):
    pbs_modules.pbs_prune_job.create("p-1", store="store1", schedule="daily")
    with pytest.raises(CommandExecutionError, match="already exists"):
        pbs_modules.pbs_prune_job.create("p-1", store="store1", schedule="daily")


@pytest.mark.parametrize(
    "module,props,worker",
    [
        ("pbs_sync_job", {"store": "store1", "remote_store": "store2"}, "syncjob"),
        ("pbs_prune_job", {"store": "store1", "keep_last": 1}, "prunejob"),
        ("pbs_verify_job", {"store": "store1"}, "verificationjob"),
    ],
)
def test_run_now_and_status(pbs_modules, pbs_simulator, stores, module, props, worker):
    mod = getattr(pbs_modules, module)
    mod.create("job-1", schedule="daily", **props)
    upid = mod.run("job-1")
    assert upid.startswith("UPID:") and f":{worker}:" in upid
    final = mod.run("job-1", wait=True)
    assert final["status"] == "stopped" and final["exitstatus"] == "OK"
    status = mod.status("job-1")
    assert status["id"] == "job-1"
    assert status["last-run-upid"].startswith("UPID:")
    assert status["last-run-state"] == "OK"
    assert status["next-run"] > status["last-run-endtime"]  # daily: the next run is ahead
    assert [s["id"] for s in mod.status()] == ["job-1"]
    assert mod.status(store="store2") == []
    assert mod.status("nojob") is None


def test_status_lists_push_jobs(pbs_modules, pbs_simulator, stores):
    sync = pbs_modules.pbs_sync_job
    sync.create(
        "push-1", store="store1", remote="offsite", remote_store="drs", sync_direction="push"
    )
    assert [s["id"] for s in sync.status()] == ["push-1"]
    (status_get,) = [e for e in pbs_simulator.exchanges() if e["path"] == "/api2/json/admin/sync"]
    assert ["sync-direction", "all"] in status_get["query"]


def test_failed_run_raises_with_log(pbs_modules, pbs_simulator, stores):
    pbs_modules.pbs_verify_job.create("v-1", store="store1")
    pbs_simulator.faults.fail_next_task(
        "verification failed on 2 snapshots", worker_type="verificationjob"
    )
    with pytest.raises(CommandExecutionError, match="verification failed"):
        pbs_modules.pbs_verify_job.run("v-1", wait=True)
