"""The complete SLS examples in the docstrings of the network state modules apply cleanly
against the simulator (staging, then one reload), and a second run changes nothing."""

import pytest

from tests.support.kinds import assert_example_applies_and_is_idempotent

pytestmark = pytest.mark.usefixtures("pbs_loaders")

MODULES = {
    "pbs_network_interface": "",
    # the example's requisite: the bridge it applies
    "pbs_network": "vmbr1:\n  pbs_network_interface.present:\n    - type: bridge\n",
}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_docstring_example_applies_and_is_idempotent(pbs_loaders, state_tree, pbs_simulator,
                                                     module):
    assert_example_applies_and_is_idempotent(pbs_loaders, state_tree, module, MODULES[module])
    network = pbs_simulator.state.runtime["network"]
    # the example ends with pbs_network.applied: nothing is left staged
    assert network["staged"] is None and "vmbr1" in network["running"]
