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
"""

import re

from saltext.pbs.simulator import calendar
from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import values
from saltext.pbs.simulator.collections import Collection
from saltext.pbs.simulator.endpoints.datastore import backend_type
from saltext.pbs.simulator.endpoints.jobs import GROUP_FILTER
from saltext.pbs.simulator.endpoints.jobs import JOB_ID
from saltext.pbs.simulator.endpoints.jobs import NS_DEPTH
from saltext.pbs.simulator.endpoints.jobs import STORE
from saltext.pbs.simulator.endpoints.jobs import jobstate_created
from saltext.pbs.simulator.endpoints.jobs import jobstate_remove
from saltext.pbs.simulator.endpoints.jobs import jobstate_schedule_changed
from saltext.pbs.simulator.endpoints.realms import list_format
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import ParamError

DEFAULT_DEVICES = {
    "drives": ["/dev/sg0", "/dev/sg1", "/dev/tape/by-id/scsi-10WT065325-sg"],
    "changers": ["/dev/sg4", "/dev/tape/by-id/scsi-CJ0JBE0059-changer"],
}
DEVICE_AUDIT = perms.Privilege("/tape/device/{name}", "Tape.Audit")
DEVICE_MODIFY = perms.Privilege("/tape/device/{name}", "Tape.Modify")
DEVICE_NAME = s.safe_id(3, 32)


def _devices(ctx, kind):
    return ctx.state.runtime.get("tape-devices", DEFAULT_DEVICES).get(kind, [])


def _check_device_path(ctx, kind, path):
    # PBS uses the drive check for changers too, hence the same text
    if path not in _devices(ctx, kind):
        raise ApiError(400, f"path '{path}' is not a lto SCSI-generic tape device")


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
).register()
