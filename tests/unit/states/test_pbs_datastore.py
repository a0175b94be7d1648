"""Unit tests of the pbs_datastore state module (dunders injected, PBS faked in memory)."""

from unittest.mock import patch

import pytest

from saltext.pbs.states import pbs_datastore as state
from saltext.pbs.utils import state_run
from tests.unit.utils.fake_pbs import FakeClient

COLL = "/config/datastore"


@pytest.fixture
def fake():
    client = FakeClient()
    with patch.object(state_run, "get_client", return_value=client) as getter:
        client.getter = getter
        yield client


@pytest.fixture
def configure_loader_modules(minion_opts):
    opts = dict(minion_opts, test=False)
    return {
        state: {
            "__opts__": opts,
            "__context__": {},
            "__salt__": {"config.get": lambda *a, **k: {}, "pbs_datastore.get": None},
        }
    }


def test_virtual_needs_execution_module():
    assert state.__virtual__() == "pbs_datastore"
    with patch.dict(state.__salt__, clear=True):
        assert state.__virtual__()[0] is False


def test_present_creates_through_engine_with_profile(fake):
    ret = state.present("store1", profile="offsite", path="/mnt/store1", gc_schedule="daily")
    assert ret["result"] is True
    assert ret["changes"]["old"] is None
    assert fake.obj(COLL, "store1") == {
        "name": "store1",
        "path": "/mnt/store1",
        "gc-schedule": "daily",
    }
    assert fake.getter.call_args.args[3] == "offsite"
    # the state's own context dict holds the list cache
    assert state_run.CACHE_KEY in state.__context__


def test_present_test_mode_reads_only(fake):
    with patch.dict(state.__opts__, {"test": True}):
        ret = state.present("store1", path="/mnt/store1")
    assert ret["result"] is None
    assert ret["changes"] == {"old": None, "new": {"name": "store1", "path": "/mnt/store1"}}
    assert not fake.writes


def test_present_refuses_keep_options_before_any_request(fake):
    ret = state.present("store1", path="/mnt/store1", keep_last=3)
    assert ret["result"] is False
    assert "pbs_prune_job" in ret["comment"]
    assert fake.requests == []


def test_present_immutable_path(fake):
    fake.add(COLL, {"name": "store1", "path": "/mnt/a"})
    ret = state.present("store1", path="/mnt/b")
    assert ret["result"] is False
    assert "'path' cannot be changed" in ret["comment"]
    assert not fake.writes


def test_absent_passes_delete_options_and_names_side_effects(fake):
    fake.add(COLL, {"name": "store1", "path": "/mnt/a"})
    ret = state.absent("store1", destroy_data=True)
    assert ret["result"] is True
    assert ret["changes"]["new"] is None
    (delete,) = fake.writes
    assert delete[2]["destroy-data"] is True and "keep-job-configs" not in delete[2]
    assert "jobs" in ret["comment"] and "ACL" in ret["comment"]


def test_absent_keep_job_configs_comment(fake):
    fake.add(COLL, {"name": "store1", "path": "/mnt/a"})
    ret = state.absent("store1", keep_job_configs=True)
    assert fake.writes[0][2] == {"keep-job-configs": True, "digest": fake.writes[0][2]["digest"]}
    assert "kept" in ret["comment"]


def test_absent_bad_option_type(fake):
    ret = state.absent("store1", destroy_data="maybe")
    assert ret["result"] is False and "destroy_data" in ret["comment"]
    assert fake.requests == []
