"""pbs_sync_job, pbs_prune_job and pbs_verify_job states through Salt loaders against the
simulated PBS. Results are checked in the simulator's config files and request log.
"""

import pytest

from tests.support.helpers import configure_pbs
from tests.support.helpers import writes
from tests.support.kinds import api_requests

pytestmark = pytest.mark.usefixtures("pbs_loaders")


@pytest.fixture(params=(False, True), ids=("live", "test"))
def testmode(request):
    return request.param


@pytest.fixture
def stores(pbs_simulator):
    ds = pbs_simulator.state.file("datastore.cfg")
    for name in ("store1", "store2"):
        ds.set(name, "datastore", {"path": f"/srv/{name}"})
    pbs_simulator.state.file("remote.cfg").set(
        "offsite", "remote", {"host": "pbs2.example.com", "auth-id": "sync@pbs", "password": "cHc="}
    )
    pbs_simulator.clear_exchanges()


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


def test_defaults_compare_equal(pbs_states, pbs_simulator, stores):
    props = {"store": "store1", "schedule": "daily", "keep_last": 2}
    assert pbs_states.pbs_prune_job.present(name="p-1", **props).result is True
    # PBS stores none of these: absent means the default
    ret = pbs_states.pbs_prune_job.present(name="p-1", disable=False, ns="", **props)
    assert ret.result is True and ret.changes == {}, ret.comment
    assert pbs_states.pbs_verify_job.present(name="v-1", store="store1").result is True
    ret = pbs_states.pbs_verify_job.present(
        name="v-1", store="store1", ignore_verified=True, max_depth=7, read_threads=1
    )
    assert ret.result is True and ret.changes == {}, ret.comment


def test_missing_datastore_fails_clearly_without_write(pbs_states, pbs_simulator, stores):
    ret = pbs_states.pbs_prune_job.present(name="p-1", store="nostore", schedule="daily")
    assert ret.result is False
    assert "'store'" in ret.comment and "datastore 'nostore' does not exist" in ret.comment
    ret = pbs_states.pbs_sync_job.present(
        name="pull-1", store="store1", remote="nowhere", remote_store="x1x"
    )
    assert ret.result is False and "remote 'nowhere' does not exist" in ret.comment
    assert writes(pbs_simulator.exchanges()) == []


def test_missing_datastore_is_only_a_note_in_test_mode(pbs_states, pbs_simulator, stores):
    # an earlier state of the same run may create the datastore: test=True must not fail
    ret = pbs_states.pbs_prune_job.present(
        name="p-1", store="nostore", schedule="daily", test=True
    )
    assert ret.result is None, ret.comment
    assert ret.changes["old"] is None and ret.changes["new"]["store"] == "nostore"
    assert "note: Invalid value for 'store': datastore 'nostore' does not exist yet" in ret.comment
    assert writes(pbs_simulator.exchanges()) == []


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
        ("pbs_prune_job", {"store": "store1", "schedule": "25:00"}, "schedule"),
        ("pbs_verify_job", {"store": "store1", "verify_threads": 99}, "verify_threads"),
        ("pbs_verify_job", {"store": "store1", "bogus": 1}, "bogus"),
    ],
)
def test_bad_input_fails_before_any_request(pbs_states, pbs_simulator, stores, state, props, field):
    ret = getattr(pbs_states, state).present(name="job-1", **props)
    assert ret.result is False
    assert field in ret.comment and "Traceback" not in ret.comment
    assert pbs_simulator.exchanges() == []


def test_absent(pbs_states, pbs_simulator, stores, testmode):
    pbs_states.pbs_verify_job.present(name="v-1", store="store1", schedule="daily")
    pbs_simulator.clear_exchanges()
    ret = pbs_states.pbs_verify_job.absent(name="v-1", test=testmode)
    assert ret.changes["new"] is None and ret.changes["old"]["schedule"] == "daily"
    if testmode:
        assert ret.result is None and writes(pbs_simulator.exchanges()) == []
        return
    assert ret.result is True, ret.comment
    assert _job(pbs_simulator, "verification.cfg", "v-1") is None
    again = pbs_states.pbs_verify_job.absent(name="v-1")
    assert again.result is True and again.changes == {}


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
