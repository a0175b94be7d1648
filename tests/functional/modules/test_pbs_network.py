"""pbs_network execution module through Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _net(pbs_simulator):
    return pbs_simulator.state.runtime["network"]


def test_create_stages_until_reload(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_network
    assert mod.pending() is None
    names = {i["name"] for i in mod.list()}
    assert names == {"eno1", "eno2", "eno3"}
    created = mod.create("vmbr1", type="bridge", bridge_ports=["eno2"], cidr="192.0.2.10/24",
                         autostart=True, comments="storage", mtu=9000)
    assert created["bridge_ports"] == ["eno2"] and created["method"] == "static"
    assert "digest" not in created
    # staged only: the running configuration has no vmbr1 yet
    assert "vmbr1" in _net(pbs_simulator)["staged"]
    assert "vmbr1" not in _net(pbs_simulator)["running"]
    diff = mod.pending()
    assert "+iface vmbr1 inet static" in diff and "+\taddress 192.0.2.10/24" in diff
    status = mod.reload()
    assert status["exitstatus"] == "OK" and ":srvreload:networking:" in status["upid"]
    assert mod.pending() is None
    assert "vmbr1" in _net(pbs_simulator)["running"]
    assert mod.get("vmbr1")["active"] is True


def test_update_delete_and_revert(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_network
    mod.create("bond0", type="bond", slaves="eno2,eno3", bond_mode="active-backup",
               bond_primary="eno2")
    mod.reload()
    got = mod.update("bond0", bond_primary="eno3", comments="two links")
    # bond-primary counts only with bond_mode in the same request: it was sent along
    assert got["bond-primary"] == "eno3" and got["comments"] == "two links"
    put = [w for w in writes(pbs_simulator.exchanges()) if w["method"] == "PUT"][-1]
    assert put["body"]["bond_mode"] == "active-backup"
    mod.update("bond0", slaves=None)
    assert mod.get("bond0").get("slaves") is None
    assert mod.pending() is not None
    assert mod.revert() is True
    assert mod.pending() is None and mod.get("bond0")["slaves"] == ["eno2", "eno3"]
    mod.delete("bond0")
    assert mod.get("bond0") is None and "-auto bond0" not in (mod.pending() or "")
    assert "bond0" in _net(pbs_simulator)["running"]


def test_vlan_from_its_name(pbs_modules):
    mod = pbs_modules.pbs_network
    got = mod.create("eno1.20", type="vlan", cidr="198.51.100.5/24")
    assert got["type"] == "vlan" and got["cidr"] == "198.51.100.5/24"
    with pytest.raises(SaltInvocationError, match="'vlan_id'.*required"):
        mod.create("storage", type="vlan", vlan_raw_device="eno1")


@pytest.mark.parametrize(
    "name,props,match",
    [
        ("bad name!", {"type": "bridge"}, "name 'bad name!'"),
        ("averyveryverylongname", {"type": "bridge"}, "at most 15 characters"),
        ("bond1", {"type": "bond"}, "'slaves': a bond needs at least one slave"),
        ("bond1", {"type": "bond", "slaves": []}, "'slaves': a bond needs"),
        ("vmbr2", {"type": "bridge", "cidr": "192.0.2.300/24"}, "'cidr'"),
        ("vmbr2", {"type": "bridge", "cidr": "192.0.2.1"}, "'cidr'.*CIDR notation"),
        ("vmbr2", {"type": "bridge", "cidr": "2001:db8::1/64"}, "'cidr'.*give it as 'cidr6'"),
        ("vmbr2", {"type": "eth"}, "'type': PBS creates only"),
        ("bond1", {"type": "bond", "slaves": ["eno2"], "bond_primary": "eno2"},
         "'bond_primary': needs bond_mode"),
        ("vmbr2", {"type": "bridge", "slaves": ["eno2"]}, "'slaves': only a bond"),
    ],
)
def test_bad_input_is_refused_before_any_request(pbs_modules, pbs_simulator, name, props, match):
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match=match):
        pbs_modules.pbs_network.create(name, **props)
    assert writes(pbs_simulator.exchanges()) == []


def test_pbs_refusals_come_back_as_pbs_says(pbs_modules):
    mod = pbs_modules.pbs_network
    with pytest.raises(CommandExecutionError, match="Default IPv4 gateway already exists on"
                       " interface 'eno1'"):
        mod.create("vmbr3", type="bridge", cidr="192.0.2.10/24", gateway="192.0.2.1")
    with pytest.raises(CommandExecutionError, match="unable to find slave 'eno9'"):
        mod.create("bond2", type="bond", slaves=["eno9"])
    assert mod.pending() is None  # a refused write stages nothing


def test_reload_failure_shows_the_task_log(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_network
    mod.create("vmbr4", type="bridge")
    pbs_simulator.faults.fail_next_task("ifreload failed: error: vmbr4: bridge error",
                                        "srvreload")
    with pytest.raises(CommandExecutionError, match="ifreload failed"):
        mod.reload()
    # as on PBS, the staged file was moved into place before ifreload ran
    assert mod.pending() is None and "vmbr4" in _net(pbs_simulator)["running"]
    pbs_simulator.state.runtime["network-no-ifupdown2"] = True
    with pytest.raises(CommandExecutionError, match="ifupdown2 is not installed"):
        mod.reload()
    upid = None
    pbs_simulator.state.runtime["network-no-ifupdown2"] = False
    upid = mod.reload(wait=False)
    assert upid.startswith("UPID:")


def test_export_leaves_the_network_out_unless_named(pbs_modules):
    assert "pbs_network_interface" not in pbs_modules.pbs.export()["sls"]
    sls = pbs_modules.pbs.export(kinds="network_interface")["sls"]
    assert "pbs_network_interface.present" in sls and "eno1" in sls
    assert "192.168.100.10/24" in sls
