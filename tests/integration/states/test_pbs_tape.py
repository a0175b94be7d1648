"""Tape states (``pbs_tape_changer``, ``pbs_tape_drive``, ``pbs_media_pool``,
``pbs_tape_backup_job``) through a real ``salt-call --local`` against the simulator: the
common scenario of tests/support/scenario.py for each."""

import pytest

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]

DRIVES = ("/dev/tape/by-id/scsi-10WT065325-sg", "/dev/tape/by-id/scsi-10WT065326-sg")
CHANGER_PATH = "/dev/tape/by-id/scsi-CJ0JBE0059-changer"

CHANGER = Case(
    state="pbs_tape_changer",
    name="int-changer",
    collection="/config/changer",
    props={"path": CHANGER_PATH, "export_slots": [3, 24], "eject_before_unload": False},
    change=("eject_before_unload", True),
    clear="export_slots",
)
DRIVE = Case(
    state="pbs_tape_drive",
    name="int-drive",
    collection="/config/drive",
    props={"path": DRIVES[0], "changer": "int-robot", "changer_drivenum": 1},
    change=("changer_drivenum", 2),
    clear="changer_drivenum",
)
POOL = Case(
    state="pbs_media_pool",
    name="int-pool",
    collection="/config/media-pool",
    props={
        "allocation": "sat 18:00",
        "retention": "30 days",
        "template": "weekly-%Y-%m-%d",
        "comment": "first",
    },
    change=("retention", "keep"),
    clear="comment",
)
JOB = Case(
    state="pbs_tape_backup_job",
    name="int-tape-job",
    collection="/config/tape-backup-job",
    id_key="id",
    props={
        "store": "int-store",
        "pool": "int-job-pool",
        "drive": "int-job-drive",
        "schedule": "sat 20:00",
        "latest_only": True,
        "group_filter": ["type:vm"],
        "comment": "first",
    },
    change=("schedule", "sun 20:00"),
    clear="comment",
)


@pytest.fixture(scope="module")
def tape_setup(pbs_sim):
    """Objects the cases refer to, made behind Salt's back."""
    from tests.support.helpers import RawApi  # pylint: disable=import-outside-toplevel

    api = RawApi(pbs_sim)
    pbs_sim.state.file("datastore.cfg").set("int-store", "datastore", {"path": "/srv/int"})
    api.post("/config/media-pool", {"name": "int-job-pool"})
    api.post("/config/drive", {"name": "int-job-drive", "path": DRIVES[1]})
    return api


@pytest.mark.parametrize("case", [CHANGER, POOL, JOB], ids=lambda c: c.state)
def test_scenario(scenario, tape_setup, case):
    scenario.run(case)


def test_drive_scenario(scenario, tape_setup):
    tape_setup.post("/config/changer", {"name": "int-robot", "path": CHANGER_PATH})
    try:
        scenario.run(DRIVE)
    finally:
        tape_setup.delete("/config/changer/int-robot")
