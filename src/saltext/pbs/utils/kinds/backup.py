"""
Backup contents of a datastore (``/admin/datastore/{store}/...``): the selectors PBS uses
(``store``, ``ns``, ``backup-type``, ``backup-id``, ``backup-time``), checked before any
request, and the freshness report the execution module and the ``pbs_backup_age`` beacon
share.

A group is ``TYPE/ID`` (``vm/100``) inside a namespace; a snapshot is a group plus its
``backup-time`` (epoch seconds; accepted here also as RFC 3339 text such as
``2024-05-01T02:00:00Z``). The keep options of a group prune are validated by the same
properties as the keep options of prune jobs (:data:`saltext.pbs.utils.kinds.jobs.PRUNE_JOB`).
"""

import base64
import datetime
import re
import struct
import time
import zlib

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils.kinds import jobs
from saltext.pbs.utils.kinds.datastore import DATASTORE
from saltext.pbs.utils.catalog import SAFE_ID_RE

BACKUP_TYPES = ("vm", "ct", "host")
KEEP_OPTIONS = ("keep-last", "keep-hourly", "keep-daily", "keep-weekly", "keep-monthly",
                "keep-yearly")

NS = catalog.Prop("ns", max_length=256, fmt="namespace")
BACKUP_TYPE = catalog.Prop("backup-type", enum=BACKUP_TYPES)
BACKUP_ID = catalog.Prop("backup-id", pattern=SAFE_ID_RE)
FILE_NAME = catalog.Prop("file-name", pattern=SAFE_ID_RE)
NEW_OWNER = catalog.Prop("new-owner", min_length=3, max_length=64, fmt="authid")

CATALOG_FILE = "catalog.pcat1.didx"
CLIENT_LOG = "client.log.blob"
MAX_BLOB_SIZE = 128 * 1024 * 1024  # PBS refuses larger blobs (pbs-datastore data_blob.rs)
# an uncompressed, unencrypted DataBlob: this magic, the payload's CRC32 (LE), the payload
_BLOB_MAGIC = bytes([66, 171, 56, 7, 190, 131, 112, 161])

_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def check_store(store):
    if store is None or store == "":
        raise SaltInvocationError("'store' is required: the datastore holding the backups")
    return DATASTORE.id_prop.coerce(store, "store")


def check_ns(ns):
    """The namespace (``""`` for the root); too deep or malformed is an error naming ``ns``."""
    if ns is None or ns == "":
        return ""
    return NS.coerce(ns, "ns")


def group_params(store, backup_type, backup_id, ns=None):
    """The wire parameters naming one group (validated)."""
    if backup_type in (None, ""):
        raise SaltInvocationError("'backup_type' is required (one of vm, ct, host)")
    if backup_id in (None, ""):
        raise SaltInvocationError("'backup_id' is required (e.g. 100 or a host name)")
    params = {
        "store": check_store(store),
        "backup-type": BACKUP_TYPE.coerce(backup_type, "backup_type"),
        "backup-id": BACKUP_ID.coerce(backup_id, "backup_id"),
    }
    ns = check_ns(ns)
    if ns:
        params["ns"] = ns
    return params


def parse_backup_time(value, field="backup_time"):
    """Epoch seconds from an integer (or digits) or RFC 3339 text with a time zone."""
    if isinstance(value, bool) or value in (None, ""):
        raise SaltInvocationError(
            f"Invalid value for '{field}': expected epoch seconds or RFC 3339 text"
            f" (2024-05-01T02:00:00Z), got {value!r}"
        )
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()):
        epoch = int(float(value))
    elif isinstance(value, (str, datetime.datetime)):
        try:
            when = (value if isinstance(value, datetime.datetime)
                    else datetime.datetime.fromisoformat(value.strip().replace("z", "Z")))
        except ValueError:
            raise SaltInvocationError(
                f"Invalid value for '{field}': {value!r} is neither epoch seconds nor RFC 3339"
                " text (2024-05-01T02:00:00Z)"
            ) from None
        if when.tzinfo is None:
            raise SaltInvocationError(
                f"Invalid value for '{field}': {value!r} has no time zone (add Z or +HH:MM)"
            )
        epoch = int(when.timestamp())
    else:
        raise SaltInvocationError(f"Invalid value for '{field}': expected a time, got {value!r}")
    if epoch < 1:
        raise SaltInvocationError(f"Invalid value for '{field}': must be after 1970 (got {epoch})")
    return epoch


def snapshot_params(store, backup_type, backup_id, backup_time, ns=None):
    params = group_params(store, backup_type, backup_id, ns)
    params["backup-time"] = parse_backup_time(backup_time)
    return params


def time_text(epoch):
    """RFC 3339 (UTC) as PBS names snapshot directories."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))


def keep_options(kwargs):
    """The ``keep_*`` options given (wire names), validated like a prune job's."""
    out = {}
    for wire in KEEP_OPTIONS:
        name = catalog.py_name(wire)
        value = kwargs.get(name)
        if value is None:
            continue
        out[wire] = jobs.PRUNE_JOB.prop(wire).coerce(value, name)
    return out


def encode_blob(payload):
    """``payload`` (bytes) as an uncompressed, unencrypted DataBlob, as PBS stores blobs."""
    return _BLOB_MAGIC + struct.pack("<I", zlib.crc32(payload) & 0xFFFFFFFF) + payload


def archive_path(path, field="path"):
    """A path inside a backup archive, absolute and without a trailing slash (``/`` for the
    root); ``..`` or empty components are an error naming ``field``."""
    if path is None or path == "":
        return "/"
    if not isinstance(path, str):
        raise SaltInvocationError(f"Invalid value for '{field}': expected a path, got {path!r}")
    parts = [c for c in path.split("/") if c]
    if any(c in (".", "..") for c in parts) or "\0" in path:
        raise SaltInvocationError(
            f"Invalid value for '{field}': {path!r} must not contain '.', '..' or NUL"
        )
    return "/" + "/".join(parts)


def encode_path(path):
    """PBS's ``filepath`` parameter: the path's bytes, base64."""
    return base64.b64encode(path.encode("utf-8")).decode("ascii")


def decode_path(text):
    return base64.b64decode(text.encode("ascii")).decode("utf-8", "replace")


def is_pxar(filename):
    return filename.endswith((".pxar.didx", ".mpxar.didx"))


def parse_duration(value, field="max_age"):
    """Seconds from a number or ``90m``, ``26h``, ``2d``, ``1w``."""
    if isinstance(value, bool):
        raise SaltInvocationError(f"Invalid value for '{field}': expected a duration")
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        match = _DURATION_RE.match(str(value))
        if not match:
            raise SaltInvocationError(
                f"Invalid value for '{field}': {value!r} is not a duration (seconds, or a"
                " number with s, m, h, d or w: 26h)"
            )
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise SaltInvocationError(f"Invalid value for '{field}': must be more than 0")
    return seconds


# ----- reads ------------------------------------------------------------------------------
def list_snapshots(client, store, ns="", **filters):
    params = {"ns": ns} if ns else {}
    params.update({k: v for k, v in filters.items() if v is not None})
    path = client.path("/admin/datastore/{store}/snapshots", store=store)
    return client.get(path, params=params).data or []


def find_snapshot(client, params):
    """The snapshot item PBS lists for ``params``, or None."""
    found = list_snapshots(
        client, params["store"], params.get("ns", ""),
        **{"backup-type": params["backup-type"], "backup-id": params["backup-id"]},
    )
    return next((s for s in found if s.get("backup-time") == params["backup-time"]), None)


def namespaces(client, store, ns="", recursive=True):
    if not recursive:
        return [ns]
    path = client.path("/admin/datastore/{store}/namespace", store=store)
    params = {"parent": ns} if ns else {}
    return [item.get("ns", "") for item in client.get(path, params=params).data or []]


def freshness(client, store, ns="", max_age=None, recursive=True, now=None):
    """One row per group: its newest finished snapshot, age, verification, owner, stale.

    A group whose newest snapshot failed verification (or has none at all) is reported
    with ``verify_failed`` / ``stale`` set; ``max_age`` (seconds) None never marks stale.
    """
    now = time.time() if now is None else float(now)
    rows = []
    for space in namespaces(client, store, ns, recursive):
        by_group = {}
        for snap in list_snapshots(client, store, space):
            key = (snap["backup-type"], snap["backup-id"])
            by_group.setdefault(key, []).append(snap)
        for (backup_type, backup_id), snaps in sorted(by_group.items()):
            snaps.sort(key=lambda s: s["backup-time"], reverse=True)
            newest = snaps[0]
            verification = (newest.get("verification") or {}).get("state")
            age = max(0, int(now - newest["backup-time"]))
            rows.append({
                "ns": space,
                "backup-type": backup_type,
                "backup-id": backup_id,
                "group": f"{backup_type}/{backup_id}",
                "last-backup": newest["backup-time"],
                "last-backup-time": time_text(newest["backup-time"]),
                "age": age,
                "snapshots": len(snaps),
                "verification": verification,
                "verify_failed": verification == "failed",
                "owner": newest.get("owner"),
                "protected": bool(newest.get("protected")),
                "stale": max_age is not None and age > max_age,
            })
    return rows


# ----- one group / one snapshot as the states see them --------------------------------------
def split_name(name, field="name"):
    """``TYPE/ID`` or ``TYPE/ID/TIME`` (a state's name) as ``(type, id, time or None)``."""
    parts = str(name or "").split("/", 2)
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise SaltInvocationError(
            f"Invalid value for '{field}': {name!r} is not TYPE/ID (vm/100) and backup_type"
            " and backup_id are not given"
        )
    return parts[0], parts[1], parts[2] if len(parts) == 3 else None


def group_view(client, params):
    """The group PBS lists for ``params`` with its full notes, or None when it does not
    exist. ``last-backup`` is None (not PBS's 0) when the group holds no snapshot."""
    path = client.path("/admin/datastore/{store}/groups", store=params["store"])
    query = {"ns": params["ns"]} if params.get("ns") else None
    found = next((g for g in client.get(path, params=query).data or []
                  if g.get("backup-type") == params["backup-type"]
                  and g.get("backup-id") == params["backup-id"]), None)
    if found is None:
        return None
    notes_path = client.path("/admin/datastore/{store}/group-notes", store=params["store"])
    body = {k: v for k, v in params.items() if k != "store"}
    view = dict(found, ns=params.get("ns", ""))
    view["notes"] = client.get(notes_path, params=body).data or ""
    if not view.get("backup-count"):
        view["last-backup"] = None
    return view


def resolve_snapshot(client, params, backup_time):
    """The snapshot item for ``backup_time`` (epoch, RFC 3339, or ``latest``: the group's
    newest), or None when there is none; sets ``params["backup-time"]`` when found."""
    found = list_snapshots(
        client, params["store"], params.get("ns", ""),
        **{"backup-type": params["backup-type"], "backup-id": params["backup-id"]},
    )
    if backup_time == "latest":
        snap = max(found, key=lambda s: s["backup-time"], default=None)
    else:
        epoch = parse_backup_time(backup_time)
        snap = next((s for s in found if s.get("backup-time") == epoch), None)
    if snap is not None:
        params["backup-time"] = snap["backup-time"]
    return snap


def snapshot_view(client, params, backup_time):
    """The snapshot (see :func:`resolve_snapshot`) with its full ``notes`` and its time as
    RFC 3339 (``backup-time-text``), or None."""
    snap = resolve_snapshot(client, params, backup_time)
    if snap is None:
        return None
    notes_path = client.path("/admin/datastore/{store}/notes", store=params["store"])
    body = {k: v for k, v in params.items() if k != "store"}
    view = dict(snap, ns=params.get("ns", ""), protected=bool(snap.get("protected")))
    view["notes"] = client.get(notes_path, params=body).data or ""
    view["backup-time-text"] = time_text(snap["backup-time"])
    return view


def check_backup_time(value):
    """``latest`` or a valid time (checked before any request)."""
    if value == "latest":
        return value
    parse_backup_time(value)
    return value
