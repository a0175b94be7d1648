"""pbs_sync_job states through Salt loaders against the simulated PBS. Results are checked
in the simulator's config files and request log; ``stores`` and ``testmode`` come from this
directory's conftest.
"""

import pytest

from tests.support.helpers import configure_pbs
from tests.support.helpers import writes
from tests.support.kinds import api_requests

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _job(sim, cfg, name):
    return sim.state.file(cfg).props(name)


PUSH = {
    "sync_direction": "push",
    "store": "store1",
    "remote": "offsite",
    "remote_store": "drs",
    "group_filter": ["type:vm", "include:type:ct"],
    "schedule": "mon..fri 22:00",
    "rate_out": "20MB",
    "verified_only": True,
}


def test_push_job_created_and_never_looks_absent(pbs_states, pbs_simulator, stores, testmode):
    ret = pbs_states.pbs_sync_job.present(name="push-dr", test=testmode, **PUSH)
    assert ret.changes["old"] is None
    assert ret.changes["new"]["group_filter"] == ["type:ct", "type:vm"]
    assert ret.changes["new"]["rate_out"] == "20 MB"
    if testmode:
        assert ret.result is None
        assert writes(pbs_simulator.exchanges()) == []
        assert _job(pbs_simulator, "sync.cfg", "push-dr") is None
        return
    assert ret.result is True, ret.comment
    stored = _job(pbs_simulator, "sync.cfg", "push-dr")
    assert stored["sync-direction"] == "push" and stored["rate-out"] == "20 MB"
    # steady state: one list (asking for all directions), nothing else; list order free
    pbs_simulator.clear_exchanges()
    again = pbs_states.pbs_sync_job.present(
        name="push-dr", **{**PUSH, "group_filter": ["type:ct", "type:vm"], "rate_out": "20 MB"}
    )
    assert again.result is True and again.changes == {}, again.comment
    assert api_requests(pbs_simulator, ("method", "path", "query")) == [
        ("GET", "/api2/json/config/sync", [["sync-direction", "all"]])
    ]


def test_one_field_change_and_clear(pbs_states, pbs_simulator, stores, testmode):
    base = {"store": "store1", "remote": "offsite", "remote_store": "src", "comment": "a"}
    assert pbs_states.pbs_sync_job.present(name="pull-1", schedule="hourly", **base).result
    pbs_simulator.clear_exchanges()
    ret = pbs_states.pbs_sync_job.present(
        name="pull-1", test=testmode, **{**base, "comment": "b", "schedule": None}
    )
    assert ret.changes == {
        "comment": {"old": "a", "new": "b"},
        "schedule": {"old": "hourly", "new": None},
    }
    stored = _job(pbs_simulator, "sync.cfg", "pull-1")
    if testmode:
        assert ret.result is None and writes(pbs_simulator.exchanges()) == []
        assert stored["comment"] == "a"
        return
    assert ret.result is True, ret.comment
    (put,) = writes(pbs_simulator.exchanges())
    assert put["path"] == "/api2/json/config/sync/pull-1"
    assert put["body"]["delete"] == ["schedule"] and put["body"]["comment"] == "b"
    assert len(put["body"]["digest"]) == 64
    assert stored["comment"] == "b" and "schedule" not in stored


@pytest.mark.parametrize(
    "state,props,field",
    [
        (
            "pbs_sync_job",
            {"store": "store1", "remote_store": "x1x", "transfer_last": 0},
            "transfer_last",
        ),
        (
            "pbs_sync_job",
            {"store": "store1", "remote_store": "x1x", "ns": "a/b/c/d", "max_depth": 4},
            "max_depth",
        ),
        ("pbs_sync_job", {"store": "store1", "remote_store": "x1x", "rate_in": "fast"}, "rate_in"),
    ],
)
def test_bad_input_fails_before_any_request(pbs_states, pbs_simulator, stores, state, props, field):
    ret = getattr(pbs_states, state).present(name="job-1", **props)
    assert ret.result is False
    assert field in ret.comment and "Traceback" not in ret.comment
    assert pbs_simulator.exchanges() == []


def test_absent_push_job(pbs_states, pbs_simulator, stores):
    pbs_states.pbs_sync_job.present(name="push-dr", **PUSH)
    ret = pbs_states.pbs_sync_job.absent(name="push-dr")
    assert ret.result is True and ret.changes["old"]["sync_direction"] == "push"
    assert _job(pbs_simulator, "sync.cfg", "push-dr") is None


def test_job_hidden_by_privileges_is_never_recreated(
    pbs_loaders, pbs_simulator, pbs_minion_config, stores
):
    props = {"store": "store1", "remote": "offsite", "remote_store": "src", "schedule": "daily"}
    assert pbs_loaders.states.pbs_sync_job.present(name="pull-1", **props).result is True
    # a token that may see the datastore but not the remote: PBS leaves the job out of lists
    secret = pbs_simulator.create_token("root@pam", "limited")
    pbs_simulator.add_acl("/datastore/store1", "root@pam!limited", "DatastoreAdmin")
    block = {k: v for k, v in pbs_minion_config.items() if k not in ("username", "password")}
    configure_pbs(pbs_loaders, {**block, "token_id": "root@pam!limited", "token_secret": secret})
    pbs_simulator.clear_exchanges()
    ret = pbs_loaders.states.pbs_sync_job.present(name="pull-1", **props)
    assert ret.result is False
    assert "permission" in ret.comment.lower()
    listed = [e for e in pbs_simulator.exchanges() if e["path"] == "/api2/json/config/sync"]
    assert listed and listed[0]["response"]["data"] == []
    assert writes(pbs_simulator.exchanges()) == []  # no second job, no overwrite
