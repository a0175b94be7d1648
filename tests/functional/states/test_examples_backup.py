"""The SLS examples in the docstrings of the pbs_backup_group and pbs_backup_snapshot state
modules apply cleanly against the simulator, and a second run changes nothing.

Groups and snapshots come from backups, not from states: the test seeds them (the group
and snapshot the examples name) in a datastore made before.
"""

import calendar
import time

import pytest

from saltext.pbs.simulator import backups
from tests.support.kinds import assert_example_applies_and_is_idempotent

pytestmark = pytest.mark.usefixtures("pbs_loaders")

WHEN = calendar.timegm(time.strptime("2024-05-01 02:00", "%Y-%m-%d %H:%M"))


@pytest.fixture
def seeded(pbs_modules, pbs_simulator, tmp_path):
    pbs_modules.pbs_datastore.create("store1", path=str(tmp_path / "store1"))
    info = pbs_simulator.state.runtime["datastores"]["store1"]
    backups.add_snapshot(backups.add_group(info, "", "vm", "100"), WHEN)


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("module", ["pbs_backup_group", "pbs_backup_snapshot"])
def test_docstring_example_applies_and_is_idempotent(pbs_loaders, state_tree, module):
    prefix = "backup@pbs:\n  pbs_user.present: []\n" if module == "pbs_backup_group" else ""
    assert_example_applies_and_is_idempotent(pbs_loaders, state_tree, module, prefix)
