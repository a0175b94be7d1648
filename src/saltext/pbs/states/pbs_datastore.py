"""
Manage Proxmox Backup Server datastores declaratively.

.. code-block:: yaml

    store1:
      pbs_datastore.present:
        - path: /mnt/datastore/store1
        - gc_schedule: daily
        - verify_new: true
        - comment: Main backup store
        - tuning:
            chunk_order: inode
            sync_level: file
        - notify_user: null        # null clears a property

    offsite:
      pbs_datastore.present:
        - path: /var/cache/pbs/offsite    # local cache directory of an S3 datastore
        - backend:
            type: s3
            client: my-s3-endpoint
            bucket: pbs-offsite

    old-store:
      pbs_datastore.absent:
        - destroy_data: false

    usb-store:
      pbs_datastore.present:
        - path: backups                   # relative path on the removable device
        - backing_device: 0c3f8a2e-1b2c-4d5e-8f90-123456789abc

    usb-store-mounted:                    # runs after usb-store (states run in order)
      pbs_datastore.mounted:
        - name: usb-store

    usb-weekly:
      pbs_datastore.present:
        - path: weekly
        - backing_device: 7d1e2f3a-4b5c-4d6e-9f01-abcdef123456

    usb-weekly-unmounted:
      pbs_datastore.unmounted:
        - name: usb-weekly
        - task_timeout: 600
"""

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import datastore

__virtualname__ = "pbs_datastore"


def __virtual__():
    if "pbs_datastore.get" not in __salt__:
        return False, "the pbs_datastore execution module is not available"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", task_timeout=None, **properties):
    """
    Ensure datastore ``name`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared. Creation runs as
    a PBS task and the state waits for it (a failed task fails the state with the tail of
    its log).

    name
        Datastore name (3 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        Accepted for uniformity with other kinds; datastores have no write-only secrets.

    task_timeout
        Seconds to wait for the PBS task the state starts (default 1800); the task goes on
        on PBS when the wait ends, and the state fails saying so.

    {{properties}}

    ``keep_last``, ``keep_hourly``, ``keep_daily``, ``keep_weekly``, ``keep_monthly``,
    ``keep_yearly`` and ``prune_schedule`` are refused: PBS 4 configures retention with
    prune jobs (``pbs_prune_job.present``).

    {{privileges:present}}

    .. code-block:: yaml

        store1:
          pbs_datastore.present:
            - path: /mnt/datastore/store1
            - gc_schedule: daily
            - maintenance_mode:
                type: read-only
                message: disk replacement
    """
    return reconcile.present(
        datastore.DATASTORE,
        name,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
        task_timeout=task_timeout,
    )


def absent(name, profile=None, destroy_data=False, keep_job_configs=False, task_timeout=None):
    """
    Ensure datastore ``name`` does not exist. Deletion runs as a PBS task and the state
    waits for it.

    Unless ``keep_job_configs`` is true, PBS also deletes the datastore's sync, verify,
    prune and tape backup jobs and the ACL entries under ``/datastore/{name}``; the
    comment says what was removed.

    name
        Datastore name.

    profile
        Connection profile name or dict.

    destroy_data
        Also delete the backup data on disk (default false: the directory contents stay).

    keep_job_configs
        Keep the jobs and ACL entries that refer to the datastore (default false).

    task_timeout
        Seconds to wait for the PBS task the state starts (default 1800); the task goes on
        on PBS when the wait ends, and the state fails saying so.

    {{privileges:absent}}

    .. code-block:: yaml

        old-store:
          pbs_datastore.absent:
            - destroy_data: true
    """
    return reconcile.absent(
        datastore.DATASTORE,
        name,
        {"destroy_data": destroy_data, "keep_job_configs": keep_job_configs},
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        task_timeout=task_timeout,
    )



def _device_state(name, profile, want, task_timeout):
    """mounted/unmounted: read the mount status, change it with PBS's task when needed."""
    ret = {"name": name, "result": False, "changes": {}, "comment": ""}
    verb = "mount" if want == "mounted" else "unmount"
    wire = "mounted" if want == "mounted" else "notmounted"  # PBS's mount-status words
    try:
        limit = reconcile.task_limit(task_timeout)
        current = __salt__["pbs_datastore.mount_status"](name, profile=profile)
    except (CommandExecutionError, SaltInvocationError) as exc:
        ret["comment"] = str(exc)
        return ret
    if current == "nonremovable":
        ret["comment"] = f"Datastore '{name}' is not removable: it cannot be {want}"
        return ret
    if current == wire:
        ret["result"] = True
        ret["comment"] = f"Datastore '{name}' is already {want}"
        return ret
    ret["changes"] = {"mount_status": {"old": current, "new": wire}}
    if __opts__.get("test"):
        ret["result"] = None
        ret["comment"] = f"Datastore '{name}' would be {want}"
        return ret
    try:
        __salt__[f"pbs_datastore.{verb}"](name, wait=True, timeout=limit, profile=profile)
    except (CommandExecutionError, SaltInvocationError) as exc:
        ret["changes"] = {}
        ret["comment"] = f"Datastore '{name}' could not be {want}: {exc}"
        return ret
    ret["result"] = True
    ret["comment"] = f"Datastore '{name}' {want}"
    return ret


def mounted(name, profile=None, task_timeout=None):
    """
    Ensure removable datastore ``name`` is mounted (PBS's ``mount-device`` task, waited
    for). A datastore that is not removable, or does not exist, fails the state.

    name
        Datastore name.

    profile
        Connection profile name or dict.

    task_timeout
        Seconds to wait for the mount task (default 1800); the task goes on on PBS when the
        wait ends, and the state fails saying so.

    {{privilege:mount}}

    .. code-block:: yaml

        usb-store:
          pbs_datastore.mounted: []
    """
    return _device_state(name, profile, "mounted", task_timeout)


def unmounted(name, profile=None, task_timeout=None):
    """
    Ensure removable datastore ``name`` is unmounted. PBS waits for the store's active
    operations (and its garbage collection with ``gc_on_unmount``) before it unmounts; the
    state waits for that task.

    name
        Datastore name.

    profile
        Connection profile name or dict.

    task_timeout
        Seconds to wait for the unmount task (default 1800).

    {{privilege:mount}}

    .. code-block:: yaml

        usb-weekly:
          pbs_datastore.unmounted:
            - task_timeout: 600
    """
    return _device_state(name, profile, "unmounted", task_timeout)


docs.render(globals(), "datastore")
