"""pbs_network.applied through Salt loaders against the simulated PBS."""

import pytest

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _net(pbs_simulator):
    return pbs_simulator.state.runtime["network"]


def test_applied(pbs_states, pbs_modules, pbs_simulator):
    ret = pbs_states.pbs_network.applied("net")
    assert ret["result"] is True and ret["changes"] == {}
    pbs_modules.pbs_network.create("vmbr2", type="bridge")
    ret = pbs_states.pbs_network.applied("net", test=True)
    assert ret["result"] is None and "+iface vmbr2" in ret["changes"]["pending"]["old"]
    assert _net(pbs_simulator)["staged"] is not None
    ret = pbs_states.pbs_network.applied("net")
    assert ret["result"] is True and "vmbr2" in _net(pbs_simulator)["running"]


def test_applied_failure_tells_how_to_recover(pbs_states, pbs_modules, pbs_simulator):
    pbs_modules.pbs_network.create("vmbr2", type="bridge")
    pbs_simulator.faults.fail_next_task("ifreload failed: vmbr2 error", "srvreload")
    ret = pbs_states.pbs_network.applied("net")
    assert ret["result"] is False and "ifreload failed" in ret["comment"]
    assert "console" in ret["comment"] and "ifreload -a" in ret["comment"]
