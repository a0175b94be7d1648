"""``pbs_tape_changer`` states through a real ``salt-call --local`` against the simulator:
the common scenario of tests/support/scenario.py (``tape_setup``, the objects the tape
cases refer to, comes from this directory's conftest)."""

import pytest

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]

CHANGER_PATH = "/dev/tape/by-id/scsi-CJ0JBE0059-changer"

CHANGER = Case(
    state="pbs_tape_changer",
    name="int-changer",
    collection="/config/changer",
    props={"path": CHANGER_PATH, "export_slots": [3, 24], "eject_before_unload": False},
    change=("eject_before_unload", True),
    clear="export_slots",
)


def test_changer_scenario(scenario, tape_setup):
    scenario.run(CHANGER)
