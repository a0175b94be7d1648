"""The simulated tape library: cartridges in changer slots and drives, and PBS's media
inventory (PBS src/tape/changer/, src/tape/inventory.rs, src/tape/media_catalog.rs).

Everything lives in ``state.runtime["tape-library"]`` (JSON, so it survives a restart with
``--state-file``)::

    {"changers": {<changer device path>: {"slots": 16, "drives": 2,
                  "cartridges": {"<slot>": <barcode>}, "loaded": {"<drivenum>": {"barcode",
                  "slot"}}}},
     "standalone": {<drive device path>: <barcode or None>},
     "tapes": {<barcode>: {"label": MediaLabel | None, "set": MediaSetLabel | None,
               "content": [[store, snapshot], ...]}},
     "inventory": {<uuid>: {"label": ..., "set": ..., "status": None | "full" | ...,
                   "vault": None | name, "content": [...]}},
     "pools": {<pool>: {"current-set": <uuid> | None}},
     "faults": {"needs-cleaning": [<drive>], "write-protected": [<barcode>],
                "jammed": [<changer>]},
     "snapshots-per-tape": 1000}

A physical changer is keyed by its device path, so whatever name the configuration gives it,
the cartridges stay where they are. The default library (:func:`default_library`) is the
simulated host's changer with 16 slots, 2 drives, eight new cartridges ``TAPE01L9`` ..
``TAPE08L9`` in slots 1-8 and a cleaning cartridge ``CLN001CU`` in slot 16. A cartridge whose
barcode starts with ``CLN`` is a cleaning cartridge. Tests change all of this directly.

Fault switches (``faults``): a drive that needs cleaning refuses to write (and reports the
``CLEAN_NOW`` tape alert flag until cleaned); a write-protected cartridge refuses writes; a
jammed changer refuses every move. Their texts are the simulator's, not PBS's (PBS reports
whatever the SCSI layer says).
"""

import datetime
import uuid as uuid_mod

from saltext.pbs.simulator.errors import ApiError

DEFAULT_CHANGER_PATH = "/dev/tape/by-id/scsi-CJ0JBE0059-changer"


def default_library():
    cartridges = {str(i): f"TAPE{i:02d}L9" for i in range(1, 9)}
    cartridges["16"] = "CLN001CU"
    return {
        "changers": {
            DEFAULT_CHANGER_PATH: {"slots": 16, "drives": 2, "cartridges": cartridges,
                                   "loaded": {}},
        },
        "standalone": {},
        "tapes": {},
        "inventory": {},
        "pools": {},
        "faults": {"needs-cleaning": [], "write-protected": [], "jammed": []},
        "snapshots-per-tape": 1000,
    }


def library(state):
    return state.runtime.setdefault("tape-library", default_library())


def new_uuid():
    return str(uuid_mod.uuid4())


def fault(state, name, key):
    return key in library(state)["faults"].get(name, [])


def tape(state, barcode):
    """The physical state of cartridge ``barcode`` (created empty on first use)."""
    return library(state)["tapes"].setdefault(
        barcode, {"label": None, "set": None, "content": []}
    )


def is_cleaning(barcode):
    return barcode.startswith("CLN")


# -- devices ------------------------------------------------------------------------------


def drive_entry(state, drive):
    """The drive's tape.cfg entry or PBS's ``no such drive`` (tape_device_path)."""
    entry = state.file("tape.cfg").get(drive)
    if entry is None or entry["type"] != "lto":
        raise ApiError(400, f"no such drive '{drive}'")
    return entry


def changer_entry(state, name):
    entry = state.file("tape.cfg").get(name)
    if entry is None or entry["type"] != "changer":
        raise ApiError(400, f"no such changer '{name}'")
    return entry


def physical_changer(state, name):
    entry = changer_entry(state, name)
    changers = library(state)["changers"]
    return changers.setdefault(
        entry["path"], {"slots": 8, "drives": 1, "cartridges": {}, "loaded": {}}
    )


def export_slots(state, name):
    text = changer_entry(state, name).get("export-slots", "")
    return sorted(int(x) for x in text.replace(";", ",").split(",") if x.strip())


def drive_changer(state, drive, required=True):
    """``(changer name, drive number)`` of a drive; PBS's text when it has none."""
    entry = drive_entry(state, drive)
    changer = entry.get("changer")
    if changer is None:
        if required:
            raise ApiError(400, f"drive '{drive}' has no associated changer device")
        return None, None
    return changer, int(entry.get("changer-drivenum", 0))


def check_not_jammed(state, changer):
    if fault(state, "jammed", changer):
        raise ApiError(400, f"changer '{changer}' is jammed (simulated fault)")


def loaded(state, drive):
    """Barcode in the drive, or None."""
    changer, num = drive_changer(state, drive, required=False)
    if changer is None:
        return library(state)["standalone"].get(drive_entry(state, drive)["path"])
    slot = physical_changer(state, changer)["loaded"].get(str(num))
    return slot["barcode"] if slot else None


def require_loaded(state, drive):
    barcode = loaded(state, drive)
    if barcode is None:
        raise ApiError(400, "no media loaded")
    return barcode


def find_slot(state, changer, barcode):
    for slot, code in physical_changer(state, changer)["cartridges"].items():
        if code == barcode:
            return int(slot)
    return None


def _slot_range(state, changer, slot):
    count = physical_changer(state, changer)["slots"]
    if not 1 <= slot <= count:
        raise ApiError(400, f"slot {slot} is out of range (changer has {count} slots)")


def load_slot(state, drive, slot):
    changer, num = drive_changer(state, drive)
    check_not_jammed(state, changer)
    _slot_range(state, changer, slot)
    phys = physical_changer(state, changer)
    barcode = phys["cartridges"].get(str(slot))
    current = phys["loaded"].get(str(num))
    if current and current["slot"] == slot:
        return current["barcode"]  # already loaded from there
    if barcode is None:
        raise ApiError(400, f"slot {slot} is empty")
    if current:
        unload(state, drive)
    del phys["cartridges"][str(slot)]
    phys["loaded"][str(num)] = {"barcode": barcode, "slot": slot}
    return barcode


def load_media(state, drive, label_text):
    changer, num = drive_changer(state, drive)
    current = physical_changer(state, changer)["loaded"].get(str(num))
    if current and current["barcode"] == label_text:
        return
    slot = find_slot(state, changer, label_text)
    if slot is None or slot in export_slots(state, changer):
        raise ApiError(400, f"unable to find media '{label_text}' (offline?)")
    load_slot(state, drive, slot)


def unload(state, drive, target_slot=None):
    changer, num = drive_changer(state, drive)
    check_not_jammed(state, changer)
    phys = physical_changer(state, changer)
    current = phys["loaded"].get(str(num))
    if current is None:
        return None
    slot = target_slot or current["slot"]
    _slot_range(state, changer, slot)
    if str(slot) in phys["cartridges"]:
        raise ApiError(400, f"unload drive {num} to slot {slot} failed - slot is full")
    phys["cartridges"][str(slot)] = current["barcode"]
    del phys["loaded"][str(num)]
    return slot


def transfer(state, changer, source, target):
    check_not_jammed(state, changer)
    _slot_range(state, changer, source)
    _slot_range(state, changer, target)
    cartridges = physical_changer(state, changer)["cartridges"]
    if str(source) not in cartridges:
        raise ApiError(400, f"transfer from slot {source} failed - slot is empty")
    if str(target) in cartridges:
        raise ApiError(400, f"transfer to slot {target} failed - slot is full")
    cartridges[str(target)] = cartridges.pop(str(source))


def export_media(state, drive, label_text):
    """Move ``label_text`` to a free import/export slot; returns it, or None (not online)."""
    changer, num = drive_changer(state, drive)
    check_not_jammed(state, changer)
    phys = physical_changer(state, changer)
    exports = export_slots(state, changer)
    current = phys["loaded"].get(str(num))
    source = None
    if current and current["barcode"] == label_text:
        source = "drive"
    else:
        slot = find_slot(state, changer, label_text)
        if slot is None:
            return None
        if slot in exports:
            return slot
        source = slot
    free = [s for s in exports if str(s) not in phys["cartridges"]]
    if not free:
        raise ApiError(400, "unable to find free export slot")
    if source == "drive":
        unload(state, drive, free[0])
    else:
        phys["cartridges"][str(free[0])] = phys["cartridges"].pop(str(source))
    return free[0]


def changer_status(state, name):
    """MtxStatusEntry list: drives (0-based), then slots (1-based)."""
    check_not_jammed(state, name)
    phys = physical_changer(state, name)
    exports = export_slots(state, name)
    out = []
    for num in range(phys["drives"]):
        item = {"entry-kind": "drive", "entry-id": num}
        current = phys["loaded"].get(str(num))
        if current:
            item["label-text"] = current["barcode"]
            item["loaded-slot"] = current["slot"]
        out.append(item)
    for slot in range(1, phys["slots"] + 1):
        kind = "import-export" if slot in exports else "slot"
        item = {"entry-kind": kind, "entry-id": slot}
        if str(slot) in phys["cartridges"]:
            item["label-text"] = phys["cartridges"][str(slot)]
        out.append(item)
    return out


def online_barcodes(state, name):
    """Barcodes a changer holds outside its import/export slots."""
    phys = physical_changer(state, name)
    exports = export_slots(state, name)
    codes = {c for s, c in phys["cartridges"].items() if int(s) not in exports}
    codes.update(v["barcode"] for v in phys["loaded"].values())
    return codes


# -- inventory ------------------------------------------------------------------------------


def inventory(state):
    return library(state)["inventory"]


def media_by_label(state, label_text):
    for media_uuid, media in inventory(state).items():
        if media["label"]["label-text"] == label_text:
            return media_uuid, media
    return None, None


def location(state, media):
    label_text = media["label"]["label-text"]
    for name, _entry in state.file("tape.cfg").items("changer"):
        if label_text in online_barcodes(state, name):
            return f"online-{name}"
    if media.get("vault"):
        return f"vault-{media['vault']}"
    return "offline"


def media_pool(media):
    if media.get("set"):
        return media["set"]["pool"]
    return media["label"].get("pool")


def store_label(state, barcode, label):
    """Write a fresh media label onto a cartridge and record it (write_media_label)."""
    if media_by_label(state, label["label-text"])[0] is not None:
        raise ApiError(400, f"Media with label '{label['label-text']}' already exists")
    cartridge = tape(state, barcode)
    cartridge.update({"label": dict(label), "set": None, "content": []})
    inventory(state)[label["uuid"]] = {
        "label": dict(label), "set": None, "status": None, "vault": None, "content": []
    }


def check_writable(state, drive, barcode):
    if fault(state, "needs-cleaning", drive):
        raise ApiError(400, f"drive '{drive}' needs cleaning (tape alert flag CLEAN_NOW)")
    if fault(state, "write-protected", barcode):
        raise ApiError(400, f"media '{barcode}' is write-protected")


def rfc3339(epoch):
    return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


def parse_rfc3339(text):
    return int(
        datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
        .replace(tzinfo=datetime.timezone.utc)
        .timestamp()
    )
