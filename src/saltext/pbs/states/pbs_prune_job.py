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

    store
        Datastore to prune. Required.

    schedule
        When to prune, a calendar event such as ``daily``. Required; it cannot be cleared.

    ns
        Namespace anchor (``''`` is the root namespace, the default).

    max_depth
        Namespace levels below ``ns`` to include, 0 to 7 (default: all); the depth of
        ``ns`` plus ``max_depth`` may not exceed 7.

    keep_last, keep_hourly, keep_daily, keep_weekly, keep_monthly, keep_yearly
        How many snapshots to keep: the last N, and the last one of each of the last N
        hours, days, weeks, months and years (each at least 1). A job without any keep
        option prunes nothing (PBS only warns).

    disable
        Keep the job configured but do not run it on schedule (default false).

    comment
        Free-form comment, at most 128 characters (stored verbatim by PBS).

    Requires ``Datastore.Audit`` (or ``Datastore.Modify``) on ``/datastore/{store}`` to
    read and ``Datastore.Modify`` on ``/datastore/{store}[/{ns}]`` to write.

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

    Requires ``Datastore.Modify`` on ``/datastore/{store}[/{ns}]``.

    .. code-block:: yaml

        old-retention:
          pbs_prune_job.absent
    """
    return reconcile.absent(
        jobs.PRUNE_JOB,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )
