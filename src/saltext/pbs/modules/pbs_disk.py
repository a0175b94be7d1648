"""
Read the local disks of a Proxmox Backup Server node and turn unused ones into datastore
directories or ZFS pools.

Disks are named as PBS names them (``sdb``, ``nvme0n1``: the name under ``/sys/block``,
without ``/dev/``). PBS reports what each disk is used for (``used``: ``unused``,
``mounted``, ``lvm``, ``zfs``, ``devicemapper``, ``partitions``, ``filesystem``) and only
creates a directory or pool on disks it reports ``unused``.

A directory (``directory_create``) partitions the disk, makes an ext4 or xfs file system
and mounts it under ``/mnt/datastore/<name>`` with a systemd mount unit; a pool
(``zpool_create``) is mounted there too. With ``add_datastore=True`` PBS also adds the
datastore ``<name>`` on that path. Creating is a PBS task (``dircreate`` / ``zfscreate``):
the functions wait for it by default (``wait``, ``timeout``), logging its log at info
level, and raise with the task log's tail when it fails; with ``wait=False`` they return
the UPID.

``wipe`` and ``initgpt`` destroy what is on a disk. They act only on the disk named in
the call (never on a pattern or a list) and are execution functions only: no state calls
them.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings. The node is the profile's ``node`` (default
``localhost``).
"""

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils.kinds import disks

__virtualname__ = "pbs_disk"
__func_alias__ = {"list_": "list"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def _disks_path(client, suffix=""):
    return client.path("/nodes/{node}/disks", node=client.node) + suffix


_bool = disks.check_flag


def list_(usage_type=None, include_partitions=False, skipsmart=False, profile=None):
    """
    List the node's disks, sorted by name: dicts with ``name``, ``used`` (what the disk is
    used for), ``disk-type`` (``hdd``, ``ssd``, ``usb``, ``unknown``), ``size`` (bytes),
    ``status`` (SMART: ``passed``, ``failed``, ``unknown``), ``wearout``, ``vendor``,
    ``model``, ``serial``, ``wwn``, ``rpm``, ``devpath``, ``gpt`` and, with
    ``include_partitions``, ``partitions``.

    usage_type
        Only disks used this way (``unused`` lists the disks a directory or pool can be
        created on).

    include_partitions
        Also list each disk's partitions (with their ``used``, ``mounted``,
        ``filesystem`` and ``uuid``).

    skipsmart
        Do not run smartctl (faster; ``status`` is then ``unknown``).

    Requires ``Sys.Audit`` on ``/system/disks``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_disk.list usage_type=unused
    """
    disks.check_usage_type(usage_type)
    params = {}
    if usage_type is not None:
        params["usage-type"] = usage_type
    if _bool(include_partitions, "include_partitions"):
        params["include-partitions"] = True
    if _bool(skipsmart, "skipsmart"):
        params["skipsmart"] = True
    client = _client(profile)
    return client.get_list(_disks_path(client, "/list"), params=params or None)


def get(disk, include_partitions=True, profile=None):
    """
    Return disk ``disk`` as :py:func:`list_` shows it (with its partitions by default),
    or ``None`` when the node has no such disk.

    Requires ``Sys.Audit`` on ``/system/disks``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_disk.get sdb
    """
    disks.check_disk(disk)
    for entry in list_(include_partitions=include_partitions, skipsmart=True, profile=profile):
        if entry.get("name") == disk:
            return entry
    return None


def smart(disk, healthonly=False, profile=None):
    """
    Return the SMART data of ``disk``: ``status`` (``passed``, ``failed``,
    ``unknown``), ``wearout`` and ``attributes`` (empty with ``healthonly=True``).

    Requires ``Sys.Audit`` on ``/system/disks``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_disk.smart sdb
    """
    disks.check_disk(disk)
    params = {"disk": disk}
    if _bool(healthonly, "healthonly"):
        params["healthonly"] = True
    client = _client(profile)
    return client.get_object(_disks_path(client, "/smart"), params=params)


def initgpt(disk, uuid=None, wait=True, timeout=None, profile=None):
    """
    Write an empty GPT partition table to ``disk`` (a PBS task, ``diskinit``). PBS
    refuses a disk that is not unused (``disk '<disk>' is already in use.``). Destructive:
    it acts only on the disk named here.

    uuid
        The GUID of the new table (default: a random one).

    Requires ``Sys.Modify`` on ``/system/disks``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_disk.initgpt sdb
    """
    disks.check_disk(disk)
    data = {"disk": disk}
    if uuid is not None:
        if not isinstance(uuid, str) or len(uuid) > 36:
            raise SaltInvocationError(
                "Invalid value for 'uuid': a GUID of at most 36 characters"
            )
        data["uuid"] = uuid
    client = _client(profile)
    return client.start_task("POST", _disks_path(client, "/initgpt"), data, wait, timeout)


def wipe(disk, wait=True, timeout=None, profile=None):
    """
    Wipe ``disk`` or one partition of it (``sdb``, ``sdb1``): every file system,
    partition table and RAID signature on it is erased (``wipefs --all`` and zeroed ends;
    a PBS task, ``wipedisk``). PBS does not check whether the disk is used: a mounted or
    pooled disk makes the task fail as busy, anything else is gone. Destructive: it acts
    only on the disk named here, and no state calls it.

    Requires ``Sys.Modify`` on ``/system/disks``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_disk.wipe sdb
    """
    disks.check_disk(disk, partitions=True)
    client = _client(profile)
    return client.start_task("PUT", _disks_path(client, "/wipedisk"), {"disk": disk}, wait,
                             timeout)


def _unused_or_raise(client, names, field):
    listing = client.get_list(_disks_path(client, "/list"), params={"skipsmart": True})
    for name in names:
        disks.check_unused(listing, name, field)


def _datastore_name_free(client, name):
    # PBS's task would format the disks first and fail on the datastore afterwards,
    # leaving a directory or pool nobody asked for without its datastore
    path = client.path("/config/datastore/{name}", name=name)
    if client.get_or_none(path) is not None:
        raise SaltInvocationError(
            f"Invalid value for 'add_datastore': datastore {name!r} already exists; PBS"
            " would make the file system and then fail to add it"
        )


# -- directories -------------------------------------------------------------------------


def directory_list(profile=None):
    """
    List the datastore directories: the systemd mount units PBS created under
    ``/mnt/datastore`` (``name``, ``path``, ``device`` as ``/dev/disk/by-uuid/<uuid>``,
    ``filesystem``, ``options``, ``unitfile``, ``removable`` False) and the removable
    datastores (``removable`` True, ``unitfile`` ``datastore config``).

    Requires ``Sys.Audit`` on ``/system/disks``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_disk.directory_list
    """
    client = _client(profile)
    return client.get_list(_disks_path(client, "/directory"))


def directory_get(name, profile=None):
    """
    Return the datastore directory ``name`` (as :py:func:`directory_list` shows it) with
    ``disk``: the disk whose partition it mounts (None when PBS lists no such partition),
    or ``None`` when there is no such directory.

    Requires ``Sys.Audit`` on ``/system/disks``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_disk.directory_get store1
    """
    disks.check_name(name)
    client = _client(profile)
    for entry in client.get_list(_disks_path(client, "/directory")):
        if entry.get("name") == name:
            listing = client.get_list(
                _disks_path(client, "/list"),
                params={"include-partitions": True, "skipsmart": True},
            )
            return {**entry, "disk": _disk_of_device(listing, entry.get("device", ""))}
    return None


def _disk_of_device(listing, device):
    uuid = device.rsplit("/", 1)[-1]
    for disk in listing:
        for part in disk.get("partitions") or []:
            if part.get("uuid") == uuid or part.get("devpath") == device:
                return disk.get("name")
    return None


def directory_create(
    name,
    disk,
    filesystem=None,
    add_datastore=False,
    removable_datastore=False,
    wait=True,
    timeout=None,
    profile=None,
):
    """
    Make a file system on unused ``disk`` and mount it as ``/mnt/datastore/<name>`` (a
    PBS task, ``dircreate``). The disk is checked first: one that does not exist or that
    PBS does not report ``unused`` is refused before anything is written, and so is
    ``add_datastore`` when datastore ``name`` exists already.

    name
        The directory's (and datastore's) name.

    disk
        The disk to use (``sdb``); it gets one partition spanning it.

    filesystem
        ``ext4`` (PBS's default) or ``xfs``.

    add_datastore
        Also add the datastore ``name`` on the new directory.

    removable_datastore
        With ``add_datastore``: a removable datastore (not mounted by a unit; PBS mounts
        it when the datastore is mounted).

    Requires ``Sys.Modify`` on ``/system/disks`` (PBS checks no datastore privilege for
    ``add_datastore``).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_disk.directory_create store1 sdb add_datastore=True
    """
    disks.check_name(name)
    disks.check_disk(disk)
    disks.check_filesystem(filesystem)
    data = {"name": name, "disk": disk}
    if filesystem is not None:
        data["filesystem"] = filesystem
    if _bool(add_datastore, "add_datastore"):
        data["add-datastore"] = True
    if _bool(removable_datastore, "removable_datastore"):
        data["removable-datastore"] = True
    client = _client(profile)
    _unused_or_raise(client, [disk], "disk")
    if add_datastore:
        _datastore_name_free(client, name)
    return client.start_task("POST", _disks_path(client, "/directory"), data, wait, timeout)


def directory_delete(name, profile=None):
    """
    Remove the mount unit of datastore directory ``name`` and unmount it. The file system
    and its data stay on the disk. PBS refuses while a datastore uses the path (``Can't
    remove ... since it's required by datastore ...``): delete the datastore first.

    Requires ``Sys.Modify`` on ``/system/disks``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_disk.directory_delete store1
    """
    disks.check_name(name)
    client = _client(profile)
    client.delete(client.path("/nodes/{node}/disks/directory/{name}", node=client.node,
                              name=name))
    return True


# -- ZFS ---------------------------------------------------------------------------------


def zpool_list(profile=None):
    """
    List the node's ZFS pools: ``name``, ``health``, ``size``, ``alloc``, ``free``
    (bytes), ``frag`` and ``dedup``.

    Requires ``Sys.Audit`` on ``/system/disks``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_disk.zpool_list
    """
    client = _client(profile)
    return client.get_list(_disks_path(client, "/zfs"))


def zpool_get(name, profile=None):
    """
    Return pool ``name`` as ``zpool status`` shows it (``name``, ``state``, ``scan``,
    ``errors`` and the vdev tree in ``children``) plus ``raidlevel`` and ``devices``
    read from that tree, or ``None`` when the node has no such pool.

    Requires ``Sys.Audit`` on ``/system/disks``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_disk.zpool_get tank
    """
    disks.check_name(name, zpool=True)
    client = _client(profile)
    if not any(p.get("name") == name for p in client.get_list(_disks_path(client, "/zfs"))):
        # PBS answers an unknown pool with zpool's error text (400), not "no such ..."
        return None
    details = client.get_object(
        client.path("/nodes/{node}/disks/zfs/{name}", node=client.node, name=name)
    )
    raidlevel, devices = disks.pool_layout(details)
    return {**details, "raidlevel": raidlevel, "devices": devices}


def zpool_create(
    name,
    devices,
    raidlevel,
    ashift=None,
    compression=None,
    add_datastore=False,
    wait=True,
    timeout=None,
    profile=None,
):
    """
    Create ZFS pool ``name`` on unused ``devices`` and mount it as
    ``/mnt/datastore/<name>`` (a PBS task, ``zfscreate``). The disks and their count are
    checked first: a disk that does not exist or is not ``unused``, or a count the RAID
    level cannot take, is refused before anything is written, and so is ``add_datastore``
    when datastore ``name`` exists already.

    name
        The pool's (and datastore's) name.

    devices
        The disks, a list (``[sdb, sdc]``) or comma-separated.

    raidlevel
        ``single`` (1 disk), ``mirror`` (2 or more), ``raid10`` (an even number, 4 or
        more), ``raidz`` (3+), ``raidz2`` (4+), ``raidz3`` (5+).

    ashift
        The sector size exponent, 9 to 16 (PBS's default 12).

    compression
        ``on``, ``off``, ``lz4``, ``zstd``, ``gzip``, ``lzjb`` or ``zle`` (default: ZFS's).

    add_datastore
        Also add the datastore ``name`` on the pool's mount point.

    Requires ``Sys.Modify`` on ``/system/disks``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_disk.zpool_create tank '[sdb, sdc]' mirror compression=lz4
    """
    disks.check_name(name, zpool=True)
    devices = disks.check_devices(devices, raidlevel)
    disks.check_zpool_options(ashift, compression)
    data = {"name": name, "devices": ",".join(devices), "raidlevel": raidlevel}
    if ashift is not None:
        data["ashift"] = ashift
    if compression is not None:
        data["compression"] = compression
    if _bool(add_datastore, "add_datastore"):
        data["add-datastore"] = True
    client = _client(profile)
    _unused_or_raise(client, devices, "devices")
    if add_datastore:
        _datastore_name_free(client, name)
    return client.start_task("POST", _disks_path(client, "/zfs"), data, wait, timeout)
