"""
Catalog entries of the tape configuration: drives, changers, media pools and tape backup
jobs.

* Drives and changers share ``tape.cfg`` (one digest, one name space). A device ``path``
  must be a tape device (drive) or changer of the host; PBS checks that. DELETE takes no
  digest.
* Media pools (``media-pool.cfg``): PBS takes no digest on PUT or DELETE. ``allocation`` is
  ``continue``, ``always`` or a calendar event; ``retention`` ``keep``, ``overwrite`` or a
  time span (``30 days``, ``1w 2d``).
* Tape backup jobs (``tape-job.cfg``) back up a filesystem datastore to a pool with a drive;
  the datastore, pool and drive named must exist (checked before the write).
"""

import dataclasses
import re

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils import validate
from saltext.pbs.utils.catalog import NO_CONTROL_RE
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.kinds import common
from saltext.pbs.utils.kinds import jobs
from saltext.pbs.utils.kinds.realms import ListText

DEVICE_ID = common.NAME_ID  # SAFE_ID, 3-32
POOL_ID = Prop("name", pattern=catalog.SAFE_ID_RE, min_length=2, max_length=32)


def _privileges(path, ident, what):
    """Tape objects: ``Tape.Audit`` to read, ``Tape.Modify`` to write, on ``path[/ident]``."""
    item = f"``{path}/{{{ident}}}``"
    return {
        "list": f"any authenticated user (lists the {what} with ``Tape.Audit`` on {item})",
        "get": f"``Tape.Audit`` on {item}",
        "create": f"``Tape.Modify`` on ``{path}``",
        "update": f"``Tape.Modify`` on {item}",
        "delete": f"``Tape.Modify`` on {item}",
    }


_DEVICE_PRIVILEGES = {
    **_privileges("/tape/device", "name", "devices"),
    "scan": "``root@pam`` (PBS declares no privilege for the device scan)",
}


def _device_kind(name, title, path, props, **fields):
    return Kind(
        name=name,
        title=title,
        collection=path,
        item=path + "/{name}",
        id_prop=DEVICE_ID,
        delete_digest=False,
        digest_group="tape",
        privileges=_DEVICE_PRIVILEGES,
        props=props,
        **fields,
    )


# ----- drives ------------------------------------------------------------------------------
def _drivenum_needs_changer(kind, values, op):  # pylint: disable=unused-argument
    if values.get("changer-drivenum") and (
        ("changer" in values and values["changer"] is None)
        or (op == "create" and not values.get("changer"))
    ):
        raise SaltInvocationError(
            "Invalid value for 'changer_drivenum': it needs 'changer' (the drive's changer)"
        )


DRIVE = _device_kind(
    "tape_drive",
    "Tape drive",
    "/config/drive",
    checks=(_drivenum_needs_changer,),
    props=(
        Prop(
            "path",
            doc="Device path of the drive (a SCSI generic tape device, e.g."
            " ``/dev/tape/by-id/scsi-<serial>-sg``)",
            min_length=1,
            required=True,
        ),
        Prop(
            "changer",
            doc="Changer (a ``pbs_tape_changer``) the drive sits in",
            pattern=catalog.SAFE_ID_RE,
            min_length=3,
            max_length=32,
            deletable=True,
        ),
        Prop(
            "changer-drivenum",
            "integer",
            doc="Number of the drive in its changer (0-255, default 0)",
            minimum=0,
            maximum=255,
            default=0,
            deletable=True,
        ),
    ),
)


# ----- changers ----------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class SlotList(ListText):
    """Changer slot numbers: a list or ``"1,2,3"``; compared as a set; sent comma-separated."""

    def _coerce_list_text(self, value, field):
        if isinstance(value, int) and not isinstance(value, bool):
            value = [value]
        if isinstance(value, str):
            value = [v for v in re.split(r"[,;\s]+", value) if v]
        if not isinstance(value, (list, tuple)) or not value:
            raise SaltInvocationError(
                f"Invalid value for '{field}': expected a non-empty list of slot numbers"
            )
        slot = Prop(self.wire, "integer", minimum=1)
        return sorted({slot.coerce(v, f"{field}[{i}]") for i, v in enumerate(value)})

    def to_wire(self, value):
        return ",".join(str(v) for v in value) if isinstance(value, list) else value


CHANGER = _device_kind(
    "tape_changer",
    "Tape changer",
    "/config/changer",
    delete_note="PBS refuses while a drive names the changer",
    props=(
        Prop(
            "path",
            doc="Device path of the changer (a SCSI generic device, e.g."
            " ``/dev/tape/by-id/scsi-<serial>-changer``)",
            min_length=1,
            required=True,
        ),
        SlotList(
            "export-slots",
            doc="Import/export slots (list of slot numbers, a set): media in them count as"
            " offline",
            deletable=True,
        ),
        Prop(
            "eject-before-unload",
            "boolean",
            doc="Eject the tape before unloading it from the drive",
            default=False,
            deletable=True,
        ),
    ),
)


# ----- media pools -------------------------------------------------------------------------
_SPAN_UNITS = (
    "seconds second sec s msec ms usec us µs nsec ns minutes minute min m hours hour hr h"
    " days day d weeks week w months month M years year y"
).split()
_SPAN_PART = re.compile(r"\s*(\d+)\s*([^\d\s]*)")


def check_time_span(value):
    """``None`` for a time span such as ``30 days`` or ``1w 2d 12h`` (a number alone is
    seconds), else the reason."""
    pos, parts = 0, 0
    while value[pos:].strip():
        match = _SPAN_PART.match(value, pos)
        if not match:
            return f"'{value}' is not a time span such as '30 days' or '1w 2d'"
        if match.group(2) and match.group(2) not in _SPAN_UNITS:
            return (
                f"unknown time unit '{match.group(2)}' in '{value}' (use s, min, h, d, w,"
                " M, y or their long names)"
            )
        pos, parts = match.end(), parts + 1
    return None if parts else "a time span is empty"


def _allocation(value):
    if value in ("continue", "always"):
        return None
    reason = validate.check_calendar_event(value)
    return reason and f"expected 'continue', 'always' or a calendar event ({reason})"


def _retention(value):
    if value in ("keep", "overwrite"):
        return None
    reason = check_time_span(value)
    return reason and f"expected 'keep', 'overwrite' or a time span: {reason}"


MEDIA_POOL = Kind(
    name="media_pool",
    title="Media pool",
    collection="/config/media-pool",
    item="/config/media-pool/{name}",
    id_prop=POOL_ID,
    update_digest=False,
    delete_digest=False,
    checks=(common.format_check(allocation=_allocation, retention=_retention),),
    privileges=_privileges("/tape/pool", "name", "pools"),
    props=(
        Prop(
            "allocation",
            doc="When to start a new media set: ``continue`` (default), ``always`` or a"
            " calendar event (``sat 18:00``)",
            deletable=True,
        ),
        Prop(
            "retention",
            doc="How long media sets are kept: ``keep`` (default), ``overwrite`` or a time"
            " span (``30 days``)",
            deletable=True,
        ),
        Prop(
            "template",
            doc="Media set name template (``strftime`` escapes allowed, 2-64 characters)",
            min_length=2,
            max_length=64,
            pattern=NO_CONTROL_RE,
            deletable=True,
        ),
        Prop(
            "encrypt",
            doc="Fingerprint of the tape encryption key to encrypt with (32 hex pairs)",
            fmt="fingerprint",
            deletable=True,
        ),
        catalog.COMMENT,
    ),
)


# ----- tape backup jobs ----------------------------------------------------------------------
# The shared job fields come from the job kinds (same formats and defaults in PBS).
# pylint: disable=protected-access
def _references(client, kind, values, op):
    jobs.check_store_exists(client, kind, values, op)
    if values.get("pool"):
        catalog.must_exist(
            client, "pool", "/config/media-pool/{name}", values["pool"], "media pool"
        )
    if values.get("drive"):
        catalog.must_exist(client, "drive", "/config/drive/{name}", values["drive"], "tape drive")


TAPE_BACKUP_JOB = Kind(
    name="tape_backup_job",
    title="Tape backup job",
    collection="/config/tape-backup-job",
    item="/config/tape-backup-job/{name}",
    id_param="id",
    id_key="id",
    id_prop=jobs.JOB_ID,
    checks=(jobs.check_ns_depth,),
    preflight=(_references,),
    privileges=_privileges("/tape/job", "id", "jobs"),
    props=(
        jobs._store("Datastore to back up (a filesystem datastore)"),
        dataclasses.replace(POOL_ID, wire="pool", doc="Media pool to write to", required=True),
        dataclasses.replace(DEVICE_ID, wire="drive", doc="Tape drive to use", required=True),
        jobs._schedule("run the tape backup"),
        jobs._flag("eject-media", "Eject the media when the job is done"),
        jobs._flag("export-media-set", "Export the media set when the job is done"),
        jobs._flag("latest-only", "Back up only the latest snapshot of each group"),
        common.NOTIFY_USER,
        Prop(
            "notification-mode",
            doc="``legacy-sendmail`` (mail to ``notify_user``) or ``notification-system``",
            enum=("legacy-sendmail", "notification-system"),
            deletable=True,
        ),
        Prop(
            "group-filter",
            "array",
            doc="Backup groups to include, a list compared as a set: ``type:vm``,"
            " ``group:vm/100``, ``regex:^ct/1..$``, each optionally prefixed with"
            " ``include:`` or ``exclude:``",
            items=jobs.GroupFilter("group-filter", min_length=1),
            as_set=True,
            deletable=True,
        ),
        jobs._ns(),
        jobs._max_depth(default=jobs.MAX_NS_DEPTH),
        jobs._threads("worker-threads", "Threads reading chunks (1-32, default 1)", 1),
        catalog.COMMENT,
    ),
)
