"""pbs_network_interface states through Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _net(pbs_simulator):
    return pbs_simulator.state.runtime["network"]


def test_present_stages_and_says_so(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_network_interface.present(
        "bond0", type="bond", slaves=["eno3", "eno2"], bond_mode="802.3ad",
        bond_xmit_hash_policy="layer3+4",
    )
    assert ret["result"] is True, ret["comment"]
    assert ret["changes"]["new"]["slaves"] == ["eno2", "eno3"]
    assert "not active until pbs_network.applied" in ret["comment"]
    assert "bond0" in _net(pbs_simulator)["staged"]
    # the same slaves in another order, as text: nothing to do
    again = pbs_states.pbs_network_interface.present(
        "bond0", type="bond", slaves="eno2,eno3", bond_mode="802.3ad"
    )
    assert again["result"] is True and again["changes"] == {}, again


def test_bond_policy_change_resends_the_mode(pbs_states, pbs_modules, pbs_simulator):
    pbs_modules.pbs_network.create("bond1", type="bond", slaves=["eno2"], bond_mode="balance-xor")
    pbs_simulator.clear_exchanges()
    ret = pbs_states.pbs_network_interface.present("bond1", bond_xmit_hash_policy="layer2+3")
    assert ret["changes"] == {"bond_xmit_hash_policy": {"old": None, "new": "layer2+3"}}
    (put,) = writes(pbs_simulator.exchanges())
    # PBS keeps the policy only when bond_mode comes with it (update_interface)
    assert put["body"]["bond_mode"] == "balance-xor" and len(put["body"]["digest"]) == 64
    assert pbs_modules.pbs_network.get("bond1")["bond_xmit_hash_policy"] == "layer2+3"


def test_cleared_bridge_ports_stay_cleared(pbs_states, pbs_modules):
    pbs_modules.pbs_network.create("vmbr5", type="bridge", bridge_ports=["eno2"])
    ret = pbs_states.pbs_network_interface.present("vmbr5", bridge_ports=None)
    assert ret["changes"] == {"bridge_ports": {"old": ["eno2"], "new": None}}
    # PBS shows an emptied bridge with "bridge_ports": []: that is "none", not a change
    again = pbs_states.pbs_network_interface.present("vmbr5", bridge_ports=None)
    assert again["changes"] == {}, again


def test_test_mode_writes_nothing(pbs_states, pbs_simulator):
    pbs_simulator.clear_exchanges()
    ret = pbs_states.pbs_network_interface.present(
        "vmbr6", type="bridge", cidr="192.0.2.60/24", test=True
    )
    assert ret["result"] is None and ret["changes"]["old"] is None
    assert "will be staged" in ret["comment"]
    assert writes(pbs_simulator.exchanges()) == []
    assert _net(pbs_simulator)["staged"] is None


def test_a_failed_state_names_what_is_left_staged(pbs_states, pbs_modules):
    pbs_modules.pbs_network.create("vmbr6", type="bridge")
    ret = pbs_states.pbs_network_interface.present(
        "vmbr9", type="bridge", cidr="192.0.2.90/24", gateway="192.0.2.1"
    )
    assert ret["result"] is False
    assert "Default IPv4 gateway already exists on interface 'eno1'" in ret["comment"]
    assert "PBS holds staged network changes that are not active" in ret["comment"]
    assert "pbs_network.revert" in ret["comment"]


def test_bad_input_fails_before_any_request(pbs_states, pbs_simulator):
    pbs_simulator.clear_exchanges()
    ret = pbs_states.pbs_network_interface.present("bond7", type="bond", slaves=[])
    assert ret["result"] is False and "'slaves': a bond needs" in ret["comment"]
    ret = pbs_states.pbs_network_interface.present("vmbr7", type="bridge", cidr="10.0.0.0")
    assert ret["result"] is False and "'cidr'" in ret["comment"]
    ret = pbs_states.pbs_network_interface.present("-x!", type="bridge")
    assert ret["result"] is False and "name '-x!'" in ret["comment"]
    assert pbs_simulator.exchanges() == []


def test_absent_stages_the_removal(pbs_states, pbs_modules, pbs_simulator):
    pbs_modules.pbs_network.create("vmbr3", type="bridge")
    pbs_modules.pbs_network.reload()
    ret = pbs_states.pbs_network_interface.absent("vmbr3")
    assert ret["result"] is True and ret["changes"]["new"] is None
    assert "removal staged" in ret["comment"]
    assert "vmbr3" in _net(pbs_simulator)["running"]
    assert pbs_states.pbs_network_interface.absent("vmbr3")["changes"] == {}


def test_an_update_pbs_would_turn_from_dhcp_to_manual_is_refused(pbs_states, pbs_modules,
                                                                   pbs_simulator):
    pbs_modules.pbs_network.create("vmbr4", type="bridge", method="dhcp")
    assert pbs_modules.pbs_network.get("vmbr4")["method"] == "dhcp"
    pbs_simulator.clear_exchanges()
    ret = pbs_states.pbs_network_interface.present("vmbr4", comments="lab")
    assert ret["result"] is False
    assert "PBS would make the IPv4 method of 'vmbr4' manual" in ret["comment"]
    assert writes(pbs_simulator.exchanges()) == []
    # in its desired state already: nothing to refuse
    ret = pbs_states.pbs_network_interface.present("vmbr4", method="dhcp")
    assert ret["result"] is True and ret["changes"] == {}
    # with an address the method becomes static, as asked
    ret = pbs_states.pbs_network_interface.present("vmbr4", cidr="192.0.2.40/24",
                                                    method="static")
    assert ret["result"] is True, ret["comment"]
    assert pbs_modules.pbs_network.get("vmbr4")["method"] == "static"
