"""``pbs_tape_drive`` states through a real ``salt-call --local`` against the simulator:
the common scenario of tests/support/scenario.py (``tape_setup``, the objects the tape
cases refer to, comes from this directory's conftest)."""

import pytest

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]

DRIVE_PATH = "/dev/tape/by-id/scsi-10WT065325-sg"
CHANGER_PATH = "/dev/tape/by-id/scsi-CJ0JBE0059-changer"

DRIVE = Case(
    state="pbs_tape_drive",
    name="int-drive",
    collection="/config/drive",
    props={"path": DRIVE_PATH, "changer": "int-robot", "changer_drivenum": 1},
    change=("changer_drivenum", 2),
    clear="changer_drivenum",
)


def test_drive_scenario(scenario, tape_setup):
    tape_setup.post("/config/changer", {"name": "int-robot", "path": CHANGER_PATH})
    try:
        scenario.run(DRIVE)
    finally:
        tape_setup.delete("/config/changer/int-robot")
