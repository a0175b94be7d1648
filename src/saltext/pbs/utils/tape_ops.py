"""Shared logic of the tape operation functions (``pbs_tape_drive``, ``pbs_tape_changer``,
``pbs_tape_media``, ``pbs_tape``): argument checks made before any request, and running
PBS's tape tasks.

PBS (src/api2/tape/drive.rs) runs loading, unloading, labelling, formatting, cleaning,
inventory updates and catalog reads as worker tasks and answers the other drive calls
directly. A task function waits by default, logging the task log at info level; when a task
fails the error carries the log tail and says where the drive's cartridge is now, so a
cartridge is never left in a drive unnoticed.
"""

import re

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import errors

SAFE_ID_RE = re.compile(r"^(?:[A-Za-z0-9_][A-Za-z0-9._\-]*)$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def safe_id(value, field, min_length, max_length=32):
    """A PBS ``SAFE_ID`` of the given length (drive, changer, pool, label, vault names)."""
    if not isinstance(value, str) or not value:
        raise SaltInvocationError(f"Invalid value for '{field}': a name is required")
    if not min_length <= len(value) <= max_length:
        raise SaltInvocationError(
            f"Invalid value for '{field}': '{value}' must be {min_length} to {max_length}"
            " characters long"
        )
    if not SAFE_ID_RE.match(value):
        raise SaltInvocationError(
            f"Invalid value for '{field}': '{value}' may hold only letters, digits, '_', '.'"
            " and '-' (not first)"
        )
    return value


def device(value, field="name"):
    return safe_id(value, field, 3)


def label(value, field="label_text"):
    """A media label (barcode): SAFE_ID, 2-32 characters (MEDIA_LABEL_SCHEMA)."""
    return safe_id(value, field, 2)


def pool(value, field="pool"):
    return None if value is None else safe_id(value, field, 2)


def slot(value, field):
    """A changer slot number (1 or more)."""
    if isinstance(value, bool):
        value = None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or number < 1 or str(value).strip() not in (str(number), f"+{number}"):
        raise SaltInvocationError(f"Invalid value for '{field}': expected a slot number >= 1")
    return number


def media_uuid(value, field="uuid"):
    if not isinstance(value, str) or not UUID_RE.match(value.lower()):
        raise SaltInvocationError(f"Invalid value for '{field}': '{value}' is not a media UUID")
    return value.lower()


def flag(value, field):
    if value is None or isinstance(value, bool):
        return value
    raise SaltInvocationError(f"Invalid value for '{field}': expected True or False")


def body(**params):
    """A request body: wire names (``_`` -> ``-``), ``None`` left out."""
    return {k.replace("_", "-"): v for k, v in params.items() if v is not None}


def drive_path(client, drive, suffix=""):
    return client.path("/tape/drive/{drive}", drive=device(drive, "drive")) + suffix


def cartridge_whereabouts(client, drive):
    """Where the drive's cartridge is, for an error message (best effort; '' if unknown)."""
    try:
        entry = client.get(client.path("/config/drive/{name}", name=drive)).data or {}
        changer = entry.get("changer")
        if changer is None:
            return ""
        num = int(entry.get("changer-drivenum", 0))
        status = client.get(client.path("/tape/changer/{name}/status", name=changer)).data
    except errors.PbsError:
        return ""
    for item in status or []:
        if item.get("entry-kind") == "drive" and item.get("entry-id") == num:
            if item.get("label-text") is None:
                return f"drive '{drive}' is empty"
            source = item.get("loaded-slot")
            where = f" (loaded from slot {source})" if source else ""
            return f"media '{item['label-text']}' is still in drive '{drive}'{where}"
    return ""


def _say_where_the_cartridge_is(client, drive, exc):
    where = cartridge_whereabouts(client, drive) if drive else ""
    if not where:
        return exc
    return errors.PbsTaskError(
        f"{exc}; {where}", upid=exc.upid, exitstatus=exc.exitstatus, log_tail=exc.log_tail,
    )


def start_task(client, method, path, data, wait, timeout, drive=None):
    """Start a tape task (``client.start_task``: the wait is checked before the request is
    sent); a failed task's error says where ``drive``'s cartridge is now."""
    try:
        return client.start_task(method, path, data=data, wait=wait, timeout=timeout)
    except errors.PbsTaskError as exc:
        raise _say_where_the_cartridge_is(client, drive, exc) from None


def drive_task(client, drive, method, action, data, wait, timeout):
    """Start a drive task (``POST``/``PUT`` ``/tape/drive/{drive}/<action>``)."""
    path = drive_path(client, drive, "/" + action)
    return start_task(client, method, path, data, wait, timeout, drive=drive)
