"""Tape drive and changer operations: ``/tape/drive/{drive}/...`` and
``/tape/changer/{name}/...`` (PBS src/api2/tape/drive.rs, changer.rs) on the simulated
library of :mod:`saltext.pbs.simulator.tape_model`.

As in PBS: ``load-media``, ``unload``, ``format-media``, ``rewind``, ``eject-media``,
``label-media``, ``barcode-label-media``, ``clean``, ``PUT inventory`` and ``catalog`` start
worker tasks (their errors end the task); ``load-slot``, ``export-media``, ``read-label``,
``GET inventory``, ``restore-key``, ``status``, ``cartridge-memory`` and
``volume-statistics`` answer directly. A drive that does not exist is refused before
anything (``no such drive``). Privileges are ``Tape.Audit`` (status, memory, statistics),
``Tape.Read`` (moving and reading) and ``Tape.Write`` (format and label) on
``/tape/device/{drive}``.
"""

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import tape_model as tm
from saltext.pbs.simulator.endpoints.tape import DEFAULT_DEVICES
from saltext.pbs.simulator.endpoints.tape import KEY_FILE
from saltext.pbs.simulator.endpoints.tape import KEY_PASSWORD
from saltext.pbs.simulator.endpoints.tape import KEY_SECRETS
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.router import endpoint

DRIVE = s.safe_id(3, 32).req()
LABEL = s.safe_id(2, 32)
POOL = s.safe_id(2, 32)
BASE = "/tape/drive/{drive}"
MEDIA_KEYS = "tape-media-keys.json"


def _priv(priv):
    return perms.Privilege("/tape/device/{drive}", priv)


def _drive_worker(ctx, drive, worker_type, work, worker_id=None, log=()):
    """run_drive_worker: look the drive up first, then run ``work(task)`` as the task."""
    tm.drive_entry(ctx.state, drive)
    state = ctx.state

    def run(task):
        work(state, task)

    return ctx.sim.tasks.spawn(
        worker_type, worker_id or drive, ctx.auth_id, log=log, on_success=run
    )


def _media_id(state, barcode):
    """MediaIdFlat of the label on a cartridge (None when it carries none)."""
    cartridge = tm.tape(state, barcode)
    label = cartridge["label"]
    if label is None:
        return None
    out = {k: v for k, v in label.items() if v is not None}
    media_set = cartridge["set"]
    if media_set:
        out.update({"media-set-uuid": media_set["uuid"], "seq-nr": media_set["seq-nr"],
                    "media-set-ctime": media_set["ctime"], "pool": media_set["pool"]})
        if media_set.get("encryption-key-fingerprint"):
            out["encryption-key-fingerprint"] = media_set["encryption-key-fingerprint"]
    return out


# -- changers -------------------------------------------------------------------------------


def _identification(ctx, kind, path):
    """OptionalDeviceIdentification (lookup_device_identification): vendor, model, serial of
    the host device at ``path``, nothing when the host has none there."""
    for device in ctx.state.runtime.get("tape-devices", DEFAULT_DEVICES).get(kind, []):
        if path == device["path"] or path in device.get("aliases", ()):
            return {k: device[k] for k in ("vendor", "model", "serial") if k in device}
    return {}


def _configured(ctx, section_type, acl_area):
    # PBS filters these two lists by Tape.Audit on /tape/drive/{name} and
    # /tape/changer/{name}, not on /tape/device/{name} as every other tape call does
    for name, entry in ctx.state.file("tape.cfg").items(section_type):
        if perms.has_privs(ctx.state, ctx.auth_id, f"/tape/{acl_area}/{name}", "Tape.Audit"):
            yield name, {"name": name, **{k: v for k, v in entry.items() if k != "type"}}


@endpoint("GET", "/tape/changer", params=None, permission=perms.Anybody())
def changer_list(ctx, params):
    """list_changers: each configured changer with its device identification."""
    return [{**item, **_identification(ctx, "changers", item["path"])}
            for _name, item in _configured(ctx, "changer", "changer")]


@endpoint(
    "GET",
    "/tape/drive",
    params={"changer": s.safe_id(3, 32), "query-activity": s.boolean()},
    permission=perms.Anybody(),
)
def drive_list(ctx, params):
    """list_drives: each configured drive (optionally of one changer) with its device
    identification, ``state`` (the UPID of the task holding the drive's lock) and, when
    asked, its ``activity``."""
    running = {t["worker_id"]: t["upid"] for t in ctx.sim.tasks.list()
               if t["status"] == "running" and t.get("worker_id")}
    out = []
    for name, item in _configured(ctx, "lto", "drive"):
        if params.get("changer") is not None and item.get("changer") != params["changer"]:
            continue
        item.update(_identification(ctx, "drives", item["path"]))
        if name in running:
            item["state"] = running[name]
        if params.get("query-activity"):
            item["activity"] = "no-activity"
        out.append(item)
    return out



@endpoint(
    "GET",
    "/tape/changer/{name}/status",
    params={"name": s.safe_id(3, 32).req(), "cache": s.boolean()},
    permission=perms.Privilege("/tape/device/{name}", "Tape.Audit"),
)
def changer_status(ctx, params):
    return tm.changer_status(ctx.state, params["name"])


@endpoint(
    "POST",
    "/tape/changer/{name}/transfer",
    params={
        "name": s.safe_id(3, 32).req(),
        "from": s.integer(minimum=1).req(),
        "to": s.integer(minimum=1).req(),
    },
    permission=perms.Privilege("/tape/device/{name}", "Tape.Read"),
)
def changer_transfer(ctx, params):
    tm.changer_entry(ctx.state, params["name"])
    tm.transfer(ctx.state, params["name"], params["from"], params["to"])


# -- moving media ---------------------------------------------------------------------------


@endpoint("POST", BASE + "/load-media",
          params={"drive": DRIVE, "label-text": LABEL.req()}, permission=_priv("Tape.Read"))
def drive_load_media(ctx, params):
    drive, label_text = params["drive"], params["label-text"]

    def work(state, task):
        task.log(f"loading media '{label_text}' into drive '{drive}'")
        tm.load_media(state, drive, label_text)

    return _drive_worker(ctx, drive, "load-media", work, worker_id=f"{drive}:{label_text}")


@endpoint("POST", BASE + "/load-slot",
          params={"drive": DRIVE, "source-slot": s.integer(minimum=1).req()},
          permission=_priv("Tape.Read"))
def drive_load_slot(ctx, params):
    tm.load_slot(ctx.state, params["drive"], params["source-slot"])


@endpoint("POST", BASE + "/unload",
          params={"drive": DRIVE, "target-slot": s.integer(minimum=1)},
          permission=_priv("Tape.Read"))
def drive_unload(ctx, params):
    drive, target = params["drive"], params.get("target-slot")

    def work(state, task):
        task.log(f"unloading media from drive '{drive}'")
        tm.unload(state, drive, target)

    return _drive_worker(ctx, drive, "unload-media", work)


@endpoint("PUT", BASE + "/export-media",
          params={"drive": DRIVE, "label-text": LABEL.req()}, permission=_priv("Tape.Read"))
def drive_export_media(ctx, params):
    drive, label_text = params["drive"], params["label-text"]
    changer, _num = tm.drive_changer(ctx.state, drive)
    slot = tm.export_media(ctx.state, drive, label_text)
    if slot is None:
        raise ApiError(400, f"media '{label_text}' is not online (via changer '{changer}')")
    return slot


def _simple_worker(worker_type, message, action):
    def handler(ctx, params):
        drive = params["drive"]

        def work(state, task):
            task.log(message)
            action(state, drive)

        return _drive_worker(ctx, drive, worker_type, work)

    return handler


def _eject(state, drive):
    changer, _num = tm.drive_changer(state, drive, required=False)
    if changer is None:
        tm.library(state)["standalone"][tm.drive_entry(state, drive)["path"]] = None
    else:
        tm.unload(state, drive)


endpoint("POST", BASE + "/rewind", params={"drive": DRIVE}, permission=_priv("Tape.Read"))(
    _simple_worker("rewind-media", "rewind media", lambda st, d: tm.require_loaded(st, d))
)
endpoint("POST", BASE + "/eject-media", params={"drive": DRIVE},
         permission=_priv("Tape.Read"))(_simple_worker("eject-media", "eject media", _eject))


@endpoint("PUT", BASE + "/clean", params={"drive": DRIVE}, permission=_priv("Tape.Read"))
def drive_clean(ctx, params):
    drive = params["drive"]

    def work(state, task):
        changer, num = tm.drive_changer(state, drive)
        task.log("Starting drive clean")
        tm.check_not_jammed(state, changer)
        phys = tm.physical_changer(state, changer)
        slot = next((int(s_) for s_, c in phys["cartridges"].items() if tm.is_cleaning(c)), None)
        if slot is None:
            raise ApiError(400, "unable to find cleaning unit")
        if phys["loaded"].get(str(num)):
            tm.unload(state, drive)
        tm.load_slot(state, drive, slot)
        tm.unload(state, drive)
        faults = tm.library(state)["faults"]
        faults["needs-cleaning"] = [d for d in faults["needs-cleaning"] if d != drive]
        task.log("Drive cleaned successfully")

    return _drive_worker(ctx, drive, "clean-drive", work)


# -- labels ---------------------------------------------------------------------------------


def _check_pool(ctx, pool):
    if pool is not None and ctx.state.file("media-pool.cfg").get(pool) is None:
        raise ApiError(400, f"no such pool ('{pool}')")


def _label_loaded(state, task, drive, barcode, label_text, pool, now):
    tm.check_writable(state, drive, barcode)
    cartridge = tm.tape(state, barcode)
    if cartridge["label"] is not None:
        raise ApiError(400, "media is not empty (format it first)")
    label = {"label-text": label_text, "uuid": tm.new_uuid(), "ctime": int(now), "pool": pool}
    tm.store_label(state, barcode, label)
    if pool:
        task.log(f"Label media '{label_text}' for pool '{pool}'")
    else:
        task.log(f"Label media '{label_text}' (no pool assignment)")


@endpoint("POST", BASE + "/label-media",
          params={"drive": DRIVE, "label-text": LABEL.req(), "pool": POOL},
          permission=_priv("Tape.Write"))
def drive_label_media(ctx, params):
    drive, label_text, pool = params["drive"], params["label-text"], params.get("pool")
    _check_pool(ctx, pool)
    now = ctx.sim.clock.now()

    def work(state, task):
        barcode = tm.require_loaded(state, drive)
        _label_loaded(state, task, drive, barcode, label_text, pool, now)

    return _drive_worker(ctx, drive, "label-media", work)


@endpoint("POST", BASE + "/barcode-label-media",
          params={"drive": DRIVE, "pool": POOL}, permission=_priv("Tape.Write"))
def drive_barcode_label(ctx, params):
    drive, pool = params["drive"], params.get("pool")
    _check_pool(ctx, pool)
    now = ctx.sim.clock.now()

    def work(state, task):
        changer, _num = tm.drive_changer(state, drive)
        codes = sorted(tm.online_barcodes(state, changer))
        if not codes:
            raise ApiError(400, "changer device does not list any media labels")
        for barcode in codes:
            if tm.is_cleaning(barcode):
                continue
            if tm.media_by_label(state, barcode)[0] is not None:
                task.log(f"media '{barcode}' already inventoried (already labeled)")
                continue
            task.log(f"checking/loading media '{barcode}'")
            tm.load_media(state, drive, barcode)
            if tm.tape(state, barcode)["label"] is not None:
                task.log(f"media '{barcode}' is not empty (format it first)")
                continue
            _label_loaded(state, task, drive, barcode, barcode, pool, now)

    return _drive_worker(ctx, drive, "barcode-label-media", work)


@endpoint("GET", BASE + "/read-label",
          params={"drive": DRIVE, "inventorize": s.boolean()}, permission=_priv("Tape.Read"))
def drive_read_label(ctx, params):
    state = ctx.state
    barcode = tm.require_loaded(state, params["drive"])
    media_id = _media_id(state, barcode)
    if media_id is None:
        raise ApiError(400, "Media is empty (no label).")
    if params.get("inventorize") and media_id["uuid"] not in tm.inventory(state):
        cartridge = tm.tape(state, barcode)
        tm.inventory(state)[media_id["uuid"]] = {
            "label": dict(cartridge["label"]), "set": cartridge["set"], "status": None,
            "vault": None, "content": [],
        }
    return media_id


@endpoint("POST", BASE + "/format-media",
          params={"drive": DRIVE, "fast": s.boolean(), "label-text": LABEL},
          permission=_priv("Tape.Write"))
def drive_format(ctx, params):
    drive, label_text = params["drive"], params.get("label-text")

    def work(state, task):
        if label_text is not None and tm.drive_changer(state, drive, required=False)[0]:
            task.log(f"try to load media '{label_text}'")
            tm.load_media(state, drive, label_text)
        barcode = tm.require_loaded(state, drive)
        tm.check_writable(state, drive, barcode)
        cartridge = tm.tape(state, barcode)
        label = cartridge["label"]
        if label is None:
            if label_text is not None:
                raise ApiError(400, f"expected label '{label_text}', found empty tape")
            task.log("found empty media - format anyways")
        else:
            if label_text is not None and label["label-text"] != label_text:
                raise ApiError(400, f"expected label '{label_text}', found "
                                    f"'{label['label-text']}', aborting")
            task.log(f"found media '{label['label-text']}' with uuid '{label['uuid']}'")
            tm.inventory(state).pop(label["uuid"], None)
        cartridge.update({"label": None, "set": None, "content": []})

    return _drive_worker(ctx, drive, "format-media", work)


# -- inventory and catalog ------------------------------------------------------------------


@endpoint("GET", BASE + "/inventory", params={"drive": DRIVE}, permission=_priv("Tape.Read"))
def drive_inventory(ctx, params):
    changer, _num = tm.drive_changer(ctx.state, params["drive"])
    out = []
    for barcode in sorted(tm.online_barcodes(ctx.state, changer)):
        if tm.is_cleaning(barcode):
            continue
        item = {"label-text": barcode}
        media_uuid, _media = tm.media_by_label(ctx.state, barcode)
        if media_uuid:
            item["uuid"] = media_uuid
        out.append(item)
    return out


@endpoint("PUT", BASE + "/inventory",
          params={"drive": DRIVE, "read-all-labels": s.boolean(), "catalog": s.boolean()},
          permission=_priv("Tape.Read"))
def drive_update_inventory(ctx, params):
    drive, read_all = params["drive"], params.get("read-all-labels", False)
    catalog = params.get("catalog", False)

    def work(state, task):
        changer, _num = tm.drive_changer(state, drive)
        for barcode in sorted(tm.online_barcodes(state, changer)):
            if tm.is_cleaning(barcode):
                task.log(f"skip cleaning unit '{barcode}'")
                continue
            if not read_all and tm.media_by_label(state, barcode)[0] is not None:
                task.log(f"media '{barcode}' already inventoried")
                continue
            tm.load_media(state, drive, barcode)
            cartridge = tm.tape(state, barcode)
            if cartridge["label"] is None:
                task.log(f"media '{barcode}' is empty")
                continue
            _register(state, cartridge, catalog)
            task.log(f"inventorize media '{barcode}' with uuid '{cartridge['label']['uuid']}'")

    return _drive_worker(ctx, drive, "inventory-update", work)


def _register(state, cartridge, catalog):
    media = tm.inventory(state).setdefault(
        cartridge["label"]["uuid"],
        {"label": dict(cartridge["label"]), "status": None, "vault": None, "content": []},
    )
    media["set"] = cartridge["set"]
    if catalog:
        media["content"] = [list(x) for x in cartridge["content"]]
    return media


@endpoint("POST", BASE + "/catalog",
          params={"drive": DRIVE, "force": s.boolean(), "scan": s.boolean(),
                  "verbose": s.boolean()},
          permission=_priv("Tape.Read"))
def drive_catalog(ctx, params):
    drive, force = params["drive"], params.get("force", False)

    def work(state, task):
        barcode = tm.require_loaded(state, drive)
        cartridge = tm.tape(state, barcode)
        if cartridge["label"] is None:
            raise ApiError(400, "media is empty (no media label found)")
        known = tm.inventory(state).get(cartridge["label"]["uuid"])
        if known and known.get("content") and not force:
            raise ApiError(400, "media catalog exists (please use --force to overwrite)")
        _register(state, cartridge, True)
        for store, snapshot in cartridge["content"]:
            task.log(f"found snapshot {store}:{snapshot}")

    return _drive_worker(ctx, drive, "catalog-media", work)


@endpoint("POST", BASE + "/restore-key",
          params={"drive": DRIVE, "password": KEY_PASSWORD.req()},
          permission=_priv("Tape.Read"), secrets=("password",))
def drive_restore_key(ctx, params):
    state = ctx.state
    barcode = tm.require_loaded(state, params["drive"])
    media_set = tm.tape(state, barcode)["set"]
    fingerprint = (media_set or {}).get("encryption-key-fingerprint")
    saved = state.secret_store(MEDIA_KEYS).get(fingerprint or "")
    if not fingerprint or saved is None:
        raise ApiError(400, "media does not contain any encryption key configuration")
    if saved["password"] != params["password"]:
        raise ApiError(400, "Unable to decrypt key (wrong password?) - authentication failed")
    cfg = state.file(KEY_FILE)
    if cfg.get(fingerprint) is None:
        cfg.set(fingerprint, "key", dict(saved["info"]))
        state.secret_store(KEY_SECRETS)[fingerprint] = {"password": saved["password"],
                                                        "key": None}


# -- drive read-outs ------------------------------------------------------------------------


def _device(state, drive):
    path = tm.drive_entry(state, drive)["path"]
    devices = state.runtime.get("tape-devices", DEFAULT_DEVICES)["drives"]
    for device in devices:
        if path == device["path"] or path in device.get("aliases", ()):
            return device
    return {"vendor": "IBM", "model": "ULTRIUM-HH9", "serial": "unknown"}


@endpoint("GET", BASE + "/status", params={"drive": DRIVE}, permission=_priv("Tape.Audit"))
def drive_status(ctx, params):
    state, drive = ctx.state, params["drive"]
    device = _device(state, drive)
    out = {"vendor": device["vendor"], "product": device["model"], "revision": "Q3A4",
           "blocksize": 0, "buffer-mode": 1, "compression": True}
    if tm.fault(state, "needs-cleaning", drive):
        out["alert-flags"] = "CLEAN_NOW"
    barcode = tm.loaded(state, drive)
    if barcode is not None:
        out.update({"density": "LTO9", "write-protect": tm.fault(state, "write-protected",
                                                                  barcode),
                    "file-number": 0, "block-number": 0, "manufactured": 1672531200,
                    "bytes-read": 0, "bytes-written": 0, "medium-passes": 2,
                    "medium-wearout": 0.01, "volume-mounts": 3})
    return out


@endpoint("GET", BASE + "/cartridge-memory", params={"drive": DRIVE},
          permission=_priv("Tape.Audit"))
def drive_cartridge_memory(ctx, params):
    barcode = tm.require_loaded(ctx.state, params["drive"])
    return [
        {"id": 0x0000, "name": "Remaining Capacity In Partition", "value": "18000000 MB"},
        {"id": 0x0001, "name": "Maximum Capacity In Partition", "value": "18000000 MB"},
        {"id": 0x0400, "name": "Medium Manufacturer", "value": "FUJI"},
        {"id": 0x0806, "name": "Barcode", "value": barcode},
    ]


@endpoint("GET", BASE + "/volume-statistics", params={"drive": DRIVE},
          permission=_priv("Tape.Audit"))
def drive_volume_statistics(ctx, params):
    barcode = tm.require_loaded(ctx.state, params["drive"])
    written = len(tm.tape(ctx.state, barcode)["content"])
    keys = (
        "beginning-of-medium-passes", "last-load-read-compression-ratio",
        "last-load-write-compression-ratio", "last-mount-bytes-read",
        "last-mount-unrecovered-read-errors", "last-mount-unrecovered-write-errors",
        "lifetime-bytes-read", "medium-mount-time", "medium-ready-time",
        "middle-of-tape-passes", "volume-datasets-read", "volume-recovered-read-errors",
        "volume-recovered-write-data-errors", "volume-unrecovered-read-errors",
        "volume-unrecovered-write-data-errors", "volume-unrecovered-write-servo-errors",
        "volume-write-servo-errors",
    )
    out = dict.fromkeys(keys, 0)
    out.update({"serial": barcode, "volume-mounts": 3, "worm": False,
                "write-protect": tm.fault(ctx.state, "write-protected", barcode),
                "total-native-capacity": 18_000_000_000_000,
                "total-used-native-capacity": written * 1_000_000_000,
                "last-mount-bytes-written": written * 1_000_000_000,
                "lifetime-bytes-written": written * 1_000_000_000,
                "volume-datasets-written": written})
    return out
