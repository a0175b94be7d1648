"""pbs_sync_job execution module against the simulator.

Results are checked in the simulator's config files and request log; ``stores`` (datastores
and a remote) comes from this directory's conftest.
"""

import pytest
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _cfg(sim, name):
    return sim.state.file(name)


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
    ],
)
def test_bad_input_sends_nothing(pbs_modules, pbs_simulator, stores, module, name, props, field):
    with pytest.raises(SaltInvocationError, match=field):
        getattr(pbs_modules, module).create(name, **props)
    assert pbs_simulator.exchanges() == []


def test_status_lists_push_jobs(pbs_modules, pbs_simulator, stores):
    sync = pbs_modules.pbs_sync_job
    sync.create(
        "push-1", store="store1", remote="offsite", remote_store="drs", sync_direction="push"
    )
    assert [s["id"] for s in sync.status()] == ["push-1"]
    (status_get,) = [e for e in pbs_simulator.exchanges() if e["path"] == "/api2/json/admin/sync"]
    assert ["sync-direction", "all"] in status_get["query"]
