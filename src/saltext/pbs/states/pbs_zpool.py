"""
Create a ZFS pool on named, unused disks of a Proxmox Backup Server node, mounted as
``/mnt/datastore/<name>``, optionally with the datastore on it.

Safety rules: the state uses only the disks it is given, and only when PBS reports every
one of them ``unused``; it never wipes, re-partitions or re-creates anything. When the
pool exists but differs from what was asked (other disks or RAID level, or no datastore
where one was asked for) it fails and says what differs. ``ashift`` and ``compression``
are applied when the pool is created; PBS's API does not show them, so an existing pool
is not compared on them.

.. code-block:: yaml

    tank:
      pbs_zpool.present:
        - devices: [sdb, sdc]
        - raidlevel: mirror
        - compression: lz4
        - add_datastore: true
"""

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import disks

__virtualname__ = "pbs_zpool"


def __virtual__():
    if "pbs_disk.zpool_get" not in __salt__:
        return False, "pbs_zpool: the pbs_disk execution module is not available"
    return __virtualname__


def _same_devices(raidlevel, have, want):
    # raid10 pairs the disks in the order given; the other levels are one group
    return have == want if raidlevel == "raid10" else sorted(have) == sorted(want)


def present(
    name,
    devices=None,
    raidlevel=None,
    ashift=None,
    compression=None,
    add_datastore=False,
    task_timeout=None,
    profile=None,
):
    """
    Ensure ZFS pool ``name`` exists on ``devices`` with ``raidlevel``.

    name
        The pool's name: it is mounted as ``/mnt/datastore/<name>``, and the datastore
        (with ``add_datastore``) has this name.

    devices
        The disks (``[sdb, sdc]``), required; each must be ``unused`` as PBS reports it.

    raidlevel
        Required: ``single``, ``mirror``, ``raid10``, ``raidz``, ``raidz2`` or ``raidz3``.

    ashift
        Sector size exponent, 9 to 16 (PBS's default 12); at creation only.

    compression
        ``on``, ``off``, ``lz4``, ``zstd``, ``gzip``, ``lzjb``, ``zle``; at creation only.

    add_datastore
        Also add datastore ``name`` on the pool (when the pool is created; an existing
        pool without that datastore fails the state).

    task_timeout
        Seconds to wait for PBS's ``zfscreate`` task (default 1800); the task goes on on PBS
        when the wait ends, and the state fails saying so.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    Requires ``Sys.Audit`` on ``/system/disks`` to read and ``Sys.Modify`` on
    ``/system/disks`` to create (and ``Datastore.Audit`` on ``/datastore/<name>`` to
    read the datastore with ``add_datastore``).

    .. code-block:: yaml

        tank:
          pbs_zpool.present:
            - devices: [sdb, sdc, sdd]
            - raidlevel: raidz
    """
    ret = {"name": name, "result": True, "changes": {}, "comment": ""}
    try:
        task_timeout = reconcile.task_limit(task_timeout)
        disks.check_name(name, zpool=True)
        devices = disks.check_devices(devices, raidlevel)
        disks.check_zpool_options(ashift, compression)
        disks.check_flag(add_datastore, "add_datastore")
        current = __salt__["pbs_disk.zpool_get"](name, profile=profile)
        if current is not None:
            diff = []
            if current.get("raidlevel") != raidlevel:
                diff.append(f"raidlevel is {current.get('raidlevel')!r}, not {raidlevel!r}")
            if not _same_devices(raidlevel, current.get("devices", []), devices):
                diff.append(f"devices are {current.get('devices')}, not {devices}")
            if add_datastore and __salt__["pbs_datastore.get"](name, profile=profile) is None:
                diff.append(f"no datastore {name!r} is configured on it")
            if diff:
                ret["result"] = False
                ret["comment"] = (
                    f"ZFS pool {name} exists but differs from what was asked: "
                    + "; ".join(diff)
                    + ". This state never re-creates or wipes a pool."
                )
                return ret
            ret["comment"] = f"ZFS pool {name} is present ({raidlevel} on {', '.join(devices)})"
            return ret
        listing = __salt__["pbs_disk.list"](skipsmart=True, profile=profile)
        for disk in devices:
            disks.check_unused(listing, disk, "devices")
        new = {"devices": devices, "raidlevel": raidlevel, "path": f"{disks.MOUNT_DIR}/{name}",
               "datastore": name if add_datastore else None}
        for key, value in (("ashift", ashift), ("compression", compression)):
            if value is not None:
                new[key] = value
        ret["changes"] = {name: {"old": None, "new": new}}
        if __opts__["test"]:
            ret["result"] = None
            ret["comment"] = f"ZFS pool {name} would be created on {', '.join(devices)}"
            return ret
        __salt__["pbs_disk.zpool_create"](
            name, devices, raidlevel, ashift=ashift, compression=compression,
            add_datastore=add_datastore, timeout=task_timeout, profile=profile,
        )
    except (CommandExecutionError, SaltInvocationError) as exc:
        return {**ret, "result": False, "changes": {}, "comment": str(exc)}
    ret["comment"] = f"ZFS pool {name} created ({raidlevel} on {', '.join(devices)})"
    return ret
