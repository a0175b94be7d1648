"""pbs_apt_repository.managed through Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_managed(pbs_states, pbs_simulator):
    st = pbs_states.pbs_apt_repository
    dry = st.managed("no-subscription", enabled=True, test=True)
    assert dry["result"] is None and dry["changes"] == {"enabled": {"old": None, "new": True}}
    assert writes(pbs_simulator.exchanges()) == []
    assert st.managed("no-subscription")["changes"] == {"enabled": {"old": None, "new": True}}
    assert st.managed("no-subscription")["changes"] == {}
    off = st.managed("enterprise", enabled=False)
    assert off["result"] is True and off["changes"] == {"enabled": {"old": True, "new": False}}
    assert st.managed("enterprise", enabled=False)["changes"] == {}
    assert st.managed("test", enabled=False)["changes"] == {}  # not configured: left alone
    assert len(writes(pbs_simulator.exchanges())) == 2


def test_bad_input(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_apt_repository.managed("pve-no-subscription")
    assert ret["result"] is False and "unknown repository handle" in ret["comment"]
    ret = pbs_states.pbs_apt_repository.managed("test", enabled="maybe")
    assert ret["result"] is False and "'enabled'" in ret["comment"]
    assert pbs_simulator.exchanges() == []
