"""
Manage Proxmox Backup Server verify jobs (scheduled verification) declaratively.

.. code-block:: yaml

    store1-verify:
      pbs_verify_job.present:
        - store: store1
        - schedule: 'sat 03:00'
        - ignore_verified: true
        - outdated_after: 30
        - read_threads: 2
        - verify_threads: 8
        - comment: Weekly verification
        - require:
          - pbs_datastore: store1

    prod-verify:
      pbs_verify_job.present:
        - store: store1
        - ns: prod
        - max_depth: 0
        - schedule: daily

    old-verify:
      pbs_verify_job.absent
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import jobs

__virtualname__ = "pbs_verify_job"


def __virtual__():
    if "pbs_verify_job.get" not in __salt__:
        return False, "the pbs_verify_job execution module is not available"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", **properties):
    """
    Ensure verify job ``name`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared. Before a job is
    created or changed, its datastore is checked to exist (with ``test=True`` too).

    name
        Job id (3 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        Accepted for uniformity with other kinds; verify jobs have no write-only secrets.

    {{properties}}

    {{privileges:present}}

    .. code-block:: yaml

        store1-verify:
          pbs_verify_job.present:
            - store: store1
            - schedule: daily
            - outdated_after: 14
            - comment: null          # null clears a property
    """
    return reconcile.present(
        jobs.VERIFY_JOB,
        name,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


def absent(name, profile=None):
    """
    Ensure verify job ``name`` does not exist.

    name
        Job id.

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        old-verify:
          pbs_verify_job.absent
    """
    return reconcile.absent(
        jobs.VERIFY_JOB,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )


docs.render(globals(), "verify_job")
