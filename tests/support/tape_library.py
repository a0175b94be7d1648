"""A configured simulated tape library for the tape operation tests: changer ``robot`` (16
slots, import/export slots 14 and 15, cartridges TAPE01L9-TAPE08L9 in slots 1-8 and a
cleaning cartridge in slot 16), drives ``lto-1`` and ``lto-2`` in it, media pool
``weekly`` and datastores ``store1`` (seeded with snapshots) and ``store2`` (empty)."""

from saltext.pbs.simulator import tape_model
from saltext.pbs.simulator.endpoints.datastore import runtime as store_runtime

CHANGER_PATH = "/dev/tape/by-id/scsi-CJ0JBE0059-changer"
DRIVE_PATHS = ("/dev/tape/by-id/scsi-10WT065325-sg", "/dev/tape/by-id/scsi-10WT065326-sg")
SEEDED = [
    {"ns": "", "backup-type": "vm", "backup-id": "100", "snapshots": 3},
    {"ns": "", "backup-type": "ct", "backup-id": "200", "snapshots": 2},
]


def setup_library(sim):
    state = sim.state
    tape_cfg = state.file("tape.cfg")
    tape_cfg.set("robot", "changer", {"path": CHANGER_PATH, "export-slots": "14,15"})
    tape_cfg.set("lto-1", "lto", {"path": DRIVE_PATHS[0], "changer": "robot"})
    tape_cfg.set("lto-2", "lto", {"path": DRIVE_PATHS[1], "changer": "robot",
                                  "changer-drivenum": 1})
    state.file("media-pool.cfg").set("weekly", "pool", {})
    for store in ("store1", "store2"):
        state.file("datastore.cfg").set(store, "datastore", {"path": f"/srv/{store}"})
    store_runtime(state, "store1")["groups"] = [dict(g) for g in SEEDED]
    return tape_model.library(state)


def slots(lib):
    """{slot: barcode} of the default changer."""
    return {int(k): v for k, v in lib["changers"][CHANGER_PATH]["cartridges"].items()}


def in_drive(lib, num=0):
    loaded = lib["changers"][CHANGER_PATH]["loaded"].get(str(num))
    return loaded and loaded["barcode"]


def media(lib, label_text):
    return next(m for m in lib["inventory"].values() if m["label"]["label-text"] == label_text)
