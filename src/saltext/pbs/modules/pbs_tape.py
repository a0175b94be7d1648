"""
One-off tape backup and restore on Proxmox Backup Server (``/tape/backup``,
``/tape/restore``): write a datastore to a media pool now, without a tape backup job, and
read a media set back into datastores.

Both are PBS tasks: the functions wait by default (``wait=True``, ``timeout`` seconds),
logging the task log at info level, and return the final task status; with ``wait=False``
they return the UPID. A failed task raises with the tail of its log and says where the
drive's cartridge is.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import tape_ops

__virtualname__ = "pbs_tape"

NOTIFICATION_MODES = ("legacy-sendmail", "notification-system")


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def _check_mode(mode):
    if mode is not None and mode not in NOTIFICATION_MODES:
        raise SaltInvocationError(
            f"Invalid value for 'notification_mode': expected {' or '.join(NOTIFICATION_MODES)}"
        )
    return mode


def _names_exist(client, path, names, field):
    """Stop before the task when a named object does not exist (PBS would refuse)."""
    known = {item.get("name") or item.get("store") for item in client.get(path).data or []}
    for name in names:
        if name not in known:
            raise SaltInvocationError(f"Invalid value for '{field}': '{name}' does not exist")


def backup(store, pool, drive, eject_media=None, export_media_set=None, force_media_set=None,
           latest_only=None, ns=None, max_depth=None, group_filter=None, notify_user=None,
           notification_mode=None, worker_threads=None, wait=True, timeout=None,
           profile=None):
    """
    Back up datastore ``store`` to media pool ``pool`` with drive ``drive`` now. PBS
    continues the pool's current media set (or starts one, as the pool's allocation says;
    ``force_media_set=True`` always starts one), loads writable media from the drive's
    changer, and with ``export_media_set=True`` moves the set's media to import/export
    slots at the end (``eject_media=True`` only unloads the drive). ``latest_only``,
    ``ns``, ``max_depth``, ``group_filter`` (a list such as ``["type:vm"]``) choose the
    snapshots, as for a tape backup job.

    Requires ``Datastore.Read`` on ``/datastore/{store}``, ``Tape.Write`` on
    ``/tape/drive/{drive}`` and ``Tape.Write`` on ``/tape/pool/{pool}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape.backup store1 weekly lto9-1 export_media_set=True
    """
    client = _client(profile)
    tape_ops.device(store, "store")
    tape_ops.pool(pool)
    tape_ops.device(drive, "drive")
    if group_filter is not None and isinstance(group_filter, str):
        group_filter = [group_filter]
    data = tape_ops.body(
        store=store, pool=pool, drive=drive,
        eject_media=tape_ops.flag(eject_media, "eject_media"),
        export_media_set=tape_ops.flag(export_media_set, "export_media_set"),
        force_media_set=tape_ops.flag(force_media_set, "force_media_set"),
        latest_only=tape_ops.flag(latest_only, "latest_only"),
        ns=ns, max_depth=max_depth, group_filter=group_filter, notify_user=notify_user,
        notification_mode=_check_mode(notification_mode), worker_threads=worker_threads,
    )
    _names_exist(client, "/config/media-pool", [pool], "pool")
    _names_exist(client, "/config/drive", [drive], "drive")
    return tape_ops.start_task(client, "POST", "/tape/backup", data, wait, timeout, drive=drive)


def _store_mapping(store):
    """``store``: a target name, or a dict ``{source: target}`` (key ``None`` or ``""``: the
    default target). Returns PBS's text (``target`` or ``source=target,...``) and the
    targets."""
    if isinstance(store, str):
        tape_ops.device(store, "store")
        return store, [store]
    if not isinstance(store, dict) or not store:
        raise SaltInvocationError(
            "Invalid value for 'store': a datastore name or a mapping {source: target}"
        )
    parts, targets = [], []
    for source, target in store.items():
        tape_ops.device(target, f"store[{source}]")
        targets.append(target)
        if source in (None, ""):
            parts.append(target)
        else:
            parts.append(f"{tape_ops.device(source, 'store')}={target}")
    return ",".join(parts), targets


def _namespace_maps(namespaces):
    """Each mapping a dict ``{store, source, target, max_depth}`` (or PBS's text)."""
    out = []
    for index, item in enumerate(namespaces or []):
        if isinstance(item, str):
            out.append(item)
            continue
        if not isinstance(item, dict) or "store" not in item:
            raise SaltInvocationError(
                f"Invalid value for 'namespaces[{index}]': a dict with 'store' (and 'source',"
                " 'target', 'max_depth')"
            )
        unknown = set(item) - {"store", "source", "target", "max_depth"}
        if unknown:
            raise SaltInvocationError(
                f"Invalid value for 'namespaces[{index}]': unknown key {sorted(unknown)[0]!r}"
            )
        out.append(",".join(f"{k.replace('_', '-')}={v}" for k, v in item.items()))
    return out or None


def restore(media_set, store, drive, snapshots=None, namespaces=None, owner=None,
            notify_user=None, notification_mode=None, wait=True, timeout=None, profile=None):
    """
    Restore media set ``media_set`` (its uuid; see :py:func:`pbs_tape_media.media_sets
    <saltext.pbs.modules.pbs_tape_media.media_sets>`) with drive ``drive`` into ``store``:
    one datastore for everything, or a mapping ``{source store: target store}`` (a key
    ``""`` names the default target). ``snapshots`` restores only those
    (``store:[ns/<ns>/]type/id/time``, as :py:func:`pbs_tape_media.content
    <saltext.pbs.modules.pbs_tape_media.content>` shows them); ``namespaces`` maps
    namespaces (``[{"store": "src", "source": "a", "target": "b", "max_depth": 2}]``);
    ``owner`` owns the restored groups. The target datastores must exist (checked before
    the request).

    Requires ``Datastore.Backup`` on ``/datastore/{store}`` of each target (and
    ``Datastore.Modify`` to restore as another ``owner``), ``Tape.Read`` on
    ``/tape/drive/{drive}`` and ``Tape.Read`` on ``/tape/pool/{pool}`` of the media set.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape.restore 9e7a2e36-1d3f-4a4f-9d0f-5c6e2b1a0c11 store2 lto9-1
    """
    client = _client(profile)
    media_set = tape_ops.media_uuid(media_set, "media_set")
    text, targets = _store_mapping(store)
    tape_ops.device(drive, "drive")
    if snapshots is not None and isinstance(snapshots, str):
        snapshots = [snapshots]
    data = tape_ops.body(
        media_set=media_set, store=text, drive=drive, snapshots=snapshots,
        namespaces=_namespace_maps(namespaces), owner=owner, notify_user=notify_user,
        notification_mode=_check_mode(notification_mode),
    )
    _names_exist(client, "/config/datastore", targets, "store")
    _names_exist(client, "/config/drive", [drive], "drive")
    return tape_ops.start_task(client, "POST", "/tape/restore", data, wait, timeout, drive=drive)
