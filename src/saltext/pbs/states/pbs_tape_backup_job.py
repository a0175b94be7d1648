"""
Manage Proxmox Backup Server tape backup jobs declaratively.

.. code-block:: yaml

    weekly-tape:
      pbs_tape_backup_job.present:
        - store: store1
        - pool: weekly
        - drive: lto9-1
        - schedule: sat 20:00
        - eject_media: true
        - export_media_set: false
        - latest_only: true
        - notification_mode: notification-system
        - notify_user: root@pam
        - group_filter:
          - type:vm
          - exclude:group:vm/999
        - ns: prod
        - max_depth: 2
        - worker_threads: 2
        - comment: Weekly tape copy
        - require:
          - pbs_media_pool: weekly
          - pbs_tape_drive: lto9-1

    old-tape-job:
      pbs_tape_backup_job.absent: []
"""

from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import tape

KIND = tape.TAPE_BACKUP_JOB

__virtualname__ = "pbs_tape_backup_job"


def __virtual__():
    if "pbs_tape_backup_job.get" not in __salt__:
        return False, "the pbs_tape_backup_job execution module is not available"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", **properties):
    """
    Ensure tape backup job ``name`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared.

    name
        Job id (3 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        Accepted like on every ``present`` state; this kind has no write-only property.

    store
        Datastore to back up (a filesystem datastore). Required to create.

    pool
        Media pool to write to. Required to create.

    drive
        Tape drive to use. Required to create.

    schedule
        When to run the tape backup (calendar event, e.g. ``daily`` or ``mon..fri 02:00``).

    eject_media
        Eject the media when the job is done.

    export_media_set
        Export the media set when the job is done.

    latest_only
        Back up only the latest snapshot of each group.

    notify_user
        User receiving legacy mail notifications (``name@realm``).

    notification_mode
        ``legacy-sendmail`` (mail to ``notify_user``) or ``notification-system``.

    group_filter
        Backup groups to include, a list compared as a set: ``type:vm``, ``group:vm/100``,
        ``regex:^ct/1..$``, each optionally prefixed with ``include:`` or ``exclude:``.

    ns
        Namespace anchor (``a/b``; ``''`` is the root namespace).

    max_depth
        Namespace levels below the anchor to include (0-7; none = all).

    worker_threads
        Threads reading chunks (1-32, default 1).

    comment
        Free-form comment (at most 128 characters).

    Requires ``Tape.Audit`` on ``/tape/job/{id}`` to read, ``Tape.Modify`` on ``/tape/job``
    to create and ``Tape.Modify`` on ``/tape/job/{id}`` to update.

    .. code-block:: yaml

        weekly-tape:
          pbs_tape_backup_job.present:
            - store: store1
            - pool: weekly
            - drive: lto9-1
            - schedule: sat 20:00
    """
    return reconcile.present(
        KIND,
        name,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


def absent(name, profile=None):
    """
    Ensure tape backup job ``name`` does not exist.

    name
        Job id (3 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name or dict.

    Requires ``Tape.Modify`` on ``/tape/job/{id}``.

    .. code-block:: yaml

        old-weekly-tape:
          pbs_tape_backup_job.absent:
            - name: weekly-tape
    """
    return reconcile.absent(
        KIND,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )
