"""
Manage Proxmox Backup Server prune jobs (scheduled retention) declaratively.

PBS 4 configures retention with prune jobs, not with datastore properties.

.. code-block:: yaml

    store1-retention:
      pbs_prune_job.present:
        - store: store1
        - schedule: daily
        - keep_last: 3
        - keep_daily: 7
        - keep_weekly: 4
        - keep_monthly: 6
        - comment: Default retention
        - require:
          - pbs_datastore: store1

    lab-retention:
      pbs_prune_job.present:
        - store: store1
        - ns: lab
        - max_depth: 1
        - schedule: 'sat 04:00'
        - keep_last: 1
        - disable: true

    old-retention:
      pbs_prune_job.absent
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import jobs

__virtualname__ = "pbs_prune_job"


def __virtual__():
    if "pbs_prune_job.get" not in __salt__:
        return False, "the pbs_prune_job execution module is not available"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", **properties):
    """
    Ensure prune job ``name`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared. Before a job is
    created or changed, its datastore is checked to exist (with ``test=True`` too).

    name
        Job id (3 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        Accepted for uniformity with other kinds; prune jobs have no write-only secrets.

    {{properties}}

    {{privileges:present}}

    .. code-block:: yaml

        store1-retention:
          pbs_prune_job.present:
            - store: store1
            - schedule: daily
            - keep_daily: 14
            - keep_yearly: null      # null clears a property
    """
    return reconcile.present(
        jobs.PRUNE_JOB,
        name,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


def absent(name, profile=None):
    """
    Ensure prune job ``name`` does not exist.

    name
        Job id.

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        old-retention:
          pbs_prune_job.absent
    """
    return reconcile.absent(
        jobs.PRUNE_JOB,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )


docs.render(globals(), "prune_job")
