"""pbs_tape_changer operations (status, transfer) through Salt's loaders against the
simulated tape library (configuration: test_pbs_tape_drive.py)."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes
from tests.support.tape_library import setup_library
from tests.support.tape_library import slots

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_status_lists_drives_slots_and_import_export_slots(pbs_modules, pbs_simulator):
    setup_library(pbs_simulator)
    pbs_modules.pbs_tape_drive.load_slot("lto-2", 3)
    status = pbs_modules.pbs_tape_changer.status("robot")
    drives = [e for e in status if e["entry-kind"] == "drive"]
    assert drives == [
        {"entry-kind": "drive", "entry-id": 0},
        {"entry-kind": "drive", "entry-id": 1, "label-text": "TAPE03L9", "loaded-slot": 3},
    ]
    kinds = {e["entry-id"]: e["entry-kind"] for e in status if e["entry-kind"] != "drive"}
    assert sorted(kinds) == list(range(1, 17))
    assert [n for n, k in kinds.items() if k == "import-export"] == [14, 15]
    labels = {e["entry-id"]: e.get("label-text") for e in status if e["entry-kind"] == "slot"}
    assert labels[1] == "TAPE01L9" and labels[3] is None and labels[16] == "CLN001CU"


def test_transfer_moves_a_cartridge(pbs_modules, pbs_simulator):
    lib = setup_library(pbs_simulator)
    changer = pbs_modules.pbs_tape_changer
    assert changer.transfer("robot", 2, 14) is True
    assert slots(lib)[14] == "TAPE02L9" and 2 not in slots(lib)
    with pytest.raises(CommandExecutionError, match="slot is full"):
        changer.transfer("robot", 1, 14)
    with pytest.raises(CommandExecutionError, match="slot 2 failed - slot is empty"):
        changer.transfer("robot", 2, 9)
    with pytest.raises(CommandExecutionError, match="out of range"):
        changer.transfer("robot", 1, 40)
    sent = len(writes(pbs_simulator.exchanges()))
    with pytest.raises(SaltInvocationError, match="'to_slot'"):
        changer.transfer("robot", 1, 0)
    with pytest.raises(SaltInvocationError, match="'from_slot'"):
        changer.transfer("robot", "two", 3)
    assert len(writes(pbs_simulator.exchanges())) == sent  # refused before any request


def test_jammed_changer(pbs_modules, pbs_simulator):
    lib = setup_library(pbs_simulator)
    lib["faults"]["jammed"].append("robot")
    with pytest.raises(CommandExecutionError, match="jammed"):
        pbs_modules.pbs_tape_changer.transfer("robot", 1, 9)
    assert slots(lib)[1] == "TAPE01L9"
    with pytest.raises(CommandExecutionError, match="no such changer 'nope'"):
        pbs_modules.pbs_tape_changer.status("nope")
