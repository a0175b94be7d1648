"""Parse Proxmox Backup Server task ids (UPIDs).

A PBS UPID has one field more than a Proxmox VE UPID (a per-process task counter)::

    UPID:<node>:<pid>:<pstart>:<task_id>:<starttime>:<worker_type>:<worker_id>:<auth_id>:

``pid``, ``pstart``, ``task_id`` and ``starttime`` are upper-case hex. The worker id is
escaped the way systemd escapes unit names: ``/`` became ``-`` and any other byte outside
``[A-Za-z0-9_.]`` became ``\\xNN``.
"""

import re

from salt.exceptions import SaltInvocationError

__all__ = ["parse_upid", "is_upid", "unescape_worker_id"]

_UPID_RE = re.compile(
    r"^UPID:"
    r"(?P<node>[a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?):"
    r"(?P<pid>[0-9A-Fa-f]{8}):"
    r"(?P<pstart>[0-9A-Fa-f]{8,9}):"
    r"(?P<task_id>[0-9A-Fa-f]{8,16}):"
    r"(?P<starttime>[0-9A-Fa-f]{8}):"
    r"(?P<worker_type>[^:\s]+):"
    r"(?P<worker_id>[^:\s]*):"
    r"(?P<auth_id>[^:\s]+):$"
)
_ESCAPE_RE = re.compile(rb"\\x([0-9A-Fa-f]{2})")


def unescape_worker_id(escaped):
    """Undo systemd-style escaping: ``my\\x2dstore`` -> ``my-store``, ``-`` -> ``/``."""
    raw = escaped.encode("utf-8", "surrogateescape").replace(b"-", b"/")
    raw = _ESCAPE_RE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    return raw.decode("utf-8", "replace")


def is_upid(value):
    """True when ``value`` is a well-formed PBS UPID string."""
    return isinstance(value, str) and bool(_UPID_RE.match(value))


def parse_upid(upid):
    """Split a PBS UPID into its fields.

    Returns a dict with ``node``, ``pid``, ``pstart``, ``task_id``, ``starttime`` (ints),
    ``worker_type``, ``worker_id`` (unescaped; ``None`` when the task has none) and
    ``auth_id``. Raises :class:`~salt.exceptions.SaltInvocationError` for anything that
    is not a PBS UPID (including Proxmox VE UPIDs).
    """
    if not isinstance(upid, str):
        raise SaltInvocationError(f"UPID must be a string, not {type(upid).__name__}")
    match = _UPID_RE.match(upid.strip())
    if not match:
        shown = upid if len(upid) <= 120 else upid[:117] + "..."
        hint = ""
        if upid.startswith("UPID:") and upid.count(":") == 8:
            hint = " (this looks like a Proxmox VE UPID, which has one field fewer)"
        raise SaltInvocationError(f"not a valid PBS UPID: '{shown}'{hint}")
    fields = match.groupdict()
    return {
        "node": fields["node"],
        "pid": int(fields["pid"], 16),
        "pstart": int(fields["pstart"], 16),
        "task_id": int(fields["task_id"], 16),
        "starttime": int(fields["starttime"], 16),
        "worker_type": fields["worker_type"],
        "worker_id": unescape_worker_id(fields["worker_id"]) if fields["worker_id"] else None,
        "auth_id": fields["auth_id"],
    }
