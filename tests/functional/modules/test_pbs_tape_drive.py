"""pbs_tape_drive execution module through Salt loaders against the simulated PBS: drive
configuration (with the changer a drive sits in) and the drive operations (load, unload,
label, format, inventory, clean, read-outs, export, catalog, restore_key) on the simulated
tape library."""

import logging

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import upid as pbs_upid
from tests.support.helpers import writes
from tests.support.tape_library import in_drive
from tests.support.tape_library import media
from tests.support.tape_library import setup_library
from tests.support.tape_library import slots

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


def _writes(sim):
    return len(writes(sim.exchanges()))


def test_load_unload_eject(pbs_modules, pbs_simulator):
    lib = setup_library(pbs_simulator)
    drive = pbs_modules.pbs_tape_drive
    status = drive.load_media("lto-1", "TAPE02L9")
    assert status["exitstatus"] == "OK"
    assert in_drive(lib) == "TAPE02L9" and 2 not in slots(lib)
    upid = drive.unload("lto-1", slot=9, wait=False)
    assert pbs_upid.parse_upid(upid)["worker_type"] == "unload-media"
    pbs_simulator.tasks.finish_all()
    assert in_drive(lib) is None and slots(lib)[9] == "TAPE02L9"
    assert drive.load_slot("lto-1", 9) is True
    assert in_drive(lib) == "TAPE02L9"
    assert drive.rewind("lto-1")["exitstatus"] == "OK"
    drive.eject("lto-1")
    assert slots(lib)[9] == "TAPE02L9" and in_drive(lib) is None
    with pytest.raises(CommandExecutionError, match="slot 3 is empty|unable to find"):
        drive.load_media("lto-1", "NOSUCH01")
    with pytest.raises(CommandExecutionError, match="slot 12 is empty"):
        drive.load_slot("lto-1", 12)
    with pytest.raises(CommandExecutionError, match="no such drive 'lto-9'"):
        drive.status("lto-9")
    sent = _writes(pbs_simulator)
    with pytest.raises(SaltInvocationError, match="'slot'"):
        drive.load_slot("lto-1", 0)
    with pytest.raises(SaltInvocationError, match="'label_text'"):
        drive.load_media("lto-1", "bad label")
    with pytest.raises(SaltInvocationError, match="'drive'"):
        drive.rewind("x")
    assert _writes(pbs_simulator) == sent


def test_label_read_label_and_format(pbs_modules, pbs_simulator):
    lib = setup_library(pbs_simulator)
    drive = pbs_modules.pbs_tape_drive
    drive.load_media("lto-1", "TAPE01L9")
    with pytest.raises(CommandExecutionError, match=r"Media is empty \(no label\)"):
        drive.read_label("lto-1")
    drive.label("lto-1", "TAPE01L9", pool="weekly")
    stored = media(lib, "TAPE01L9")
    assert stored["label"]["pool"] == "weekly"
    read = drive.read_label("lto-1")
    assert read["label-text"] == "TAPE01L9" and read["uuid"] == stored["label"]["uuid"]
    # a labelled cartridge is not labelled again
    with pytest.raises(CommandExecutionError, match=r"media is not empty \(format it first\)"):
        drive.label("lto-1", "OTHER01")
    with pytest.raises(CommandExecutionError, match="no such pool"):
        drive.label("lto-1", "OTHER01", pool="nopool")
    # format checks the label it is told to erase
    with pytest.raises(CommandExecutionError, match="unable to find media 'TAPE05X'"):
        drive.format("lto-1", "TAPE05X")
    assert media(lib, "TAPE01L9")  # nothing erased
    drive.format("lto-1", "TAPE01L9")
    assert not lib["inventory"] and lib["tapes"]["TAPE01L9"]["label"] is None
    with pytest.raises(TypeError):
        drive.format("lto-1")  # pylint: disable=no-value-for-parameter


def test_barcode_label_and_inventory(pbs_modules, pbs_simulator):
    lib = setup_library(pbs_simulator)
    drive = pbs_modules.pbs_tape_drive
    drive.barcode_label("lto-1", pool="weekly")
    labelled = sorted(m["label"]["label-text"] for m in lib["inventory"].values())
    assert labelled == [f"TAPE0{i}L9" for i in range(1, 9)]  # no cleaning cartridge
    listed = drive.inventory("lto-1")
    assert [e["label-text"] for e in listed] == labelled
    assert all("uuid" in e for e in listed)
    # forget one medium; the inventory update reads its label back
    uuid = media(lib, "TAPE04L9")["label"]["uuid"]
    del lib["inventory"][uuid]
    status = drive.inventory("lto-1", update=True)
    assert status["exitstatus"] == "OK"
    assert media(lib, "TAPE04L9")["label"]["uuid"] == uuid
    with pytest.raises(SaltInvocationError, match="update=True"):
        drive.inventory("lto-1", read_all_labels=True)


def test_clean_and_the_drive_that_needs_it(pbs_modules, pbs_simulator, caplog):
    lib = setup_library(pbs_simulator)
    lib["faults"]["needs-cleaning"].append("lto-1")
    drive = pbs_modules.pbs_tape_drive
    assert drive.status("lto-1")["alert-flags"] == "CLEAN_NOW"
    drive.load_media("lto-1", "TAPE01L9")
    with pytest.raises(CommandExecutionError) as err:
        drive.label("lto-1", "TAPE01L9")
    # the failure says where the cartridge is, and carries the task log tail
    assert "needs cleaning" in str(err.value)
    assert "media 'TAPE01L9' is still in drive 'lto-1' (loaded from slot 1)" in str(err.value)
    with caplog.at_level(logging.INFO):
        drive.clean("lto-1")
    assert "Drive cleaned successfully" in caplog.text
    assert "alert-flags" not in drive.status("lto-1")
    assert slots(lib)[16] == "CLN001CU" and slots(lib)[1] == "TAPE01L9"


def test_write_protected_cartridge(pbs_modules, pbs_simulator):
    lib = setup_library(pbs_simulator)
    lib["faults"]["write-protected"].append("TAPE02L9")
    drive = pbs_modules.pbs_tape_drive
    drive.load_media("lto-2", "TAPE02L9")
    assert drive.status("lto-2")["write-protect"] is True
    with pytest.raises(CommandExecutionError, match="write-protected"):
        drive.label("lto-2", "TAPE02L9")
    assert in_drive(lib, 1) == "TAPE02L9"


def test_read_outs_export_and_catalog(pbs_modules, pbs_simulator):
    lib = setup_library(pbs_simulator)
    drive = pbs_modules.pbs_tape_drive
    with pytest.raises(CommandExecutionError, match="no media loaded"):
        drive.cartridge_memory("lto-1")
    assert "density" not in drive.status("lto-1")
    drive.load_media("lto-1", "TAPE03L9")
    assert drive.status("lto-1")["density"] == "LTO9"
    memory = drive.cartridge_memory("lto-1")
    assert {"id": 0x0806, "name": "Barcode", "value": "TAPE03L9"} in memory
    assert drive.volume_statistics("lto-1")["serial"] == "TAPE03L9"
    drive.label("lto-1", "TAPE03L9", pool="weekly")
    assert drive.catalog("lto-1")["exitstatus"] == "OK"
    assert drive.export_media("lto-1", "TAPE03L9") == 14
    assert slots(lib)[14] == "TAPE03L9" and in_drive(lib) is None
    assert pbs_modules.pbs_tape_media.list(pool="weekly")[0]["location"] == "offline"
    with pytest.raises(CommandExecutionError, match="is not online"):
        drive.export_media("lto-1", "GONE01")


def test_restore_key_password_checked_and_never_shown(pbs_modules, pbs_simulator, caplog):
    setup_library(pbs_simulator)
    drive = pbs_modules.pbs_tape_drive
    drive.load_media("lto-1", "TAPE01L9")
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(CommandExecutionError, match="does not contain any encryption key"):
            drive.restore_key("lto-1", password="tape-secret-1")
    assert "tape-secret-1" not in caplog.text
    with pytest.raises(SaltInvocationError, match="'password'"):
        drive.restore_key("lto-1", password="abc")


def test_overview_lists_drives_and_changers_with_their_devices(pbs_modules, pbs_simulator):
    setup_library(pbs_simulator)
    drive, changer = pbs_modules.pbs_tape_drive, pbs_modules.pbs_tape_changer
    pbs_simulator.state.file("tape.cfg").set(
        "loose", "lto", {"path": "/dev/tape/by-id/scsi-10WT065326-sg"}
    )
    # a task holding drive lto-1 (tasks of this module's simulator end at once)
    upid = pbs_simulator.tasks.spawn("load-media", "lto-1", "root@pam", duration=3600)
    drives = {d["name"]: d for d in drive.overview()}
    assert sorted(drives) == ["loose", "lto-1", "lto-2"]
    assert drives["lto-1"]["state"] == upid  # the task holding the drive
    assert "state" not in drives["lto-2"] and "activity" not in drives["lto-2"]
    assert (drives["lto-2"]["serial"], drives["lto-2"]["model"]) == ("10WT065326", "ULTRIUM-HH9")
    pbs_simulator.tasks.abort(upid)
    in_robot = drive.overview(changer="robot", activity=True)
    assert [d["name"] for d in in_robot] == ["lto-1", "lto-2"]
    assert {d["activity"] for d in in_robot} == {"no-activity"}
    assert "state" not in in_robot[0]
    assert changer.overview() == [
        {"name": "robot", "path": CHANGER_PATH, "export-slots": "14,15", "vendor": "QUANTUM",
         "model": "Scalar i3-i6", "serial": "CJ0JBE0059"}
    ]
    with pytest.raises(SaltInvocationError, match="'activity'"):
        drive.overview(activity="yes")


def test_a_bad_wait_is_refused_before_the_task_starts(pbs_modules, pbs_simulator):
    lib = setup_library(pbs_simulator)
    sent = _writes(pbs_simulator)
    with pytest.raises(SaltInvocationError, match="'timeout'"):
        pbs_modules.pbs_tape_drive.load_media("lto-1", "TAPE01L9", timeout=-5)
    with pytest.raises(SaltInvocationError, match="'timeout'"):
        pbs_modules.pbs_tape.backup("store1", "weekly", "lto-1", timeout="soon")
    assert _writes(pbs_simulator) == sent and in_drive(lib) is None
    upid = pbs_modules.pbs_tape_drive.load_media("lto-1", "TAPE01L9", wait=False, timeout=-5)
    assert pbs_upid.parse_upid(upid)["worker_type"] == "load-media"
