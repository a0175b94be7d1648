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

    store
        Datastore to verify. Required.

    schedule
        When to verify, a calendar event such as ``daily`` or ``sat 03:00``; without it
        the job only runs when started (``pbs_verify_job.run``).

    ns
        Namespace anchor (``''`` is the root namespace, the default).

    max_depth
        Namespace levels below ``ns`` to include, 0 to 7 (default 7); the depth of ``ns``
        plus ``max_depth`` may not exceed 7.

    ignore_verified
        Skip snapshots that are already verified, unless the verification is outdated
        (default true).

    outdated_after
        Days after which a verification is outdated and done again (0 or more).

    read_threads
        Threads reading chunks, 1 to 32 (default 1).

    verify_threads
        Threads verifying chunks, 1 to 32 (default 4).

    comment
        Free-form comment, at most 128 characters.

    Requires ``Datastore.Audit`` (or ``Datastore.Verify``) on ``/datastore/{store}`` to
    read and ``Datastore.Verify`` on ``/datastore/{store}[/{ns}]`` to write.

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

    Requires ``Datastore.Verify`` on ``/datastore/{store}[/{ns}]``.

    .. code-block:: yaml

        old-verify:
          pbs_verify_job.absent
    """
    return reconcile.absent(
        jobs.VERIFY_JOB,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )
