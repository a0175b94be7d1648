"""Backup contents of a simulated datastore: groups, snapshots, files, and PBS's prune rules.

Kept in ``state.runtime["datastores"][store]["groups"]``, the list the namespace endpoints
already use (``ns``, ``backup-type``, ``backup-id`` and the counts ``snapshots`` and
``protected``). A group made here also has ``owner``, ``notes`` and ``snapshot-list``:
one dict per snapshot with ``backup-time`` (epoch), ``files`` (``filename``, ``size``,
``crypt-mode``), ``protected``, ``notes``, ``verification`` (``None`` or
``{"state", "upid"}``), ``fingerprint`` (encrypted snapshots) and ``finished``.

The counts are kept in step after every change (``counted`` records the count last set
here). Namespace delete with ``delete-groups`` lowers ``snapshots`` to the protected count
without touching the list: :func:`snapshots` sees ``snapshots`` differ from ``counted``
and drops the unprotected entries, so both views agree.

:func:`seed_history` makes a realistic history for tests and demos; the admin side-channel
(``POST /_sim/backups``) and tests call it.
"""

import hashlib
import time

BACKUP_TYPES = ("vm", "ct", "host")
DEFAULT_OWNER = "root@pam"

# archive names and typical sizes per backup type (PBS's client names its archives so)
_ARCHIVES = {
    "vm": (("qemu-server.conf.blob", 1_024), ("drive-scsi0.img.fidx", 34_359_738_368)),
    "ct": (("pct.conf.blob", 512), ("root.pxar.didx", 2_147_483_648)),
    "host": (("catalog.pcat1.didx", 262_144), ("root.pxar.didx", 8_589_934_592)),
}
MANIFEST = "index.json.blob"


def time_string(epoch):
    """A snapshot's time as PBS writes it in paths (RFC 3339, UTC, ``Z``)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))


def group_name(group):
    return f"{group['backup-type']}/{group['backup-id']}"


def _comps(ns):
    return [c for c in (ns or "").split("/") if c]


def ns_path(ns):
    """The namespace's directory prefix (``ns/a/ns/b``) as PBS lays it out."""
    return "".join(f"ns/{c}/" for c in _comps(ns))


def groups(info):
    return info.setdefault("groups", [])


def find_group(info, ns, backup_type, backup_id):
    for group in groups(info):
        if (group.get("ns", "") == (ns or "") and group["backup-type"] == backup_type
                and group["backup-id"] == backup_id):
            return group
    return None


def snapshots(group):
    """The group's snapshots, newest first (reconciled with the namespace counts)."""
    if "snapshot-list" not in group:
        return []  # a group written by hand with counts only (namespace tests)
    items = group["snapshot-list"]
    if group.get("snapshots") != group.get("counted", group.get("snapshots")):
        # a namespace delete removed the unprotected snapshots (see the module docstring)
        items[:] = [snap for snap in items if snap.get("protected")]
    items.sort(key=lambda snap: snap["backup-time"], reverse=True)
    sync_counts(group)
    return items


def sync_counts(group):
    """Set the counts the namespace endpoints read after a change to ``snapshot-list``."""
    items = group.get("snapshot-list", [])
    group["snapshots"] = group["counted"] = len(items)
    group["protected"] = sum(1 for snap in items if snap.get("protected"))


def find_snapshot(group, backup_time):
    for snap in snapshots(group):
        if snap["backup-time"] == backup_time:
            return snap
    return None


def add_group(info, ns, backup_type, backup_id, owner=DEFAULT_OWNER):
    group = find_group(info, ns, backup_type, backup_id)
    if group is None:
        group = {"ns": ns or "", "backup-type": backup_type, "backup-id": backup_id,
                 "owner": owner, "snapshot-list": [], "snapshots": 0, "counted": 0,
                 "protected": 0}
        groups(info).append(group)
    group.setdefault("owner", owner)
    group.setdefault("snapshot-list", [])
    return group


def _fingerprint(seed):
    digest = hashlib.sha256(seed.encode()).hexdigest()[:64]
    return ":".join(digest[i:i + 2] for i in range(0, 64, 2))


def make_files(backup_type, encrypted=False, scale=1.0):
    """The archives of one snapshot: the manifest first, then the type's archives."""
    mode = "encrypt" if encrypted else "none"
    files = [{"filename": MANIFEST, "size": 600, "crypt-mode": "sign-only" if encrypted
              else "none"}]
    for name, size in _ARCHIVES.get(backup_type, _ARCHIVES["host"]):
        files.append({"filename": name, "size": max(1, int(size * scale)), "crypt-mode": mode})
    return files


def add_snapshot(group, backup_time, *, files=None, protected=False, notes="",
                 verify_state=None, encrypted=False, finished=True, upid=None):
    """Add (or replace) one snapshot of ``group``; returns it."""
    snap = {
        "backup-time": int(backup_time),
        "files": files if files is not None else make_files(group["backup-type"], encrypted),
        "protected": bool(protected),
        "notes": notes or "",
        "verification": None,
        "fingerprint": _fingerprint(group_name(group)) if encrypted else None,
        "finished": bool(finished),
    }
    if verify_state in ("ok", "failed"):
        snap["verification"] = {"state": verify_state, "upid": upid or _verify_upid(backup_time)}
    items = group.setdefault("snapshot-list", [])
    items[:] = [s for s in items if s["backup-time"] != snap["backup-time"]]
    items.append(snap)
    sync_counts(group)
    return snap


def _verify_upid(epoch):
    start = int(epoch) + 3600
    return f"UPID:localhost:00001234:00005678:00000000:{start:08X}:verify:store:root@pam:"


def seed_history(info, *, now, days=7, per_day=1, groups_spec=None, ns="", owner=DEFAULT_OWNER,
                 start_hour=1, verify_state="ok", encrypted=False):
    """Make ``per_day`` snapshots a day for ``days`` days for each group, newest today.

    ``groups_spec`` is a list of ``"type/id"`` (default ``vm/100``, ``ct/200``,
    ``host/backup-host``). Snapshots start at ``start_hour`` UTC and are spread evenly over
    the day; none lies after ``now``. Returns the number of snapshots made.
    """
    spec = groups_spec or ["vm/100", "ct/200", "host/backup-host"]
    day0 = int(now) - int(now) % 86400
    step = 86400 // max(1, int(per_day))
    made = 0
    for entry in spec:
        backup_type, _, backup_id = str(entry).partition("/")
        if backup_type not in BACKUP_TYPES or not backup_id:
            raise ValueError(f"group {entry!r} is not TYPE/ID with TYPE one of vm, ct, host")
        group = add_group(info, ns, backup_type, backup_id, owner)
        for day in range(int(days)):
            for index in range(int(per_day)):
                epoch = day0 - day * 86400 + start_hour * 3600 + index * step
                if epoch > now:
                    continue
                add_snapshot(group, epoch, verify_state=verify_state, encrypted=encrypted)
                made += 1
    return made


# ----- prune (pbs-datastore prune.rs compute_prune_info) -----------------------------------
KEEP_FORMATS = (
    ("keep-last", None),
    ("keep-hourly", "%Y/%m/%d/%H"),
    ("keep-daily", "%Y/%m/%d"),
    ("keep-weekly", "%G/%V"),
    ("keep-monthly", "%Y/%m"),
    ("keep-yearly", "%Y"),
)


def _select_id(snap, fmt):
    if fmt is None:
        return time_string(snap["backup-time"])
    # PBS formats in local time; the simulated node's timezone is UTC
    return time.strftime(fmt, time.gmtime(snap["backup-time"]))


def prune_marks(items, keep):
    """``[(snapshot, mark)]`` newest first; mark one of keep, keep-partial, protected, remove.

    Per rule in PBS's order: walk newest to oldest; a protected snapshot is marked
    protected and skipped; a snapshot whose period already has a kept snapshot (by an
    earlier rule) is skipped; the first snapshot of each new period is kept until the
    rule's count of periods is reached. The newest unfinished snapshot is kept
    (keep-partial) only when no finished one is newer; older unfinished ones are removed.
    """
    items = sorted(items, key=lambda snap: snap["backup-time"], reverse=True)
    marks = {}
    keep_unfinished = True
    for snap in items:
        if snap.get("finished", True):
            keep_unfinished = False
        else:
            marks[snap["backup-time"]] = "keep-partial" if keep_unfinished else "remove"
            keep_unfinished = False
    for option, fmt in KEEP_FORMATS:
        count = keep.get(option)
        if not count:
            continue
        already = {_select_id(s, fmt) for s in items if marks.get(s["backup-time"]) == "keep"}
        included = set()
        for snap in items:
            key = snap["backup-time"]
            if key in marks:
                continue
            if snap.get("protected"):
                marks[key] = "protected"
                continue
            sel = _select_id(snap, fmt)
            if sel in already:
                continue
            if sel not in included:
                if len(included) >= count:
                    break
                included.add(sel)
                marks[key] = "keep"
            else:
                marks[key] = "remove"
    out = []
    for snap in items:
        mark = "protected" if snap.get("protected") else marks.get(snap["backup-time"], "remove")
        out.append((snap, mark))
    return out


def seed(sim, store, **options):
    """Seed ``store`` of a running simulator (see :func:`seed_history` for ``options``).

    The datastore must exist. ``now`` defaults to the simulator's clock. Used by
    ``Simulator.seed_backups`` and ``POST /_sim/backups`` (``{"store": ..., ...}``).
    """
    allowed = {"days", "per_day", "groups_spec", "ns", "owner", "start_hour", "verify_state",
               "encrypted", "now"}
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise ValueError(f"unknown seed option(s): {', '.join(unknown)}")
    with sim.lock:
        if sim.state.file("datastore.cfg").get(store) is None:
            raise ValueError(f"datastore '{store}' does not exist")
        # the datastore's runtime entry with its defaults (usage, GC status)
        # pylint: disable-next=import-outside-toplevel
        from saltext.pbs.simulator.endpoints.datastore import runtime

        info = runtime(sim.state, store)
        ns = options.get("ns") or ""
        if ns:
            known = info.setdefault("namespaces", [])
            parts = _comps(ns)
            for depth in range(1, len(parts) + 1):
                name = "/".join(parts[:depth])
                if name not in known:
                    known.append(name)
        options.setdefault("now", sim.clock.now())
        made = seed_history(info, **options)
        sim.persist()
    return made
