"""
Two runs at once against one object: both read before either writes (a barrier holds the
first write of each until both have read), so the create or the update of one of them
races the other's. Both finish with a usable result and the object is wholly one side's.
"""

import threading

import pytest

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import remote
from saltext.pbs.utils.kinds import traffic_control
from tests.support.helpers import pbs_config_for


def _conf(sim):
    """The resolved connection settings of the simulator (no minion config involved)."""
    return pbs_client.pbs_config.resolve(lambda key, default=None, **_: default, {},
                                         profile=pbs_config_for(sim))


class _HeldClient(pbs_client.PbsClient):
    """A client whose first write waits until the other run has read too."""

    def __init__(self, conf, barrier):
        super().__init__(conf)
        self.barrier = barrier
        self.held = False

    def request(self, method, path, params=None, data=None, timeout=None):
        if method != "GET" and path != pbs_client.TICKET_PATH and not self.held:
            self.held = True
            self.barrier.wait(timeout=30)
        return super().request(method, path, params=params, data=data, timeout=timeout)


def _race(sim, kind, name, sides, opts):
    """Run ``reconcile.present`` for each of ``sides`` (property dicts) at once."""
    barrier = threading.Barrier(len(sides))
    conf = _conf(sim)
    results = [None] * len(sides)

    def run(i):
        client = _HeldClient(conf, barrier)
        try:
            results[i] = reconcile.present(
                kind, name, sides[i], opts=opts, context={}, client=client
            )
        finally:
            client.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(sides))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _current(sim, path):
    client = pbs_client.PbsClient(
        _conf(sim)
    )
    try:
        return client.get_object(path)
    finally:
        client.close()


# both sides manage the same properties, so the object can be wholly one side's
SIDE_A = {"host": "pbs-a.example", "auth_id": "sync@pbs", "password": "pw-a", "port": 8007,
          "comment": "a"}
SIDE_B = {"host": "pbs-b.example", "auth_id": "sync@pbs", "password": "pw-b", "port": 8008,
          "comment": "b"}


def _side_of(obj, sides):
    matching = [
        i for i, side in enumerate(sides)
        if all(obj.get(k.replace("_", "-")) == v for k, v in side.items() if k != "password")
    ]
    assert len(matching) == 1, obj
    return matching[0]


@pytest.fixture
def opts(tmp_path):
    """The minion options the engine reads: where it keeps secret fingerprints."""
    return {"cachedir": str(tmp_path)}


def test_two_creates_at_once_both_succeed_and_the_object_is_one_sides(pbs_simulator, opts):
    sides = [SIDE_A, SIDE_B]
    results = _race(pbs_simulator, remote.REMOTE, "race-create", sides, opts)
    assert [r["result"] for r in results] == [True, True], results
    obj = _current(pbs_simulator, "/config/remote/race-create")
    last = _side_of(obj, sides)
    # the other one created it; the side that lost the create updated it to its values
    assert results[last]["changes"] and results[1 - last]["changes"]


def test_two_updates_at_once_both_succeed_and_the_object_is_one_sides(pbs_simulator, opts):
    assert reconcile.present(
        remote.REMOTE, "race-update", {**SIDE_A, "comment": "start"}, opts=opts, context={},
        client=pbs_client.PbsClient(
            _conf(pbs_simulator)
        ),
    )["result"] is True
    sides = [
        {**SIDE_A, "host": "pbs-c.example", "comment": "c"},
        {**SIDE_B, "comment": None},
    ]
    results = _race(pbs_simulator, remote.REMOTE, "race-update", sides, opts)
    assert [r["result"] for r in results] == [True, True], results
    obj = _current(pbs_simulator, "/config/remote/race-update")
    last = _side_of({**obj, "comment": obj.get("comment")}, sides)
    assert results[last]["changes"]


@pytest.mark.parametrize("rates", [("10 MB", "20 MB")])
def test_two_runs_on_a_traffic_rule_leave_one_sides_rule(pbs_simulator, rates, opts):
    sides = [{"rate_in": rate, "network": ["10.0.0.0/8"]} for rate in rates]
    results = _race(pbs_simulator, traffic_control.TRAFFIC_CONTROL, "race-tc", sides, opts)
    assert [r["result"] for r in results] == [True, True], results
    obj = _current(pbs_simulator, "/config/traffic-control/race-tc")
    assert obj["rate-in"] in ("10 MB", "20 MB")
    assert obj["network"] == ["10.0.0.0/8"]
