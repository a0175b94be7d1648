"""pbs_time states through Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _writes(sim):
    return writes(sim.exchanges())


def test_time_managed(pbs_states, pbs_simulator):
    sim = pbs_simulator
    ret = pbs_states.pbs_time.managed(name="tz", timezone="Europe/Vienna")
    assert ret.changes == {"timezone": {"old": "UTC", "new": "Europe/Vienna"}}
    sim.clear_exchanges()
    ret = pbs_states.pbs_time.managed(name="tz", timezone="Europe/Vienna")
    assert ret.result is True and ret.changes == {} and _writes(sim) == []
    ret = pbs_states.pbs_time.managed(name="tz", timezone="Nowhere/Atlantis")
    assert ret.result is False and "No such timezone" in ret.comment
