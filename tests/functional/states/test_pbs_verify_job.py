"""pbs_verify_job states through Salt loaders against the simulated PBS. Results are checked
in the simulator's config files and request log; ``stores`` and ``testmode`` come from this
directory's conftest.
"""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _job(sim, cfg, name):
    return sim.state.file(cfg).props(name)


def test_defaults_compare_equal(pbs_states, pbs_simulator, stores):
    assert pbs_states.pbs_verify_job.present(name="v-1", store="store1").result is True
    # PBS stores none of these: absent means the default
    ret = pbs_states.pbs_verify_job.present(
        name="v-1", store="store1", ignore_verified=True, max_depth=7, read_threads=1
    )
    assert ret.result is True and ret.changes == {}, ret.comment


@pytest.mark.parametrize(
    "state,props,field",
    [
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
