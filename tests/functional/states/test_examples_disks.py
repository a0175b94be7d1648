"""The complete SLS examples in the docstrings of the disk state modules (a datastore
directory, a ZFS pool) apply cleanly against the simulator's empty disks, and a second run
changes nothing."""

import pytest

from tests.support.kinds import assert_example_applies_and_is_idempotent

pytestmark = pytest.mark.usefixtures("pbs_loaders")

MODULES = {
    "pbs_disk_directory": "",
    "pbs_zpool": "",
}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_docstring_example_applies_and_is_idempotent(pbs_loaders, state_tree, module):
    assert_example_applies_and_is_idempotent(pbs_loaders, state_tree, module, MODULES[module])
