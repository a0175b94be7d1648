"""pbs_media_pool execution module through Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _stored(sim, cfg, name):
    return sim.state.file(cfg).props(name)


def _last_write(sim):
    return writes(sim.exchanges())[-1]


def test_media_pool(pbs_modules, pbs_simulator):
    sim = pbs_simulator
    pools = pbs_modules.pbs_media_pool
    pools.create("weekly", allocation="sat 18:00", retention="4 weeks", comment="w")
    assert _stored(sim, "media-pool.cfg", "weekly")["retention"] == "4 weeks"
    pools.update("weekly", retention="keep", comment=None)
    put = _last_write(sim)
    assert put["body"] == {"retention": "keep", "delete": ["comment"]}  # no digest: refused
    pools.delete("weekly")
    assert _stored(sim, "media-pool.cfg", "weekly") is None
    with pytest.raises(SaltInvocationError, match="retention"):
        pools.create("p2", retention="3 fortnights")
    with pytest.raises(SaltInvocationError, match="allocation"):
        pools.create("p2", allocation="whenever")
    assert writes(sim.exchanges())[-1]["method"] == "DELETE"  # nothing sent since
