"""pbs_traffic_control execution module through real Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import SaltInvocationError

pytestmark = pytest.mark.usefixtures("pbs_loaders")


@pytest.fixture
def tc(pbs_modules):
    return pbs_modules.pbs_traffic_control


def test_create_get_update_delete(tc, pbs_simulator):
    created = tc.create(
        "office", network=["10.0.0.0/8"], rate_in="10M", timeframe=["mon..fri 8-18"]
    )
    assert created["rate-in"] == "10 MB" and created["timeframe"] == ["mon..fri 8-18"]
    stored = pbs_simulator.state.file("traffic-control.cfg").props("office")
    assert stored["network"] == ["10.0.0.0/8"]
    assert [r["name"] for r in tc.list()] == ["office"]
    assert tc.update("office", timeframe=None, users=["a@pbs"])["users"] == ["a@pbs"]
    assert "timeframe" not in tc.get("office")
    assert [r["name"] for r in tc.current()] == ["office"]
    tc.delete("office")
    assert tc.get("office") is None


@pytest.mark.parametrize(
    "props,field",
    [
        ({"network": ["10.0.0.0/40"]}, "network"),
        ({"network": ["10.0.0.0/8"], "timeframe": ["8:00-7:00"]}, "timeframe"),
        ({"network": ["10.0.0.0/8"], "rate_out": "-5 MB"}, "rate_out"),
        ({"rate_in": "1 MB"}, "network"),
    ],
)
def test_bad_input_sends_nothing(tc, pbs_simulator, props, field):
    with pytest.raises(SaltInvocationError, match=field):
        tc.create("office", **props)
    assert pbs_simulator.exchanges() == []
