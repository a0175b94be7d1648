"""``pbs_network_interface`` and ``pbs_network.applied`` applied by a real
``salt-call --local`` against the simulator."""

import pytest

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]

BRIDGE = Case(
    state="pbs_network_interface",
    name="vmbr7",
    collection="/nodes/localhost/network",
    props={
        "type": "bridge",
        "cidr": "192.0.2.70/24",
        "autostart": True,
        "mtu": 9000,
        "comments": "int bridge",
    },
    change=("comments", "changed"),
    clear="comments",
)

APPLIED = """
apply-network:
  pbs_network.applied: []
"""


def test_interface_scenario(scenario):
    scenario.run(BRIDGE)


def test_applied_reloads_once_what_is_staged(scenario, pbs_sim):
    case = Case(**{**BRIDGE.__dict__, "name": "vmbr8", "props": {"type": "bridge"}})
    scenario.create(case)
    staged = pbs_sim.state.runtime["network"]["staged"]
    assert "vmbr8" in staged and "vmbr8" not in pbs_sim.state.runtime["network"]["running"]
    dry = scenario.apply(APPLIED, test=True)
    assert dry.state["result"] is None and dry.writes == []
    assert "+iface vmbr8 inet manual" in dry.state["changes"]["pending"]["old"]
    done = scenario.apply(APPLIED)
    assert done.state["result"] is True, done.state["comment"]
    (put,) = done.writes
    assert put["method"] == "PUT" and put["path"] == "/api2/json/nodes/localhost/network"
    assert "vmbr8" in pbs_sim.state.runtime["network"]["running"]
    again = scenario.apply(APPLIED)
    assert again.state["result"] is True and again.state["changes"] == {}
    assert again.writes == []
