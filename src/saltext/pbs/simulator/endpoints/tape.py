"""Tape configuration: drives, changers, media pools and tape backup jobs.

PBS src/api2/config/{drive,changer,media_pool,tape_backup_job}.rs, pbs-tape
linux_list_drives.rs, src/tape/mod.rs; types from pbs-api-types tape/*.rs and jobs.rs.

* Drives (section type ``lto``) and changers share ``tape.cfg``: one digest and one name
  space. Their paths must name a tape device the host has; the simulated host's devices are
  ``state.runtime["tape-devices"]`` ``{"drives": [...], "changers": [...]}`` (default
  :data:`DEFAULT_DEVICES`). Deletes take no ``digest`` and check the section type.
* Media pools (``media-pool.cfg``) have no digest on item reads and none on PUT or DELETE;
  ``allocation`` is ``continue``, ``always`` or a calendar event, ``retention`` is
  ``overwrite``, ``keep`` or a time span.
* Tape backup jobs (``tape-job.cfg``, section type ``backup``) need a filesystem datastore;
  updates look the job up before comparing the digest.
* ``GET /tape/backup`` lists the jobs with their schedule status, ``POST
  /tape/backup/{id}`` runs one (a ``tape-backup-job`` task; nothing is written).
* ``/tape/scan-drives`` and ``/tape/scan-changers`` list the simulated devices (root@pam
  only); tape encryption keys are described at their section below.
"""

import hashlib
import json
import re
import secrets

from saltext.pbs.simulator import calendar
from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import values
from saltext.pbs.simulator.collections import Collection
from saltext.pbs.simulator.collections import check_digest
from saltext.pbs.simulator.endpoints.datastore import backend_type
from saltext.pbs.simulator.endpoints.jobs import GROUP_FILTER
from saltext.pbs.simulator.endpoints.jobs import JOB_ID
from saltext.pbs.simulator.endpoints.jobs import NS_DEPTH
from saltext.pbs.simulator.endpoints.jobs import STORE
from saltext.pbs.simulator.endpoints.jobs import store_group_filters
from saltext.pbs.simulator.endpoints.jobs import jobstate_created
from saltext.pbs.simulator.endpoints.jobs import jobstate_remove
from saltext.pbs.simulator.endpoints.jobs import jobstate_schedule_changed
from saltext.pbs.simulator.endpoints.jobs import schedule_status
from saltext.pbs.simulator.endpoints.jobs import start_job
from saltext.pbs.simulator.endpoints.realms import list_format
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import ParamError
from saltext.pbs.simulator.perms import check_privs
from saltext.pbs.simulator.perms import has_privs
from saltext.pbs.simulator.router import endpoint

# TapeDeviceInfo of the simulated host's devices; "aliases" are other device nodes of the
# same device (PBS compares device numbers, so /dev/sg0 and its by-id link are one device)
DEFAULT_DEVICES = {
    "drives": [
        {"kind": "tape", "path": "/dev/tape/by-id/scsi-10WT065325-sg", "serial": "10WT065325",
         "vendor": "IBM", "model": "ULTRIUM-HH9", "major": 21, "minor": 0,
         "aliases": ["/dev/sg0"]},
        {"kind": "tape", "path": "/dev/tape/by-id/scsi-10WT065326-sg", "serial": "10WT065326",
         "vendor": "IBM", "model": "ULTRIUM-HH9", "major": 21, "minor": 1,
         "aliases": ["/dev/sg1"]},
    ],
    "changers": [
        {"kind": "changer", "path": "/dev/tape/by-id/scsi-CJ0JBE0059-changer",
         "serial": "CJ0JBE0059", "vendor": "QUANTUM", "model": "Scalar i3-i6", "major": 21,
         "minor": 4, "aliases": ["/dev/sg4"]},
    ],
}
DEVICE_AUDIT = perms.Privilege("/tape/device/{name}", "Tape.Audit")
DEVICE_MODIFY = perms.Privilege("/tape/device/{name}", "Tape.Modify")
DEVICE_NAME = s.safe_id(3, 32)


def _devices(ctx, kind):
    return ctx.state.runtime.get("tape-devices", DEFAULT_DEVICES).get(kind, [])


def _check_device_path(ctx, kind, path):
    # PBS uses the drive check for changers too, hence the same text
    for device in _devices(ctx, kind):
        if path == device["path"] or path in device.get("aliases", ()):
            return
    raise ApiError(400, f"path '{path}' is not a lto SCSI-generic tape device")


def _scan(kind):
    def handler(ctx, params):
        return [{k: v for k, v in d.items() if k != "aliases"} for d in _devices(ctx, kind)]

    # no access declaration in PBS: root@pam only
    endpoint("GET", f"/tape/scan-{kind}", params=None, permission=perms.Superuser())(handler)


_scan("drives")
_scan("changers")


class TapeDevices(Collection):
    """Drives and changers: DELETE checks the type and has its own texts."""

    def do_delete(self, ctx, params):
        name = params["name"]
        cfg = self.cfg(ctx)
        entry = cfg.get(name)
        kind, missing = self.extra
        if entry is None:
            raise ApiError(404, missing.format(name=name))
        if entry["type"] != self.section_type:
            raise ParamError({"name": f"Entry '{name}' exists, but is not {kind}"})
        if self.on_delete is not None:
            self.on_delete(ctx, name, entry, params)
        cfg.remove(name)


def _check_new_device(kind, section_type, in_use):
    """on_create: the path is a device of the host and not used by another entry."""

    def check(ctx, name, data, params):
        _check_device_path(ctx, kind, data["path"])
        for other, entry in ctx.state.file("tape.cfg").items(section_type):
            if entry["path"] == data["path"]:
                raise ParamError({"path": in_use.format(path=data["path"], other=other)})

    return check


def _devices_collection(section_type, base, props, deletable, kind, missing, **hooks):
    return TapeDevices(
        file="tape.cfg",
        section_type=section_type,
        base=base,
        id_param="name",
        id_schema=DEVICE_NAME,
        props={"path": s.string().req(), **props},
        deletable=deletable,
        exists="Entry '{id}' already exists",
        delete_digest=False,
        trim_comment=False,
        perm_list=perms.Anybody(),
        visible=DEVICE_AUDIT,
        perm_read=DEVICE_AUDIT,
        perm_create=perms.Privilege("/tape/device", "Tape.Modify"),
        perm_modify=DEVICE_MODIFY,
        extra=(kind, missing),
        **hooks,
    ).register()


# -- drives -------------------------------------------------------------------------------


def _drive_update(ctx, name, data, params, old):
    if "changer" in params.get("delete", []) and "changer-drivenum" not in params:
        data.pop("changer-drivenum", None)
    if "path" in params:
        _check_device_path(ctx, "drives", params["path"])
    if "changer" in params:
        CHANGERS.lookup(ctx, params["changer"])
    if "changer-drivenum" in params:
        if params["changer-drivenum"] == 0:
            data.pop("changer-drivenum", None)
        elif "changer" not in data:
            raise ParamError({"changer": "Option 'changer-drivenum' requires option 'changer'."})


DRIVES = _devices_collection(
    "lto",
    "/config/drive",
    {"changer": DEVICE_NAME, "changer-drivenum": s.integer(minimum=0, maximum=255)},
    ("changer", "changer-drivenum"),
    "a lto tape drive",
    "Delete drive '{name}' failed - no such drive",
    # PBS checks that the changer exists on update only
    on_create=_check_new_device("drives", "lto", "Path '{path}' already used in drive '{other}'"),
    on_update=_drive_update,
)


# -- changers -----------------------------------------------------------------------------

SLOT_LIST = s.string(fmt=list_format(s.integer(minimum=1)))


def _changer_update(ctx, name, data, params, old):
    if "path" in params:
        _check_device_path(ctx, "changers", params["path"])
    if "export-slots" in params:
        # re-printed from the parsed numbers, sorted as text (so "10" sorts before "2")
        slots = sorted(str(int(x)) for x in re.split(r"[,;\s]+", params["export-slots"]) if x)
        if slots:
            data["export-slots"] = ",".join(slots)
        else:
            data.pop("export-slots", None)


def _changer_delete(ctx, name, entry, params):
    for drive, drive_entry in ctx.state.file("tape.cfg").items("lto"):
        if drive_entry.get("changer") == name:
            raise ParamError(
                {"name": f"Delete changer '{name}' failed - used by drive '{drive}'"}
            )


CHANGERS = _devices_collection(
    "changer",
    "/config/changer",
    {"export-slots": SLOT_LIST, "eject-before-unload": s.boolean()},
    ("export-slots", "eject-before-unload"),
    "a changer device",
    "Delete changer '{name}' failed - no such entry",
    on_create=_check_new_device(
        "changers", "changer", "Path '{path}' already in use by '{other}'"
    ),
    on_update=_changer_update,
    on_delete=_changer_delete,
)


# -- media pools --------------------------------------------------------------------------

_SPAN_UNITS = {
    "seconds", "second", "sec", "s", "msec", "ms", "usec", "us", "µs", "nsec", "ns",
    "minutes", "minute", "min", "m", "hours", "hour", "hr", "h", "days", "day", "d",
    "weeks", "week", "w", "months", "month", "M", "years", "year", "y",
}
_SPAN_TOKEN = re.compile(r"\s*(\d+)\s*([a-zA-Zµ]*)")


def check_time_span(text):
    """proxmox-time TimeSpan: ``<n>[unit]`` repeated; a number without unit is seconds."""
    rest = text
    parsed = False
    while rest.strip():
        match = _SPAN_TOKEN.match(rest)
        if not match or (match.group(2) and match.group(2) not in _SPAN_UNITS):
            # PBS appends nom's error details to this text
            at = rest.strip() if not match else rest[match.start(2):]
            return f"unable to parse time span at '{at}'"
        parsed = True
        rest = rest[match.end():]
    return None if parsed else "unable to parse time span"


def check_allocation(text):
    if text in ("continue", "always"):
        return None
    return calendar.check_calendar_event(text)


def check_retention(text):
    if text in ("overwrite", "keep"):
        return None
    return check_time_span(text)


class MediaPools(Collection):
    """No digest on PUT (and none on item reads or DELETE)."""

    def update_schema(self):
        params = super().update_schema()
        params.pop("digest")
        return params


POOL_AUDIT = perms.Privilege("/tape/pool/{name}", "Tape.Audit")
MEDIA_POOLS = MediaPools(
    file="media-pool.cfg",
    section_type="pool",
    base="/config/media-pool",
    id_param="name",
    id_schema=s.safe_id(2, 32),
    props={
        "allocation": s.string(fmt=check_allocation),
        "retention": s.string(fmt=check_retention),
        "template": s.string(pattern=values.SINGLE_LINE_COMMENT_RE, min_length=2, max_length=64),
        "encrypt": s.FINGERPRINT,
        "comment": s.COMMENT,
    },
    deletable=("allocation", "retention", "template", "encrypt", "comment"),
    exists="Media pool '{id}' already exists",
    missing_delete="delete pool '{id}' failed - no such pool",
    delete_digest=False,
    item_digest=False,
    perm_list=perms.Anybody(),
    visible=POOL_AUDIT,
    perm_read=POOL_AUDIT,
    perm_create=perms.Privilege("/tape/pool", "Tape.Modify"),
    perm_modify=perms.Privilege("/tape/pool/{name}", "Tape.Modify"),
).register()


# -- tape backup jobs ---------------------------------------------------------------------

JOBTYPE = "tape-backup-job"


def _assert_datastore_type(ctx, store):
    """src/tape/mod.rs assert_datastore_type: tape backups need a filesystem datastore."""
    entry = ctx.state.file("datastore.cfg").get(store)
    if entry is None or entry["type"] != "datastore":
        raise ApiError(400, f"no such datastore '{store}'")
    if backend_type(entry) == "s3":
        raise ApiError(400, "direct s3/tape operations are not supported")


def _job_create(ctx, job_id, data, params):
    jobstate_created(ctx, JOBTYPE, job_id)


def _job_update(ctx, job_id, data, params, old):
    if "store" in params:
        _assert_datastore_type(ctx, params["store"])
    if old.get("schedule") != params.get("schedule"):
        jobstate_schedule_changed(ctx, JOBTYPE, job_id)


class TapeJobs(Collection):
    """The datastore is checked first; updates look the job up before comparing the digest
    (create/update_tape_backup_job)."""

    def build_new(self, ctx, params):
        _assert_datastore_type(ctx, params["store"])
        return super().build_new(ctx, params)

    def do_update(self, ctx, params):
        if "store" in params:
            _assert_datastore_type(ctx, params["store"])
        self.lookup(ctx, params["id"])
        super().do_update(ctx, params)


JOB_AUDIT = perms.Privilege("/tape/job/{id}", "Tape.Audit")
TAPE_JOBS = TapeJobs(
    file="tape-job.cfg",
    section_type="backup",
    base="/config/tape-backup-job",
    id_param="id",
    id_schema=JOB_ID,
    props={
        "store": STORE.req(),
        "pool": s.safe_id(2, 32).req(),
        "drive": DEVICE_NAME.req(),
        "eject-media": s.boolean(),
        "export-media-set": s.boolean(),
        "latest-only": s.boolean(),
        "notify-user": s.USERID,
        "notification-mode": s.enum("legacy-sendmail", "notification-system"),
        "group-filter": s.array(GROUP_FILTER),
        "ns": s.NAMESPACE,
        "max-depth": NS_DEPTH,
        "worker-threads": s.integer(minimum=1, maximum=32),
        "schedule": s.CALENDAR_EVENT,
        "comment": s.COMMENT,
    },
    deletable=(
        "comment",
        "schedule",
        "eject-media",
        "export-media-set",
        "latest-only",
        "notify-user",
        "notification-mode",
        "group-filter",
        "max-depth",
        "ns",
        "worker-threads",
    ),
    exists="job '{id}' already exists.",
    missing_delete="job '{id}' does not exist.",
    perm_list=perms.Anybody(),
    visible=JOB_AUDIT,
    perm_read=JOB_AUDIT,
    perm_create=perms.Privilege("/tape/job", "Tape.Modify"),
    perm_modify=perms.Privilege("/tape/job/{id}", "Tape.Modify"),
    on_create=_job_create,
    on_update=_job_update,
    on_delete=lambda ctx, job_id, entry, params: jobstate_remove(ctx, JOBTYPE, job_id),
    normalize={"group-filter": store_group_filters},
).register()


# -- tape encryption keys -------------------------------------------------------------------
# PBS src/api2/config/tape_encryption_keys.rs, src/tape/encryption_keys.rs. The key
# configurations (KeyInfo: kdf, created, modified, hint, fingerprint) are one JSON file with
# a digest; the keys and the passwords protecting them are write-only secrets here. The
# simulator cannot decrypt a real paper key, so an imported ``key`` is accepted when it is a
# key configuration (JSON object with ``kdf`` and ``fingerprint``) whatever the password.

KEY_FILE = "tape-encryption-key-config.json"
KEY_SECRETS = "tape-encryption-keys.json"
KEY_AUDIT = perms.Privilege("/tape/pool", "Tape.Audit")
KEY_MODIFY = perms.Privilege("/tape/pool", "Tape.Modify")
KDF = s.enum("none", "scrypt", "pbkdf2")
HINT = s.string(pattern=values.SINGLE_LINE_COMMENT_RE, min_length=1, max_length=64)
KEY_PASSWORD = s.string(min_length=5)
NO_KDF = "Please specify a key derivation function (none is not allowed here)."


def _key_cfg(ctx):
    return ctx.state.file(KEY_FILE)


def _key_info(fingerprint, entry):
    info = {"fingerprint": fingerprint}
    info.update({k: v for k, v in entry.items() if k != "type"})
    return info


def _fingerprint_param(params):
    # the Fingerprint type parses hex pairs, so the case of the path does not matter
    return params["fingerprint"].lower()


@endpoint("GET", "/config/tape-encryption-keys", params=None, permission=KEY_AUDIT)
def list_tape_keys(ctx, params):
    cfg = _key_cfg(ctx)
    ctx.attrs["digest"] = cfg.digest()
    return [_key_info(fp, entry) for fp, entry in cfg.items()]


@endpoint(
    "POST",
    "/config/tape-encryption-keys",
    params={
        "kdf": KDF,
        "password": KEY_PASSWORD.req(),
        "hint": HINT,
        "key": s.string(min_length=300, max_length=600),
    },
    permission=KEY_MODIFY,
    secrets=("password", "key"),
)
def create_tape_key(ctx, params):
    kdf = params.get("kdf", "scrypt")
    key = params.get("key")
    if key is None:
        if kdf == "none":
            raise ParamError({"kdf": NO_KDF})
        if "hint" not in params:
            raise ParamError({"hint": "Please specify either a hint or a key"})
        material = secrets.token_hex(32)
        digest = hashlib.sha256(bytes.fromhex(material)).hexdigest()
        fingerprint = ":".join(digest[i : i + 2] for i in range(0, 64, 2))
        now = int(ctx.sim.clock.now())
        entry = {"kdf": kdf, "created": now, "modified": now}
    else:
        try:
            imported = json.loads(key)
        except ValueError as exc:
            # PBS's own message has this placeholder
            raise ApiError(400, f"<errmsg>: {exc}") from None
        if not isinstance(imported, dict) or not values.FINGERPRINT_RE.match(
            str(imported.get("fingerprint", ""))
        ):
            raise ApiError(400, "missing encryption key fingerprint - internal error")
        material = None
        fingerprint = imported["fingerprint"].lower()
        entry = {k: imported[k] for k in ("kdf", "created", "modified", "hint") if k in imported}
    if "hint" in params:
        entry["hint"] = params["hint"]
    cfg = _key_cfg(ctx)
    if cfg.get(fingerprint) is not None:
        raise ApiError(400, f"encryption key '{fingerprint}' already exists.")
    cfg.set(fingerprint, "key", entry)
    ctx.state.secret_store(KEY_SECRETS)[fingerprint] = {
        "password": params["password"], "key": material
    }
    return fingerprint


@endpoint(
    "GET",
    "/config/tape-encryption-keys/{fingerprint}",
    params={"fingerprint": s.FINGERPRINT.req()},
    permission=KEY_AUDIT,
)
def read_tape_key(ctx, params):
    fingerprint = _fingerprint_param(params)
    entry = _key_cfg(ctx).get(fingerprint)
    if entry is None:
        raise ApiError(404, f"tape encryption key '{fingerprint}' does not exist.")
    return _key_info(fingerprint, entry)


@endpoint(
    "PUT",
    "/config/tape-encryption-keys/{fingerprint}",
    params={
        "fingerprint": s.FINGERPRINT.req(),
        "kdf": KDF,
        "password": KEY_PASSWORD,
        "new-password": KEY_PASSWORD.req(),
        "hint": HINT.req(),
        "force": s.boolean(),
        "digest": s.DIGEST,
    },
    permission=KEY_MODIFY,
    secrets=("password", "new-password"),
)
def change_tape_key_passphrase(ctx, params):
    kdf = params.get("kdf", "scrypt")
    if kdf == "none":
        raise ParamError({"kdf": NO_KDF})
    fingerprint = _fingerprint_param(params)
    cfg = _key_cfg(ctx)
    check_digest(cfg, params.get("digest"))
    entry = cfg.get(fingerprint)
    if entry is None:
        raise ApiError(
            404, f"tape encryption key configuration '{fingerprint}' does not exist."
        )
    force = params.get("force", False)
    if force and not perms.is_superuser(ctx.auth_id):
        raise ApiError(400, "resetting the key's passphrase requires root privileges")
    password = params.get("password")
    if force and password is not None:
        raise ParamError({"password": "password is not allowed when using force"})
    if not force and password is None:
        raise ParamError({"password": "missing parameter: password"})
    stored = ctx.state.secret_store(KEY_SECRETS).setdefault(fingerprint, {})
    if not force and stored.get("password") not in (None, password):
        if entry.get("hint"):
            raise ApiError(400, f"Unable to decrypt key (password hint: {entry['hint']})")
        raise ApiError(400, "Unable to decrypt key (wrong password?) - authentication failed")
    stored["password"] = params["new-password"]
    new = dict({k: v for k, v in entry.items() if k != "type"}, kdf=kdf, hint=params["hint"])
    new["modified"] = int(ctx.sim.clock.now())
    cfg.set(fingerprint, "key", new)


@endpoint(
    "DELETE",
    "/config/tape-encryption-keys/{fingerprint}",
    params={"fingerprint": s.FINGERPRINT.req(), "digest": s.DIGEST},
    permission=KEY_MODIFY,
)
def delete_tape_key(ctx, params):
    fingerprint = _fingerprint_param(params)
    cfg = _key_cfg(ctx)
    check_digest(cfg, params.get("digest"))
    if cfg.get(fingerprint) is None:
        raise ApiError(404, f"tape encryption key '{fingerprint}' does not exist.")
    cfg.remove(fingerprint)
    ctx.state.secret_store(KEY_SECRETS).pop(fingerprint, None)


# -- tape backup job status and run ---------------------------------------------------------
# PBS src/api2/tape/backup.rs. There is no simulated media, so no next-media-label is given
# and a run writes nothing: the task logs its start and ends OK (or as a fault says).


@endpoint("GET", "/tape/backup", params=None, permission=perms.Anybody())
def list_tape_backup_status(ctx, params):
    cfg = TAPE_JOBS.cfg(ctx)
    out = []
    for job_id, entry in cfg.items("backup"):
        if not has_privs(ctx.state, ctx.auth_id, f"/tape/job/{job_id}", "Tape.Audit"):
            continue
        item = TAPE_JOBS.output(ctx, job_id, entry)
        item.update(schedule_status(ctx, JOBTYPE, job_id, entry.get("schedule")))
        out.append(item)
    ctx.attrs["digest"] = cfg.digest()
    return out


@endpoint(
    "POST", "/tape/backup/{id}", params={"id": JOB_ID.req()}, permission=perms.Anybody()
)
def run_tape_backup_job(ctx, params):
    job_id = params["id"]
    job = TAPE_JOBS.lookup(ctx, job_id)
    store, pool, drive = job["store"], job["pool"], job["drive"]
    check_privs(ctx, f"/datastore/{store}", "Datastore.Read")
    check_privs(ctx, f"/tape/drive/{drive}", "Tape.Write")
    check_privs(ctx, f"/tape/pool/{pool}", "Tape.Write")
    _assert_datastore_type(ctx, store)
    MEDIA_POOLS.lookup(ctx, pool)
    if ctx.state.file("tape.cfg").get(drive) is None:
        raise ApiError(400, f"no such drive '{drive}'")
    worker_id = f"{store}:{pool}:{drive}:{job_id}"
    return start_job(ctx, JOBTYPE, job_id, worker_id, [f"Starting tape backup job '{worker_id}'"])
