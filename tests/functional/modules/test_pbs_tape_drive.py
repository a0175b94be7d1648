"""pbs_tape_drive execution module (with the changer a drive sits in) through Salt
loaders against the simulated PBS."""

import pytest
from salt.exceptions import CommandExecutionError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

DRIVE_PATH = "/dev/tape/by-id/scsi-10WT065325-sg"
CHANGER_PATH = "/dev/tape/by-id/scsi-CJ0JBE0059-changer"


def _stored(sim, cfg, name):
    return sim.state.file(cfg).props(name)


def _last_write(sim):
    return writes(sim.exchanges())[-1]


def test_changer_and_drive(pbs_modules, pbs_simulator):
    sim = pbs_simulator
    changers, drives = pbs_modules.pbs_tape_changer, pbs_modules.pbs_tape_drive
    assert [d["path"] for d in changers.scan()] == [CHANGER_PATH]
    assert DRIVE_PATH in [d["path"] for d in drives.scan()]
    assert changers.get("robot") is None
    created = changers.create("robot", path=CHANGER_PATH, export_slots="24,3")
    assert created["name"] == "robot"
    assert _last_write(sim)["body"]["export-slots"] == "3,24"
    changers.update("robot", export_slots=[10, 2])
    # PBS re-prints the slots of an update sorted as text
    assert _stored(sim, "tape.cfg", "robot")["export-slots"] == "10,2"
    assert changers.get("robot")["export-slots"] == "10,2"
    drives.create("lto-1", path=DRIVE_PATH, changer="robot", changer_drivenum=1)
    assert _stored(sim, "tape.cfg", "lto-1")["changer-drivenum"] == 1
    assert [d["name"] for d in drives.list()] == ["lto-1"]

    with pytest.raises(CommandExecutionError, match="used by drive"):
        changers.delete("robot")
    assert "digest" not in dict(_last_write(sim)["query"])
    drives.update("lto-1", changer=None, changer_drivenum=None)
    assert "changer" not in _stored(sim, "tape.cfg", "lto-1")
    drives.delete("lto-1")
    assert _last_write(sim)["query"] in ([], None)
    changers.delete("robot")
    assert _stored(sim, "tape.cfg", "robot") is None
