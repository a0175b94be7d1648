"""Backup contents: groups, snapshots, files, notes, protection, owner, delete, prune,
downloads (raw, decoded, from a pxar archive), the catalog and the client log upload.

PBS src/api2/admin/datastore.rs (list_groups, list_snapshots, list_snapshot_files,
delete_group, delete_snapshot, get/set_group_notes, get/set_notes, get/set_protection,
set_backup_owner, prune), src/backup/hierarchy.rs check_ns_privs_full, pbs-datastore
datastore.rs check_backup_owner and prune.rs. The data model lives in
:mod:`saltext.pbs.simulator.backups`.

Access follows ``check_privs_and_load_store``: a "full" privilege on
``/datastore/{store}[/{ns}]`` allows any group, a "partial" one only groups the caller owns
(a token's groups count as its user's); neither is 403 ``permission check failed -
missing ... on /datastore/...``.
"""

import base64

from saltext.pbs.simulator import backup_files
from saltext.pbs.simulator import backups
from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import values
from saltext.pbs.simulator.endpoints.datastore import lookup_store
from saltext.pbs.simulator.endpoints.datastore import runtime
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import RawResponse
from saltext.pbs.simulator.router import endpoint

BASE = "/admin/datastore/{store}"
STORE = s.safe_id(3, 32).req()
BACKUP_TYPE = s.enum(*backups.BACKUP_TYPES)
BACKUP_ID = s.string(pattern=values.SAFE_ID_RE)
BACKUP_TIME = s.integer(minimum=1)
GROUP = {"store": STORE, "ns": s.NAMESPACE, "backup-type": BACKUP_TYPE.req(),
         "backup-id": BACKUP_ID.req()}
SNAPSHOT = dict(GROUP, **{"backup-time": BACKUP_TIME.req()})
KEEP = {k: s.integer(minimum=1) for k, _ in backups.KEEP_FORMATS}

AUDIT, MODIFY, READ, BACKUP, PRUNE = (
    "Datastore.Audit", "Datastore.Modify", "Datastore.Read", "Datastore.Backup",
    "Datastore.Prune",
)


def _acl_path(store, ns):
    return "/".join(["", "datastore", store, *[c for c in (ns or "").split("/") if c]])


def ns_access(ctx, store, ns, full, partial):
    """check_ns_privs_full: True when access is limited to owned groups."""
    have = ctx.state.privileges(ctx.auth_id, _acl_path(store, ns))
    if have & set(full):
        return False
    if have & set(partial):
        return True
    names = "|".join(perms.priv_order(set(full) | set(partial)))
    raise ApiError(403, f"permission check failed - missing {names} on {_acl_path(store, ns)}")


def owns(owner, auth_id):
    """check_backup_owner: the owner itself, or the user of an owning token."""
    return owner == auth_id or (("!" in owner) and owner.split("!", 1)[0] == auth_id)


def _check_owner(owner, auth_id):
    if not owns(owner, auth_id):
        raise ApiError(400, f"backup owner check failed ({auth_id} != {owner})")


def _store_dir(ctx, store, params):
    entry = ctx.state.file("datastore.cfg").get(store) or {}
    path = entry.get("path", f"/mnt/datastore/{store}")
    return f"{path}/{backups.ns_path(params.get('ns'))}"


def _group_dir(ctx, store, params):
    return f"{_store_dir(ctx, store, params)}{params['backup-type']}/{params['backup-id']}"


def _no_file(path):
    return ApiError(400, f'unable to open "{path}" - No such file or directory (os error 2)')


def _load(ctx, params, full, partial, operation="read"):
    """The checks every group/snapshot handler starts with; returns (info, group or None)."""
    store, ns = params["store"], params.get("ns", "")
    limited = ns_access(ctx, store, ns, full, partial)
    lookup_store(ctx, store, operation)
    info = runtime(ctx.state, store)
    group = backups.find_group(info, ns, params["backup-type"], params["backup-id"])
    if limited:
        if group is None:
            raise _no_file(_group_dir(ctx, store, params) + "/owner")
        _check_owner(group["owner"], ctx.auth_id)
    return info, group


def _snapshot(ctx, params, group):
    snap = backups.find_snapshot(group, params["backup-time"]) if group else None
    if snap is None:
        path = (f"{_group_dir(ctx, params['store'], params)}/"
                f"{backups.time_string(params['backup-time'])}/{backups.MANIFEST}")
        raise ApiError(400, f"unable to load blob '\"{path}\"' - No such file or directory "
                            "(os error 2)")
    return snap


def _visible_groups(ctx, params, full, partial):
    store, ns = params["store"], params.get("ns", "")
    limited = ns_access(ctx, store, ns, full, partial)
    lookup_store(ctx, store)
    info = runtime(ctx.state, store)
    found = [g for g in backups.groups(info) if g.get("ns", "") == ns]
    if limited:
        found = [g for g in found if owns(g.get("owner", ""), ctx.auth_id)]
    return sorted(found, key=lambda g: (g["backup-type"], g["backup-id"]))


def _finished(group):
    return [snap for snap in backups.snapshots(group) if snap.get("finished", True)]


@endpoint("GET", BASE + "/groups", params={"store": STORE, "ns": s.NAMESPACE},
          permission=perms.Anybody())
def list_groups(ctx, params):
    out = []
    for group in _visible_groups(ctx, params, (AUDIT,), (BACKUP,)):
        snaps = backups.snapshots(group)
        last = snaps[0] if len(snaps) == 1 else next(iter(_finished(group)), None)
        item = {
            "backup-type": group["backup-type"],
            "backup-id": group["backup-id"],
            "last-backup": last["backup-time"] if last else 0,
            "backup-count": len(snaps),
            "files": [f["filename"] for f in last["files"]] if last else [],
            "owner": group.get("owner", backups.DEFAULT_OWNER),
        }
        notes = group.get("notes")
        if notes:
            item["comment"] = notes.splitlines()[0]
        out.append(item)
    return out


def snapshot_item(group, snap):
    """backup_info_to_snapshot_list_item: files are BackupContent objects on the wire."""
    item = {
        "backup-type": group["backup-type"],
        "backup-id": group["backup-id"],
        "backup-time": snap["backup-time"],
        "files": [dict(f) for f in snap["files"]],
        "size": sum(f.get("size") or 0 for f in snap["files"]),
        "owner": group.get("owner", backups.DEFAULT_OWNER),
        "protected": bool(snap.get("protected")),
    }
    if snap.get("notes"):
        item["comment"] = snap["notes"].splitlines()[0]
    if snap.get("verification"):
        item["verification"] = dict(snap["verification"])
    if snap.get("fingerprint"):
        item["fingerprint"] = snap["fingerprint"]
    return item


@endpoint(
    "GET",
    BASE + "/snapshots",
    params={"store": STORE, "ns": s.NAMESPACE, "backup-type": BACKUP_TYPE,
            "backup-id": BACKUP_ID},
    permission=perms.Anybody(),
)
def list_snapshots(ctx, params):
    out = []
    for group in _visible_groups(ctx, params, (AUDIT,), (BACKUP,)):
        if params.get("backup-type") not in (None, group["backup-type"]):
            continue
        if params.get("backup-id") not in (None, group["backup-id"]):
            continue
        out.extend(snapshot_item(group, snap) for snap in backups.snapshots(group))
    return out


@endpoint("GET", BASE + "/files", params=SNAPSHOT, permission=perms.Anybody())
def list_files(ctx, params):
    _, group = _load(ctx, params, (AUDIT, READ), (BACKUP,))
    return [dict(f) for f in _snapshot(ctx, params, group)["files"]]


@endpoint("DELETE", BASE + "/snapshots", params=SNAPSHOT, permission=perms.Anybody())
def delete_snapshot(ctx, params):
    info, group = _load(ctx, params, (MODIFY,), (PRUNE,), "write")
    snap = _snapshot(ctx, params, group)
    if snap.get("protected"):
        raise ApiError(400, "failed to delete snapshot - cannot remove protected snapshot")
    group["snapshot-list"].remove(snap)
    backups.sync_counts(group)
    if not group["snapshot-list"]:
        # BackupDir::destroy (pbs-datastore backup_info.rs): the last snapshot takes the
        # group (owner and notes) with it
        backups.groups(info).remove(group)
    return None


@endpoint(
    "DELETE",
    BASE + "/groups",
    params=dict(GROUP, **{"error-on-protected": s.boolean()}),
    permission=perms.Anybody(),
)
def delete_group(ctx, params):
    info, group = _load(ctx, params, (MODIFY,), (PRUNE,), "write")
    if group is None:
        raise _no_file(_group_dir(ctx, params["store"], params))
    snaps = backups.snapshots(group)
    kept = [snap for snap in snaps if snap.get("protected")]
    stats = {"removed-groups": 0, "protected-snapshots": len(kept),
             "removed-snapshots": len(snaps) - len(kept)}
    group["snapshot-list"] = kept
    backups.sync_counts(group)
    if not kept:
        backups.groups(info).remove(group)
        stats["removed-groups"] = 1
    elif params.get("error-on-protected", True):
        raise ApiError(400, "group only partially deleted due to protected snapshots")
    return stats


@endpoint("GET", BASE + "/group-notes", params=GROUP, permission=perms.Anybody())
def get_group_notes(ctx, params):
    _, group = _load(ctx, params, (AUDIT,), (BACKUP,))
    return (group or {}).get("notes") or ""


@endpoint("PUT", BASE + "/group-notes", params=dict(GROUP, notes=s.string().req()),
          permission=perms.Anybody())
def set_group_notes(ctx, params):
    _, group = _load(ctx, params, (MODIFY,), (BACKUP,), "write")
    if group is None:
        raise ApiError(400, "failed to set group notes - "
                            f"{_no_file(_group_dir(ctx, params['store'], params)).message}")
    group["notes"] = params["notes"]
    return None


@endpoint("GET", BASE + "/notes", params=SNAPSHOT, permission=perms.Anybody())
def get_notes(ctx, params):
    _, group = _load(ctx, params, (AUDIT,), (BACKUP,))
    return _snapshot(ctx, params, group).get("notes") or ""


@endpoint("PUT", BASE + "/notes", params=dict(SNAPSHOT, notes=s.string().req()),
          permission=perms.Anybody())
def set_notes(ctx, params):
    _, group = _load(ctx, params, (MODIFY,), (BACKUP,), "write")
    _snapshot(ctx, params, group)["notes"] = params["notes"]
    return None


@endpoint("GET", BASE + "/protected", params=SNAPSHOT, permission=perms.Anybody())
def get_protection(ctx, params):
    _, group = _load(ctx, params, (AUDIT,), (BACKUP,))
    return bool(_snapshot(ctx, params, group).get("protected"))


@endpoint("PUT", BASE + "/protected", params=dict(SNAPSHOT, protected=s.boolean().req()),
          permission=perms.Anybody())
def set_protection(ctx, params):
    _, group = _load(ctx, params, (MODIFY,), (BACKUP,), "write")
    _snapshot(ctx, params, group)["protected"] = params["protected"]
    backups.sync_counts(group)
    return None


def _owner_change_allowed(owner, new_owner, auth_id):
    """set_backup_owner with Datastore.Backup only: between a user and its own tokens."""
    owner_token, new_token = "!" in owner, "!" in new_owner
    owner_user, new_user = owner.split("!", 1)[0], new_owner.split("!", 1)[0]
    if owner_token and new_token:
        return owner_user == new_user and owner_user == auth_id
    if owner_token:
        return owner_user == auth_id and new_owner == auth_id
    if new_token:
        return owner == auth_id and new_user == auth_id
    return False


@endpoint("POST", BASE + "/change-owner", params=dict(GROUP, **{"new-owner": s.AUTHID.req()}),
          permission=perms.Anybody())
def change_owner(ctx, params):
    store, ns = params["store"], params.get("ns", "")
    limited = ns_access(ctx, store, ns, (MODIFY,), (BACKUP,))
    lookup_store(ctx, store, "write")
    info = runtime(ctx.state, store)
    group = backups.find_group(info, ns, params["backup-type"], params["backup-id"])
    if group is None:
        raise _no_file(_group_dir(ctx, store, params) + "/owner")
    new_owner = params["new-owner"]
    if limited and not _owner_change_allowed(group["owner"], new_owner, ctx.auth_id):
        raise ApiError(
            401,
            f"{ctx.auth_id} does not have permission to change owner of backup group "
            f"'{backups.group_name(group)}' to {new_owner}",
        )
    if not ctx.state.auth_active(new_owner):
        what = "API token" if "!" in new_owner else "user"
        raise ApiError(400, f"{what} '{new_owner}' is inactive or non-existent")
    group["owner"] = new_owner
    return None


@endpoint(
    "POST",
    BASE + "/prune",
    params=dict(GROUP, **KEEP, **{"dry-run": s.boolean(), "use-task": s.boolean()}),
    permission=perms.Anybody(),
)
def prune_group(ctx, params):
    _, group = _load(ctx, params, (MODIFY,), (PRUNE,), "write")
    keep = {k: params[k] for k in KEEP if params.get(k)}
    keep_all = not keep
    marks = backups.prune_marks(backups.snapshots(group) if group else [], keep)
    marks.reverse()  # PBS reports (and deletes) the oldest first
    ns = params.get("ns", "")
    result = []
    for snap, mark in marks:
        item = {
            "backup-type": params["backup-type"],
            "backup-id": params["backup-id"],
            "backup-time": snap["backup-time"],
            "keep": keep_all or mark != "remove",
            "protected": mark == "protected",
        }
        if ns:
            item["ns"] = ns
        result.append((snap, mark, item))
    if params.get("dry-run"):
        return [item for _, _, item in result]

    def apply(task):
        if keep_all:
            task.log("No prune selection - keeping all files.")
        else:
            options = " ".join(f"--{k} {v}" for k, v in keep.items())
            task.log(f"retention options: {('--ns ' + ns + ' ') if ns else ''}{options}")
            task.log(f"Starting prune on datastore '{params['store']}' group "
                     f"\"{params['backup-type']}/{params['backup-id']}\"")
        for snap, mark, item in result:
            task.log(f"{params['backup-type']}/{params['backup-id']}/"
                     f"{backups.time_string(snap['backup-time'])} {mark}")
            if not item["keep"]:
                group["snapshot-list"].remove(snap)
        if group is not None:
            backups.sync_counts(group)

    worker_id = f"{params['store']}:{ns}:{params['backup-type']}/{params['backup-id']}"
    if params.get("use-task"):
        return ctx.sim.tasks.spawn("prune", worker_id, ctx.auth_id, on_success=apply)
    apply(_LogSink())
    return [item for _, _, item in result]


class _LogSink:
    """The synchronous prune writes its task log too; nobody reads it here."""

    def log(self, line):  # pylint: disable=unused-argument
        return None


@endpoint(
    "GET",
    BASE + "/download",
    params=dict(SNAPSHOT, **{"file-name": s.string(pattern=values.SAFE_ID_RE).req()}),
    permission=perms.Anybody(),
)
def download_file(ctx, params):
    """download_file: the raw file as stored, ``application/octet-stream``."""
    _, group = _load(ctx, params, (READ,), (BACKUP,))
    snap = backups.find_snapshot(group, params["backup-time"]) if group else None
    data = backup_files.content(group, snap, params["file-name"]) if snap else None
    if data is None:  # tokio's open error, without the path
        raise ApiError(400, "File open failed: No such file or directory (os error 2)")
    return RawResponse(data, content_type="application/octet-stream")


def _ns_exists(info, ns):
    return not ns or ns in info.get("namespaces", [])


@endpoint(
    "POST",
    BASE + "/move-group",
    params=dict(GROUP, **{"target-ns": s.NAMESPACE, "merge-group": s.boolean()}),
    permission=perms.Anybody(),
)
def move_group(ctx, params):
    """move_group: synchronous pre-checks (check_move_group), then a ``move-group`` worker
    that re-checks, merges or moves the snapshots (oldest first) and the notes."""
    store, ns, target = params["store"], params.get("ns", ""), params.get("target-ns", "")
    merge = params.get("merge-group", True)
    limited = ns_access(ctx, store, ns, (MODIFY,), (PRUNE,))
    limited = ns_access(ctx, store, target, (MODIFY,), (BACKUP,)) or limited
    lookup_store(ctx, store, "write")
    info = runtime(ctx.state, store)
    group = backups.find_group(info, ns, params["backup-type"], params["backup-id"])
    name = f"{params['backup-type']}/{params['backup-id']}"
    if limited:
        if group is None:
            raise _no_file(_group_dir(ctx, store, params) + "/owner")
        _check_owner(group["owner"], ctx.auth_id)

    def check():
        if ns == target:
            raise ApiError(400, "source and target namespace must be different")
        if not _ns_exists(info, target):
            raise ApiError(400, f"target namespace '{target}' does not exist")
        if backups.find_group(info, ns, params["backup-type"], params["backup-id"]) is None:
            raise ApiError(400, f"group '{name}' does not exist in namespace '{ns}'")
        existing = backups.find_group(info, target, params["backup-type"], params["backup-id"])
        if existing is not None and not merge:
            raise ApiError(400, f"group '{name}' already exists in target namespace '{target}'"
                                " and merge-group is disabled")
        return existing

    check()

    def finish(task):
        existing = check()
        source = backups.find_group(info, ns, params["backup-type"], params["backup-id"])
        if existing is None:
            task.log(f"moving group '{name}' from '{ns}' to '{target}'")
            source["ns"] = target
            return
        task.log(f"merging group '{name}' from '{ns}' to '{target}'")
        prefix = f"cannot merge group '{name}' from '{ns}' into '{target}'"
        if existing.get("owner") != source.get("owner"):
            raise ApiError(400, f"{prefix}: owner mismatch (source: {source.get('owner')},"
                                f" target: {existing.get('owner')})")
        moving = backups.snapshots(source)
        oldest = min((s["backup-time"] for s in moving), default=None)
        if oldest is not None and any(s["backup-time"] >= oldest
                                      for s in backups.snapshots(existing)):
            raise ApiError(400, f"{prefix}: snapshot time mismatch")
        existing.setdefault("snapshot-list", []).extend(moving)
        backups.sync_counts(existing)
        if source.get("notes") and not existing.get("notes"):
            existing["notes"] = source["notes"]
        backups.groups(info).remove(source)

    worker_id = f"{store}:{ns}/{name}:{target}"
    return ctx.sim.tasks.spawn("move-group", worker_id, ctx.auth_id, on_success=finish)


# ----- decoded contents: download-decoded, catalog, pxar-file-download, upload-backup-log --
# PBS src/api2/admin/datastore.rs download_file_decoded, catalog, pxar_file_download and
# upload_backup_log; pbs-datastore catalog.rs (ArchiveEntry, lookup_recursive) and
# pbs-client tools get_pxar_archive_names. All four check Datastore.Read for any group or
# Datastore.Backup as owner; the log upload only the latter (the owner).
ARCHIVE_NAME = s.string(pattern=values.SAFE_ID_RE)
CATALOG = "catalog.pcat1.didx"
CLIENT_LOG = "client.log.blob"


def _snapshot_dir(ctx, params):
    return (f"{_group_dir(ctx, params['store'], params)}/"
            f"{backups.time_string(params['backup-time'])}")


def _refuse_encrypted(snap, filename):
    for item in snap["files"]:
        if item["filename"] == filename and item.get("crypt-mode") == "encrypt":
            raise ApiError(400, f"cannot decode '{filename}' - is encrypted")


def _no_index(ctx, params, filename):
    kind = "fixed" if filename.endswith(".fidx") else "dynamic"
    return ApiError(400, f"unable to read {kind} index '\"{_snapshot_dir(ctx, params)}/"
                         f"{filename}\"' - No such file or directory (os error 2)")


def _has(snap, filename):
    return any(item["filename"] == filename for item in snap["files"])


def _pxar_name(snap, name):
    """get_pxar_archive_names: the archive as named, else its split (.mpxar) variant."""
    if _has(snap, name) and name != backups.MANIFEST:
        return name
    if name.endswith(".pxar.didx") and _has(snap, name[:-10] + ".mpxar.didx"):
        return name[:-10] + ".mpxar.didx"
    raise ApiError(400, "archive not found in manifest")


def _decode_b64(text, what):
    try:
        return base64.b64decode(text.encode(), validate=True).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"{what}{exc}") from None


@endpoint(
    "GET",
    BASE + "/download-decoded",
    params=dict(SNAPSHOT, **{"file-name": ARCHIVE_NAME.req()}),
    permission=perms.Anybody(),
)
def download_file_decoded(ctx, params):
    """A blob's payload or an index archive's content, ``application/octet-stream``."""
    _, group = _load(ctx, params, (READ,), (BACKUP,))
    snap = _snapshot(ctx, params, group)
    name = params["file-name"]
    _refuse_encrypted(snap, name)
    try:
        data = backup_files.decoded(group, snap, name)
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None
    if data is None:
        if name.endswith(".blob"):
            raise ApiError(400, "File open failed: No such file or directory (os error 2)")
        raise _no_index(ctx, params, name)
    return RawResponse(data, content_type="application/octet-stream")


@endpoint(
    "GET",
    BASE + "/catalog",
    params=dict(SNAPSHOT, filepath=s.string().req(), **{"archive-name": ARCHIVE_NAME}),
    permission=perms.Anybody(),
)
def catalog(ctx, params):
    """The entries of a directory: through the snapshot's catalog (the root lists the pxar
    archives), or with ``archive-name`` inside that archive's metadata."""
    _, group = _load(ctx, params, (READ,), (BACKUP,))
    snap = _snapshot(ctx, params, group)
    archive = params.get("archive-name")
    _refuse_encrypted(snap, archive or CATALOG)
    raw = params["filepath"]
    path = "/" if raw in ("root", "/") else _decode_b64(raw, "base64 decoding of path failed - ")
    tree = backup_files.archive_tree(group, snap)
    if archive is not None:
        _pxar_name(snap, archive)
        inner = "/" + path.strip("/")
        entry = tree.get(inner)
        if entry is None:
            raise ApiError(400, f"lookup failed - error opening '\"{inner}\"'")
        if entry["type"] != "d":
            raise ApiError(400, f"expected directory entry, got entry kind '{entry['type']}'")
        return backup_files.list_dir(tree, inner)
    if not _has(snap, CATALOG):
        raise _no_index(ctx, params, CATALOG)
    parts = [c for c in path.split("/") if c]
    if not parts:
        return [{"filepath": base64.b64encode(f"/{f['filename']}".encode()).decode(),
                 "text": f["filename"], "type": "d", "leaf": False}
                for f in snap["files"] if backup_files.is_pxar(f["filename"])]
    inner = "/" + "/".join(parts[1:])
    entry = tree.get(inner) if backup_files.is_pxar(parts[0]) and _has(snap, parts[0]) else None
    if entry is None:
        raise ApiError(400, f"path \"{path}\" not found in catalog")
    if entry["type"] != "d":
        raise ApiError(400, "parent is not a directory - internal error")  # read_dir
    return backup_files.list_dir(tree, inner, prefix="/" + parts[0])


@endpoint(
    "GET",
    BASE + "/pxar-file-download",
    params=dict(SNAPSHOT, filepath=s.string().req(), tar=s.boolean(),
                **{"archive-name": ARCHIVE_NAME}),
    permission=perms.Anybody(),
)
def pxar_file_download(ctx, params):
    """One file of a pxar archive, or a directory as zip (tar.zst with ``tar``)."""
    _, group = _load(ctx, params, (READ,), (BACKUP,))
    snap = _snapshot(ctx, params, group)
    path = _decode_b64(params["filepath"], "")
    if params.get("archive-name"):
        archive, inner = params["archive-name"], path
    else:
        archive, _, inner = path.lstrip("/").partition("/")
    if not values.SAFE_ID_RE.match(archive or ""):
        raise ApiError(400, f"invalid archive name '{archive}'")
    _refuse_encrypted(snap, archive)
    _pxar_name(snap, archive)
    inner = "/" + inner.strip("/")
    tree = backup_files.archive_tree(group, snap)
    entry = tree.get(inner)
    if entry is None:
        raise ApiError(400, f"error opening '\"{inner}\"'")
    if entry["type"] == "f":
        data = entry["data"]
    elif entry["type"] == "d":
        data = (backup_files.tar_zst_dir(tree, inner) if params.get("tar")
                else backup_files.zip_dir(tree, inner))
    else:
        raise ApiError(400, "cannot download file of type Symlink")
    return RawResponse(data, content_type="application/octet-stream")


@endpoint(
    "POST",
    BASE + "/upload-backup-log",
    params=SNAPSHOT,
    permission=perms.Anybody(),
    raw_body=True,
)
def upload_backup_log(ctx, params):
    """The body is a DataBlob, stored as the snapshot's ``client.log.blob``; only the
    group's owner may upload (no privilege allows it for other groups)."""
    _, group = _load(ctx, params, (), (BACKUP,), "write")
    snap = _snapshot(ctx, params, group)
    if _has(snap, CLIENT_LOG):
        raise ApiError(400, "backup already contains a log.")
    try:
        payload = backup_files.parse_blob(ctx.body or b"")
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None
    snap["client-log"] = payload.decode("utf-8", "replace")
    snap["files"].append({"filename": CLIENT_LOG})  # not in the manifest: no size, no mode
    return None
