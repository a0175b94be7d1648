"""
Browse and manage what Proxmox Backup Server datastores hold: backup groups, snapshots,
their files and catalog, downloads (raw, decoded, one file of an archive), client logs,
notes, protection and owner; delete and prune; a freshness report.

Selectors use PBS's terms: ``store`` (the datastore), ``ns`` (namespace, ``""`` or absent
for the root, at most 7 levels), ``backup_type`` (``vm``, ``ct`` or ``host``),
``backup_id`` (``100``, ``web01``) and, for a snapshot, ``backup_time``: epoch seconds or
RFC 3339 text with a time zone (``2024-05-01T02:00:00Z``). Selectors are checked before any
request; an unknown group or snapshot is an error naming it, found before anything is
changed.

Nothing is deleted that was not named: :func:`delete_snapshot` and :func:`delete_group`
name their target, and a protected snapshot is never removed (PBS refuses; the functions
say what was kept). :func:`prune_group` is a dry run unless ``dry_run=False``.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

import logging
import os
import tempfile

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils.kinds import backup

log = logging.getLogger(__name__)

__virtualname__ = "pbs_backup"

_BASE = "/admin/datastore/{store}"


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def _path(client, params, suffix):
    return client.path(_BASE + suffix, store=params["store"])


def _body(params):
    return {k: v for k, v in params.items() if k != "store"}


def _where(params):
    ns = params.get("ns")
    text = f"{params['backup-type']}/{params['backup-id']}"
    if "backup-time" in params:
        text += "/" + backup.time_text(params["backup-time"])
    return f"{text} in datastore '{params['store']}'" + (f" namespace '{ns}'" if ns else "")


def _require_group(client, params):
    """The group's snapshots (newest first); an error naming the group when it does not
    exist (a group without snapshots exists while PBS lists it)."""
    found = backup.list_snapshots(
        client, params["store"], params.get("ns", ""),
        **{"backup-type": params["backup-type"], "backup-id": params["backup-id"]},
    )
    if not found and backup.group_view(client, params) is None:
        raise CommandExecutionError(f"backup group {_where(params)} does not exist")
    return sorted(found, key=lambda s: s["backup-time"], reverse=True)


def _require_snapshot(client, params):
    snap = backup.find_snapshot(client, params)
    if snap is None:
        raise CommandExecutionError(f"snapshot {_where(params)} does not exist")
    return snap


def groups(store, ns=None, profile=None):
    """
    List the backup groups of ``store`` in namespace ``ns`` (default: the root) as PBS
    answers: ``backup-type``, ``backup-id``, ``last-backup`` (epoch), ``backup-count``,
    ``files``, ``owner`` and ``comment`` (first line of the group notes).

    Requires ``Datastore.Audit`` on ``/datastore/{store}[/{ns}]`` for all groups, or
    ``Datastore.Backup`` for the groups the caller owns.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.groups store1
        salt-call pbs_backup.groups store1 ns=prod
    """
    store, ns = backup.check_store(store), backup.check_ns(ns)
    client = _client(profile)
    path = client.path(_BASE + "/groups", store=store)
    return client.get(path, params={"ns": ns} if ns else None).data or []


def snapshots(store, ns=None, backup_type=None, backup_id=None, protected=None,
              verification=None, since=None, until=None, profile=None):
    """
    List the snapshots of ``store`` (namespace ``ns``), newest first, as PBS answers:
    ``backup-type``, ``backup-id``, ``backup-time``, ``files`` (``filename``, ``size``,
    ``crypt-mode``), ``size``, ``owner``, ``protected``, ``comment``, ``verification``
    (``state``, ``upid``), ``fingerprint`` (encrypted snapshots).

    Filters: ``backup_type``, ``backup_id`` (sent to PBS), ``protected`` (True/False),
    ``verification`` (``ok``, ``failed`` or ``none`` for never verified), ``since`` and
    ``until`` (epoch or RFC 3339; inclusive).

    Requires ``Datastore.Audit`` on ``/datastore/{store}[/{ns}]`` for all groups, or
    ``Datastore.Backup`` for the groups the caller owns.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.snapshots store1 backup_type=vm backup_id=100
        salt-call pbs_backup.snapshots store1 verification=failed since=2024-05-01T00:00:00Z
    """
    store, ns = backup.check_store(store), backup.check_ns(ns)
    filters = {}
    if backup_type is not None:
        filters["backup-type"] = backup.BACKUP_TYPE.coerce(backup_type, "backup_type")
    if backup_id is not None:
        filters["backup-id"] = backup.BACKUP_ID.coerce(backup_id, "backup_id")
    if verification not in (None, "ok", "failed", "none"):
        raise SaltInvocationError(
            f"Invalid value for 'verification': {verification!r} is not one of ok, failed, none"
        )
    start = backup.parse_backup_time(since, "since") if since is not None else None
    end = backup.parse_backup_time(until, "until") if until is not None else None
    found = backup.list_snapshots(_client(profile), store, ns, **filters)
    out = []
    for snap in found:
        state = (snap.get("verification") or {}).get("state") or "none"
        if protected is not None and bool(snap.get("protected")) != bool(protected):
            continue
        if verification is not None and state != verification:
            continue
        if start is not None and snap["backup-time"] < start:
            continue
        if end is not None and snap["backup-time"] > end:
            continue
        out.append(snap)
    return sorted(out, key=lambda s: (s["backup-time"], s["backup-type"], s["backup-id"]),
                  reverse=True)


def files(store, backup_type, backup_id, backup_time, ns=None, profile=None):
    """
    List the files of one snapshot: ``filename``, ``size`` and ``crypt-mode`` (``none``,
    ``sign-only`` or ``encrypt``).

    Requires ``Datastore.Audit`` or ``Datastore.Read`` on ``/datastore/{store}[/{ns}]``, or
    ``Datastore.Backup`` as the group's owner.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.files store1 vm 100 2024-05-01T02:00:00Z
    """
    params = backup.snapshot_params(store, backup_type, backup_id, backup_time, ns)
    client = _client(profile)
    _require_snapshot(client, params)
    return client.get(_path(client, params, "/files"), params=_body(params)).data or []


def _check_dest(dest, overwrite):
    if not dest or not isinstance(dest, str) or not os.path.isabs(dest):
        raise SaltInvocationError(f"Invalid value for 'dest': {dest!r} is not an absolute path")
    if os.path.isdir(dest):
        raise SaltInvocationError(f"Invalid value for 'dest': {dest} is a directory")
    if os.path.lexists(dest) and not overwrite:
        raise SaltInvocationError(
            f"Invalid value for 'dest': {dest} exists; pass overwrite=True to replace it"
        )
    directory = os.path.dirname(dest)
    if not os.path.isdir(directory):
        raise SaltInvocationError(f"Invalid value for 'dest': directory {directory} does not exist")
    return directory


def _stream_to(client, path, query, dest, timeout, expected=None):
    """Stream a GET into ``dest`` through a 0600 temporary file moved into place when
    complete (and, when ``expected`` is known, exactly that long)."""
    fd, tmp = tempfile.mkstemp(prefix=".pbs-download-", dir=os.path.dirname(dest))
    try:
        with os.fdopen(fd, "wb") as fh:
            size, content_type = client.download(path, query, fh, timeout=timeout)
        if expected is not None and size != expected:
            raise CommandExecutionError(
                f"download of {query.get('file-name')} is {size} bytes, PBS lists {expected}:"
                f" not written to {dest}"
            )
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return {"path": dest, "size": size, "content_type": content_type}


def _snapshot_file(params, snap, name, field="file_name"):
    """The snapshot's file entry ``name``; an error listing the files when it has none."""
    for item in snap.get("files") or []:
        if item.get("filename") == name:
            return item
    names = ", ".join(f.get("filename", "") for f in snap.get("files") or [])
    raise CommandExecutionError(
        f"snapshot {_where(params)} has no file '{name}' for '{field}' (it has: {names})"
    )


def _refuse_encrypted(params, item):
    if item.get("crypt-mode") == "encrypt":
        raise CommandExecutionError(
            f"'{item['filename']}' of snapshot {_where(params)} is encrypted: PBS cannot"
            " decode it (download it raw, without decoded or path, and restore it with the"
            " key)"
        )


def download(store, backup_type, backup_id, backup_time, file_name, dest, ns=None,
             overwrite=False, timeout=None, path=None, decoded=False, tar=False,
             profile=None):
    """
    Download from a snapshot to the local path ``dest``, streamed (never held in memory
    whole). Returns ``path``, ``size`` and ``content_type`` (PBS sends
    ``application/octet-stream`` for all three kinds):

    - ``file_name`` alone: the file as PBS stores it (a ``.blob``, or a ``.fidx``/``.didx``
      chunk index), checked against the length PBS announced;
    - ``decoded=True``: decoded by PBS (a blob's content, a disk image, a pxar archive's
      stream), checked against the size PBS lists for an index archive;
    - ``path``: one file out of the pxar archive ``file_name`` (``root.pxar.didx``), or a
      directory as a zip (``tar=True``: a ``.tar.zst``). Browse with :func:`catalog`.

    Decoding (``decoded`` or ``path``) is refused for an encrypted file before any
    request: PBS has no key. An existing ``dest`` is refused unless ``overwrite=True``;
    the file is written under a temporary name (mode 0600) and moved into place only when
    complete.

    Requires ``Datastore.Read`` on ``/datastore/{store}[/{ns}]``, or ``Datastore.Backup`` as
    the group's owner.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.download store1 vm 100 1714528800 qemu-server.conf.blob /tmp/vm.blob
        salt-call pbs_backup.download store1 vm 100 1714528800 qemu-server.conf.blob /tmp/vm.conf decoded=True
        salt-call pbs_backup.download store1 host web01 1714528800 root.pxar.didx /tmp/hosts path=/etc/hosts
    """
    params = backup.snapshot_params(store, backup_type, backup_id, backup_time, ns)
    if file_name in (None, ""):
        raise SaltInvocationError("'file_name' is required (one of the snapshot's files)")
    params["file-name"] = backup.FILE_NAME.coerce(file_name, "file_name")
    inner = backup.archive_path(path) if path not in (None, "") else None
    if inner is not None and decoded:
        raise SaltInvocationError("'decoded' and 'path' exclude each other: 'path' already"
                                  " decodes the pxar archive")
    if tar and inner is None:
        raise SaltInvocationError("'tar' applies only with 'path' (a directory of an archive)")
    if inner is not None and not backup.is_pxar(params["file-name"]):
        raise SaltInvocationError(
            f"Invalid value for 'file_name': '{params['file-name']}' is not a pxar archive"
            " (*.pxar.didx); 'path' selects a file inside one"
        )
    _check_dest(dest, overwrite)
    client = _client(profile)
    snap = _require_snapshot(client, params)
    item = _snapshot_file(params, snap, params["file-name"])
    if inner is not None:
        _refuse_encrypted(params, item)
        archive = params.pop("file-name")  # PBS takes it as the path's first component
        query = dict(_body(params), filepath=backup.encode_path(f"/{archive}{inner}"))
        if tar:
            query["tar"] = True
        return _stream_to(client, _path(client, params, "/pxar-file-download"), query, dest,
                          timeout)
    if decoded:
        _refuse_encrypted(params, item)
        expected = None if params["file-name"].endswith(".blob") else item.get("size")
        return _stream_to(client, _path(client, params, "/download-decoded"), _body(params),
                          dest, timeout, expected)
    return _stream_to(client, _path(client, params, "/download"), _body(params), dest,
                      timeout)


def catalog(store, backup_type, backup_id, backup_time, path="/", archive_name=None,
            ns=None, profile=None):
    """
    Browse a snapshot's file archives: the entries of directory ``path``. Without
    ``archive_name`` through the snapshot's catalog (``catalog.pcat1.didx``), whose root
    lists the pxar archives (``/root.pxar.didx``) and below them their files
    (``/root.pxar.didx/etc``); with ``archive_name`` (``root.pxar.didx``), ``path`` is
    inside that archive (for snapshots without a catalog). Returns PBS's entries:
    ``filepath`` (the full path, base64), ``text`` (the name),
    ``type`` (``d`` directory, ``f`` file, ``l`` symlink, ``h``, ``b``, ``c``, ``p``,
    ``s``), ``leaf``, and for files ``size`` and ``mtime``; plus ``path``: ``filepath``
    decoded. An encrypted archive is refused before any request.

    Requires ``Datastore.Read`` on ``/datastore/{store}[/{ns}]``, or ``Datastore.Backup`` as
    the group's owner.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.catalog store1 host web01 1714528800
        salt-call pbs_backup.catalog store1 host web01 1714528800 path=/root.pxar.didx/etc
        salt-call pbs_backup.catalog store1 ct 200 1714528800 path=/etc archive_name=root.pxar.didx
    """
    params = backup.snapshot_params(store, backup_type, backup_id, backup_time, ns)
    inner = backup.archive_path(path)
    if archive_name not in (None, ""):
        params["archive-name"] = backup.FILE_NAME.coerce(archive_name, "archive_name")
        if not backup.is_pxar(params["archive-name"]):
            raise SaltInvocationError(
                f"Invalid value for 'archive_name': '{params['archive-name']}' is not a pxar"
                " archive (*.pxar.didx)"
            )
    client = _client(profile)
    snap = _require_snapshot(client, params)
    archive = params.get("archive-name")
    if archive is None and backup.CATALOG_FILE not in [f.get("filename") for f in
                                                      snap.get("files") or []]:
        raise CommandExecutionError(
            f"snapshot {_where(params)} has no catalog ({backup.CATALOG_FILE}); pass"
            " archive_name (e.g. root.pxar.didx) to browse an archive directly"
        )
    _refuse_encrypted(params, _snapshot_file(params, snap, archive or backup.CATALOG_FILE,
                                             "archive_name"))
    query = dict(_body(params), filepath=backup.encode_path(inner))
    entries = client.get(_path(client, params, "/catalog"), params=query).data or []
    return [dict(e, path=backup.decode_path(e.get("filepath", ""))) for e in entries]


def upload_log(store, backup_type, backup_id, backup_time, log_file, ns=None, profile=None):
    """
    Attach a client backup log (the local text file ``log_file``) to a snapshot as its
    ``client.log.blob`` (PBS's ``upload-backup-log``; a snapshot holds one log, and PBS
    refuses a second: so does this function, before sending). Returns True.

    Requires ``Datastore.Backup`` on ``/datastore/{store}[/{ns}]`` and being the group's
    owner (PBS lets only the backup's owner do this, whatever other privileges).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.upload_log store1 host web01 1714528800 /var/log/backup-web01.log
    """
    params = backup.snapshot_params(store, backup_type, backup_id, backup_time, ns)
    if not log_file or not isinstance(log_file, str) or not os.path.isabs(log_file):
        raise SaltInvocationError(
            f"Invalid value for 'log_file': {log_file!r} is not an absolute path"
        )
    if not os.path.isfile(log_file):
        raise SaltInvocationError(f"Invalid value for 'log_file': {log_file} is not a file")
    size = os.path.getsize(log_file)
    if size + 12 > backup.MAX_BLOB_SIZE:
        raise SaltInvocationError(
            f"Invalid value for 'log_file': {log_file} has {size} bytes; PBS stores blobs up"
            f" to {backup.MAX_BLOB_SIZE} bytes"
        )
    client = _client(profile)
    snap = _require_snapshot(client, params)
    if backup.CLIENT_LOG in [f.get("filename") for f in snap.get("files") or []]:
        raise CommandExecutionError(
            f"snapshot {_where(params)} already has a client log ({backup.CLIENT_LOG}); PBS"
            " keeps one log per snapshot"
        )
    with open(log_file, "rb") as fh:
        blob = backup.encode_blob(fh.read())
    client.upload(_path(client, params, "/upload-backup-log"), _body(params), blob)
    return True


def notes(store, backup_type, backup_id, backup_time=None, ns=None, profile=None):
    """
    The notes of a snapshot, or of the group when ``backup_time`` is not given (``""``
    when there are none).

    Requires ``Datastore.Audit`` on ``/datastore/{store}[/{ns}]``, or ``Datastore.Backup``
    as the group's owner.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.notes store1 vm 100
        salt-call pbs_backup.notes store1 vm 100 backup_time=1714528800
    """
    client = _client(profile)
    if backup_time is None:
        params = backup.group_params(store, backup_type, backup_id, ns)
        _require_group(client, params)
        return client.get(_path(client, params, "/group-notes"), params=_body(params)).data
    params = backup.snapshot_params(store, backup_type, backup_id, backup_time, ns)
    _require_snapshot(client, params)
    return client.get(_path(client, params, "/notes"), params=_body(params)).data


def set_notes(  # pylint: disable=redefined-outer-name
    store, backup_type, backup_id, notes, backup_time=None, ns=None, profile=None
):
    """
    Set the notes of a snapshot, or of the group when ``backup_time`` is not given (the
    first line shows as the comment in listings). Returns True.

    Requires ``Datastore.Modify`` on ``/datastore/{store}[/{ns}]``, or ``Datastore.Backup``
    as the group's owner.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.set_notes store1 vm 100 "database server"
        salt-call pbs_backup.set_notes store1 vm 100 "before upgrade" backup_time=1714528800
    """
    if notes is None or not isinstance(notes, (str, int, float)) or isinstance(notes, bool):
        raise SaltInvocationError("Invalid value for 'notes': expected text")
    client = _client(profile)
    if backup_time is None:
        params = backup.group_params(store, backup_type, backup_id, ns)
        _require_group(client, params)
        suffix = "/group-notes"
    else:
        params = backup.snapshot_params(store, backup_type, backup_id, backup_time, ns)
        _require_snapshot(client, params)
        suffix = "/notes"
    client.put(_path(client, params, suffix), data=dict(_body(params), notes=str(notes)))
    return True


def protected(store, backup_type, backup_id, backup_time, ns=None, profile=None):
    """
    True when the snapshot is protected (prune and delete leave it alone).

    Requires ``Datastore.Audit`` on ``/datastore/{store}[/{ns}]``, or ``Datastore.Backup``
    as the group's owner.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.protected store1 vm 100 2024-05-01T02:00:00Z
    """
    params = backup.snapshot_params(store, backup_type, backup_id, backup_time, ns)
    client = _client(profile)
    _require_snapshot(client, params)
    return bool(client.get(_path(client, params, "/protected"), params=_body(params)).data)


def _set_protection(store, backup_type, backup_id, backup_time, ns, profile, flag):
    params = backup.snapshot_params(store, backup_type, backup_id, backup_time, ns)
    client = _client(profile)
    _require_snapshot(client, params)
    client.put(_path(client, params, "/protected"), data=dict(_body(params), protected=flag))
    return True


def protect(store, backup_type, backup_id, backup_time, ns=None, profile=None):
    """
    Protect a snapshot from prune and delete. Returns True.

    Requires ``Datastore.Modify`` on ``/datastore/{store}[/{ns}]``, or ``Datastore.Backup``
    as the group's owner.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.protect store1 vm 100 2024-05-01T02:00:00Z
    """
    return _set_protection(store, backup_type, backup_id, backup_time, ns, profile, True)


def unprotect(store, backup_type, backup_id, backup_time, ns=None, profile=None):
    """
    Remove a snapshot's protection. Returns True.

    Requires ``Datastore.Modify`` on ``/datastore/{store}[/{ns}]``, or ``Datastore.Backup``
    as the group's owner.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.unprotect store1 vm 100 2024-05-01T02:00:00Z
    """
    return _set_protection(store, backup_type, backup_id, backup_time, ns, profile, False)


def change_owner(store, backup_type, backup_id, new_owner, ns=None, profile=None):
    """
    Make ``new_owner`` (a user or API token, ``user@realm[!token]``) the owner of a group.
    Returns True.

    Requires ``Datastore.Modify`` on ``/datastore/{store}[/{ns}]``; with only
    ``Datastore.Backup``, ownership may move only between the caller and its own tokens.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.change_owner store1 vm 100 'backup@pbs!pve1'
    """
    params = backup.group_params(store, backup_type, backup_id, ns)
    if new_owner in (None, ""):
        raise SaltInvocationError("'new_owner' is required (user@realm or user@realm!token)")
    params["new-owner"] = backup.NEW_OWNER.coerce(new_owner, "new_owner")
    client = _client(profile)
    _require_group(client, params)
    client.post(_path(client, params, "/change-owner"), data=_body(params))
    return True


def move_group(store, backup_type, backup_id, target_ns, ns=None, merge=True, wait=True,
               timeout=None, profile=None):
    """
    Move a backup group from namespace ``ns`` (default: the root) to ``target_ns`` (which
    must exist) in the same datastore. When the target already has the group, its
    snapshots are merged into it (same owner, and every moved snapshot newer than the
    target's) unless ``merge=False``, which refuses. Runs as a PBS task: waits for it
    (logging its log) and returns its final status, or with ``wait=False`` its UPID.

    Requires ``Datastore.Modify`` (or ``Datastore.Prune`` as owner) on the source namespace
    and ``Datastore.Modify`` (or ``Datastore.Backup`` as owner) on the target namespace.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.move_group store1 vm 100 target_ns=archive
    """
    params = backup.group_params(store, backup_type, backup_id, ns)
    target = backup.check_ns(target_ns)
    if target == params.get("ns", ""):
        raise SaltInvocationError(
            "Invalid value for 'target_ns': it is the group's own namespace"
        )
    client = _client(profile)
    _require_group(client, params)
    if target:
        # listed from the root: PBS answers a missing parent with just the anchor
        if target not in backup.namespaces(client, params["store"]):
            raise CommandExecutionError(
                f"target namespace '{target}' does not exist in datastore '{params['store']}'"
            )
    body = dict(_body(params), **{"target-ns": target, "merge-group": bool(merge)})
    upid = client.post(_path(client, params, "/move-group"), data=body).data
    return client.task_result(upid, wait, timeout)


def move_namespace(store, ns, target_ns, merge=True, wait=True, timeout=None, profile=None):
    """
    Move namespace ``ns`` with everything below it (namespaces and groups) to
    ``target_ns`` in the same datastore; the target's parent must exist, and a namespace
    cannot move into its own subtree. Groups that exist at the target are merged unless
    ``merge=False``. Runs as a PBS task: waits for it (logging its log) and returns its
    final status, or with ``wait=False`` its UPID.

    Requires ``Datastore.Modify`` on the parents of the source and of the target namespace.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.move_namespace store1 prod/old archive/old
    """
    store = backup.check_store(store)
    source, target = backup.check_ns(ns), backup.check_ns(target_ns)
    if not source:
        raise SaltInvocationError("Invalid value for 'ns': the root namespace cannot be moved")
    if not target:
        raise SaltInvocationError("Invalid value for 'target_ns': the root namespace cannot"
                                  " be a target")
    if target == source or target.startswith(source + "/"):
        raise SaltInvocationError(
            f"Invalid value for 'target_ns': '{target}' is '{source}' or inside it"
        )
    client = _client(profile)
    if source not in backup.namespaces(client, store):
        raise CommandExecutionError(f"namespace '{source}' does not exist in datastore '{store}'")
    body = {"ns": source, "target-ns": target, "merge-groups": bool(merge)}
    path = client.path(_BASE + "/move-namespace", store=store)
    upid = client.post(path, data=body).data
    return client.task_result(upid, wait, timeout)


def delete_snapshot(store, backup_type, backup_id, backup_time, ns=None, profile=None):
    """
    Delete one snapshot. A protected snapshot is refused before anything is sent
    (unprotect it first). Returns the deleted snapshot's ``backup-time``.

    Requires ``Datastore.Modify`` on ``/datastore/{store}[/{ns}]``, or ``Datastore.Prune``
    as the group's owner.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.delete_snapshot store1 vm 100 2024-05-01T02:00:00Z
    """
    params = backup.snapshot_params(store, backup_type, backup_id, backup_time, ns)
    client = _client(profile)
    snap = _require_snapshot(client, params)
    if snap.get("protected"):
        raise CommandExecutionError(
            f"snapshot {_where(params)} is protected: not deleted (unprotect it first with"
            " pbs_backup.unprotect)"
        )
    client.delete(_path(client, params, "/snapshots"), params=_body(params))
    return params["backup-time"]


def delete_group(store, backup_type, backup_id, ns=None, keep_protected=False, profile=None):
    """
    Delete a backup group with its snapshots. When the group holds protected snapshots,
    nothing is deleted unless ``keep_protected=True``: then the unprotected snapshots go,
    the protected ones (and so the group) stay. Returns PBS's counts
    (``removed-groups``, ``removed-snapshots``, ``protected-snapshots``) and ``kept``: the
    RFC 3339 times of the snapshots left.

    Requires ``Datastore.Modify`` on ``/datastore/{store}[/{ns}]``, or ``Datastore.Prune``
    as the group's owner.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.delete_group store1 vm 100
        salt-call pbs_backup.delete_group store1 vm 100 keep_protected=True
    """
    params = backup.group_params(store, backup_type, backup_id, ns)
    client = _client(profile)
    snaps = _require_group(client, params)
    kept = [backup.time_text(s["backup-time"]) for s in snaps if s.get("protected")]
    if kept and not keep_protected:
        raise CommandExecutionError(
            f"backup group {_where(params)} has {len(kept)} protected snapshot(s)"
            f" ({', '.join(kept)}): nothing deleted; pass keep_protected=True to delete the"
            " others and keep these, or unprotect them first"
        )
    query = dict(_body(params), **{"error-on-protected": False})
    stats = client.delete(_path(client, params, "/groups"), params=query).data or {}
    if kept:
        log.info("pbs_backup.delete_group: kept protected snapshots of %s: %s",
                 _where(params), ", ".join(kept))
    return dict(stats, kept=kept)


def prune_group(store, backup_type, backup_id, ns=None, keep_last=None, keep_hourly=None,
                keep_daily=None, keep_weekly=None, keep_monthly=None, keep_yearly=None,
                dry_run=True, wait=True, timeout=None, profile=None, **kwargs):
    """
    Prune one backup group with PBS's retention rules: ``keep_last``, ``keep_hourly``,
    ``keep_daily``, ``keep_weekly``, ``keep_monthly``, ``keep_yearly`` (at least one;
    validated like a prune job's). Protected snapshots are always kept.

    ``dry_run`` (default True) only reports. Returns PBS's list, oldest first: one entry
    per snapshot with ``backup-time``, ``keep`` and ``protected`` (and ``backup-type``,
    ``backup-id``, ``ns``). With ``dry_run=False`` the snapshots marked ``keep: false``
    are deleted and the same list is returned (PBS prunes one group within the request;
    ``timeout`` is the seconds to wait for its answer). With ``wait=False`` PBS runs the
    prune as a task and its UPID is returned at once (follow it with ``pbs.task_wait``).

    Requires ``Datastore.Modify`` on ``/datastore/{store}[/{ns}]``, or ``Datastore.Prune``
    as the group's owner.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.prune_group store1 vm 100 keep_last=3 keep_daily=7
        salt-call pbs_backup.prune_group store1 vm 100 keep_daily=7 dry_run=False
    """
    params = backup.group_params(store, backup_type, backup_id, ns)
    given = {
        "keep_last": keep_last, "keep_hourly": keep_hourly, "keep_daily": keep_daily,
        "keep_weekly": keep_weekly, "keep_monthly": keep_monthly, "keep_yearly": keep_yearly,
    }
    unknown = sorted(k for k in kwargs if not k.startswith("__"))
    if unknown:
        raise SaltInvocationError(
            f"unknown argument(s) {', '.join(unknown)}; prune takes {', '.join(given)}"
        )
    keep = backup.keep_options({k: v for k, v in given.items() if v is not None})
    if not keep:
        raise SaltInvocationError(
            "prune_group needs at least one keep option (keep_last, keep_hourly, keep_daily,"
            " keep_weekly, keep_monthly, keep_yearly); without one PBS keeps everything"
        )
    client = _client(profile)
    _require_group(client, params)
    body = dict(_body(params), **keep, **{"dry-run": bool(dry_run)})
    path = _path(client, params, "/prune")
    if dry_run or wait:
        # PBS prunes one group synchronously and answers the list; ``timeout`` bounds that
        return client.request("POST", path, data=body, timeout=timeout).data or []
    body["use-task"] = True
    return client.post(path, data=body).data


def freshness(store, ns=None, max_age=None, recursive=True, profile=None):
    """
    For every backup group of ``store`` (in ``ns`` and, when ``recursive``, the namespaces
    below it): the newest snapshot's time and ``age`` (seconds), its ``verification``
    state (``ok``, ``failed`` or None), ``owner``, the group's snapshot count, and whether
    it is ``stale`` (older than ``max_age``: seconds, or ``26h``, ``2d``, ``1w``) or
    ``verify_failed``. One row per group, sorted by namespace and group.

    Requires ``Datastore.Audit`` on ``/datastore/{store}[/{ns}]`` (or ``Datastore.Backup``
    for owned groups only).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup.freshness store1 max_age=26h
        salt-call pbs_backup.freshness store1 ns=prod recursive=False
    """
    store, ns = backup.check_store(store), backup.check_ns(ns)
    limit = backup.parse_duration(max_age) if max_age is not None else None
    return backup.freshness(_client(profile), store, ns, limit, bool(recursive))
