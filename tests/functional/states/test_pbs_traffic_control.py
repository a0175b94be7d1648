"""pbs_traffic_control states through real Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_sets_sizes_and_clear(pbs_states, pbs_simulator):
    present = pbs_states.pbs_traffic_control.present
    ret = present(
        name="office", network=["10.0.0.0/8", "::/0"], rate_in="10M", users=["a@pbs", "b@pbs"]
    )
    assert ret.result is True, ret.comment
    pbs_simulator.clear_exchanges()
    ret = present(
        name="office", network=["::/0", "10.0.0.0/8"], rate_in="10 MB", users=["b@pbs", "a@pbs"]
    )
    assert ret.changes == {} and writes(pbs_simulator.exchanges()) == []
    ret = present(name="office", network=["::/0", "10.0.0.0/8"], users=None, test=True)
    assert ret.result is None and ret.changes == {"users": {"old": ["a@pbs", "b@pbs"], "new": None}}
    assert writes(pbs_simulator.exchanges()) == []
    ret = present(name="office", network=["::/0", "10.0.0.0/8"], users=None)
    (put,) = writes(pbs_simulator.exchanges())
    assert put["body"] == {"delete": ["users"], "digest": put["body"]["digest"]}
    assert "users" not in pbs_simulator.state.file("traffic-control.cfg").props("office")


def test_bad_timeframe_fails_before_any_request(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_traffic_control.present(
        name="office", network=["10.0.0.0/8"], timeframe=["mon..fri 25:00-26:00"]
    )
    assert ret.result is False and "'timeframe[0]'" in ret.comment
    assert pbs_simulator.exchanges() == []


def test_absent(pbs_states, pbs_simulator):
    pbs_states.pbs_traffic_control.present(name="office", network=["10.0.0.0/8"])
    ret = pbs_states.pbs_traffic_control.absent(name="office")
    assert ret.result is True and ret.changes["old"]["network"] == ["10.0.0.0/8"]
    assert pbs_simulator.state.file("traffic-control.cfg").props("office") is None
    assert pbs_states.pbs_traffic_control.absent(name="office").changes == {}
