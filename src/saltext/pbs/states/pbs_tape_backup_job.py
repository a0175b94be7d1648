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

from saltext.pbs.utils import docs
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

    {{properties}}

    {{privileges:present}}

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

    {{privileges:absent}}

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


docs.render(globals(), "tape_backup_job")
