"""
Turn an unused disk of a Proxmox Backup Server node into a datastore directory, mounted
as ``/mnt/datastore/<name>``, optionally with the datastore on it.

Safety rules: the state uses only the disk it is given, and only when PBS reports that
disk ``unused``; it never wipes, re-partitions or re-creates anything. When the directory
exists but differs from what was asked (another disk, file system or removable setting,
or no datastore where one was asked for) it fails and says what differs. To start over,
remove the datastore, then the directory (``pbs_disk.directory_delete``), and wipe the
disk by hand (``pbs_disk.wipe <disk>``).

.. code-block:: yaml

    store1:
      pbs_disk_directory.present:
        - disk: sdb
        - filesystem: xfs
        - add_datastore: true
"""

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import disks

__virtualname__ = "pbs_disk_directory"


def __virtual__():
    if "pbs_disk.directory_get" not in __salt__:
        return False, "pbs_disk_directory: the pbs_disk execution module is not available"
    return __virtualname__


def _differences(current, disk, filesystem, removable, store):
    wanted = {"disk": disk, "removable": removable}
    if current.get("filesystem") is not None or not removable:
        wanted["filesystem"] = filesystem
    diff = [
        f"{key} is {current.get(key)!r}, not {value!r}"
        for key, value in wanted.items()
        if current.get(key) != value
    ]
    if store is False:
        diff.append(f"no datastore {current['name']!r} is configured on it")
    return diff


def present(
    name,
    disk=None,
    filesystem="ext4",
    add_datastore=False,
    removable_datastore=False,
    task_timeout=None,
    profile=None,
):
    """
    Ensure datastore directory ``name`` exists on ``disk``.

    name
        The directory's name: it is mounted as ``/mnt/datastore/<name>``, and the
        datastore (with ``add_datastore``) has this name.

    disk
        The disk to create it on (``sdb``), required; it must be ``unused`` as PBS reports
        it.

    filesystem
        ``ext4`` (default) or ``xfs``.

    add_datastore
        Also add datastore ``name`` on the directory (when the directory is created; an
        existing directory without that datastore fails the state).

    removable_datastore
        With ``add_datastore``: make it a removable datastore.

    task_timeout
        Seconds to wait for PBS's ``dircreate`` task (default 1800); the task goes on on PBS
        when the wait ends, and the state fails saying so.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    Requires ``Sys.Audit`` on ``/system/disks`` to read and ``Sys.Modify`` on
    ``/system/disks`` to create (and ``Datastore.Audit`` on ``/datastore/<name>`` to
    read the datastore with ``add_datastore``).

    .. code-block:: yaml

        store1:
          pbs_disk_directory.present:
            - disk: sdb
            - add_datastore: true
    """
    ret = {"name": name, "result": True, "changes": {}, "comment": ""}
    try:
        task_timeout = reconcile.task_limit(task_timeout)
        disks.check_name(name)
        disks.check_disk(disk)
        disks.check_filesystem(filesystem)
        disks.check_flag(add_datastore, "add_datastore")
        disks.check_flag(removable_datastore, "removable_datastore")
        current = __salt__["pbs_disk.directory_get"](name, profile=profile)
        if current is not None:
            store = None
            if add_datastore:
                store = __salt__["pbs_datastore.get"](name, profile=profile) is not None
            diff = _differences(current, disk, filesystem, removable_datastore, store)
            if diff:
                ret["result"] = False
                ret["comment"] = (
                    f"Directory {name} exists but differs from what was asked: "
                    + "; ".join(diff)
                    + ". This state never re-creates or wipes a directory."
                )
                return ret
            ret["comment"] = f"Directory {name} is present on {disk}"
            return ret
        info = __salt__["pbs_disk.get"](disk, profile=profile)
        if info is None:
            raise SaltInvocationError(f"Invalid value for 'disk': no such disk {disk!r} on this node")
        disks.check_unused([info], disk)
        new = {"disk": disk, "filesystem": filesystem, "path": f"{disks.MOUNT_DIR}/{name}",
               "removable": bool(removable_datastore),
               "datastore": name if add_datastore else None}
        ret["changes"] = {name: {"old": None, "new": new}}
        if __opts__["test"]:
            ret["result"] = None
            ret["comment"] = f"Directory {name} would be created on {disk}"
            return ret
        __salt__["pbs_disk.directory_create"](
            name, disk, filesystem=filesystem, add_datastore=add_datastore,
            removable_datastore=removable_datastore, timeout=task_timeout, profile=profile,
        )
    except (CommandExecutionError, SaltInvocationError) as exc:
        return {**ret, "result": False, "changes": {}, "comment": str(exc)}
    ret["comment"] = f"Directory {name} created on {disk}"
    return ret
