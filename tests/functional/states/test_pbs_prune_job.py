"""pbs_prune_job states through Salt loaders against the simulated PBS. Results are checked
in the simulator's config files and request log; ``stores`` comes from this directory's
conftest.
"""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_defaults_compare_equal(pbs_states, pbs_simulator, stores):
    props = {"store": "store1", "schedule": "daily", "keep_last": 2}
    assert pbs_states.pbs_prune_job.present(name="p-1", **props).result is True
    # PBS stores none of these: absent means the default
    ret = pbs_states.pbs_prune_job.present(name="p-1", disable=False, ns="", **props)
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
    assert (
        "note: datastore 'nostore' does not exist yet: the real run fails unless an earlier"
        " state creates it" in ret.comment
    )
    assert writes(pbs_simulator.exchanges()) == []


@pytest.mark.parametrize(
    "state,props,field",
    [
        ("pbs_prune_job", {"store": "store1", "schedule": "25:00"}, "schedule"),
    ],
)
def test_bad_input_fails_before_any_request(pbs_states, pbs_simulator, stores, state, props, field):
    ret = getattr(pbs_states, state).present(name="job-1", **props)
    assert ret.result is False
    assert field in ret.comment and "Traceback" not in ret.comment
    assert pbs_simulator.exchanges() == []
