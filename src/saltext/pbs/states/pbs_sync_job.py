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

from saltext.pbs.utils import docs
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

    {{properties}}

    {{privileges:present}}

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

    {{privileges:absent}}

    .. code-block:: yaml

        old-sync:
          pbs_sync_job.absent
    """
    return reconcile.absent(
        jobs.SYNC_JOB,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )


docs.render(globals(), "sync_job")
