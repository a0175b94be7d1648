"""
Manage Proxmox Backup Server sync jobs (pull and push) declaratively.

.. code-block:: yaml

    pull-offsite:
      pbs_sync_job.present:
        - store: local
        - remote: offsite
        - remote_store: backups
        - remote_ns: prod
        - ns: mirror/prod
        - max_depth: 2
        - schedule: hourly
        - group_filter:
            - type:vm
            - exclude:group:vm/100
        - remove_vanished: true
        - transfer_last: 7
        - rate_in: 50 MB
        - burst_in: 100 MB
        - comment: Mirror of the production VMs
        - require:
          - pbs_datastore: local
          - pbs_remote: offsite

    push-to-dr:
      pbs_sync_job.present:
        - sync_direction: push
        - store: local
        - remote: dr-site
        - remote_store: dr-backups
        - verified_only: true
        - encrypted_only: true
        - rate_out: 20 MB
        - schedule: 'mon..fri 22:00'

    old-sync:
      pbs_sync_job.absent
"""

from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import jobs

__virtualname__ = "pbs_sync_job"


def __virtual__():
    if "pbs_sync_job.get" not in __salt__:
        return False, "the pbs_sync_job execution module is not available"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", **properties):
    """
    Ensure sync job ``name`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared. Before a job is
    created or changed, its datastore and remote are checked to exist (PBS would accept
    unknown names and fail only when the job runs), with ``test=True`` too.

    name
        Job id (3 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        Accepted for uniformity with other kinds; sync jobs have no write-only secrets.

    store
        Local datastore: the target of a pull job, the source of a push job. Required.

    remote
        Remote PBS (see ``pbs_remote``). Leave it out for a local sync between two
        datastores of this PBS; required for a push job.

    remote_store
        Datastore on the remote: the source of a pull, the target of a push (for a local
        sync, the local source datastore). Required.

    sync_direction
        ``pull`` (default) or ``push``.

    ns
        Local namespace anchor (``''`` is the root namespace, the default).

    remote_ns
        Namespace anchor on the remote (``''`` = root).

    max_depth
        Namespace levels below the anchors to include, 0 to 7 (default: all). The anchor's
        depth plus ``max_depth`` may not exceed 7.

    owner
        Owner of the synced backup groups, ``user@realm`` or ``user@realm!token`` (default
        ``root@pam``).

    schedule
        When to run, a calendar event such as ``hourly`` or ``mon..fri 22:00``; without it
        the job only runs when started (``pbs_sync_job.run``).

    remove_vanished
        Remove local snapshots that vanished from the source (default false).

    resync_corrupt
        Pull again snapshots whose verification failed (pull jobs only; default false).

    encrypted_only
        Only sync encrypted snapshots (default false).

    verified_only
        Only sync verified snapshots (default false).

    run_on_mount
        Run the job when a removable datastore involved is mounted (default false).

    unmount_on_done
        Unmount the removable datastore when the job is done (needs ``run_on_mount``).

    transfer_last
        Only transfer the last N snapshots of each backup group (at least 1).

    group_filter
        List of backup group filters, compared as a set: ``type:<vm|ct|host>``,
        ``group:<type>/<id>`` or ``regex:<regex>``, each optionally prefixed with
        ``include:`` or ``exclude:``.

    rate_in, burst_in, rate_out, burst_out
        Traffic limits as byte sizes (``10 MB``, ``512KiB``; per second for rates).

    worker_threads
        Worker threads syncing groups in parallel, 1 to 32 (default 1).

    active_encryption_key
        Encryption key (id) for new snapshots of a push job.

    associated_key
        List of further encryption key ids associated with the job (a set).

    comment
        Free-form comment, at most 128 characters.

    Requires ``Datastore.Audit`` on ``/datastore/{store}`` and ``Remote.Audit`` on
    ``/remote/{remote}`` to read; to write, for a pull job ``Datastore.Backup`` on
    ``/datastore/{store}[/{ns}]`` and ``Remote.Read`` on ``/remote/{remote}/{remote_store}``
    (plus ``Datastore.Prune`` with ``remove_vanished``, ``Datastore.Modify`` for another
    ``owner``), for a push job ``Remote.DatastoreBackup`` on
    ``/remote/{remote}/{remote_store}[/{remote_ns}]`` and ``Datastore.Read`` on
    ``/datastore/{store}[/{ns}]``.

    .. code-block:: yaml

        pull-offsite:
          pbs_sync_job.present:
            - store: local
            - remote: offsite
            - remote_store: backups
            - schedule: hourly
            - group_filter: [type:vm, type:ct]
            - owner: null          # null clears a property
    """
    return reconcile.present(
        jobs.SYNC_JOB,
        name,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


def absent(name, profile=None):
    """
    Ensure sync job ``name`` does not exist (pull or push).

    name
        Job id.

    profile
        Connection profile name or dict.

    Requires the privileges needed to write the job (see :py:func:`present`).

    .. code-block:: yaml

        old-sync:
          pbs_sync_job.absent
    """
    return reconcile.absent(
        jobs.SYNC_JOB,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )
