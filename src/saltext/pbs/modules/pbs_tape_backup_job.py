"""
Manage the tape backup jobs of Proxmox Backup Server (``/config/tape-backup-job``).

See :py:func:`saltext.pbs.states.pbs_tape_backup_job.present` for every property.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.flows import jobs as job_flows
from saltext.pbs.utils.kinds import tape

KIND = tape.TAPE_BACKUP_JOB

__virtualname__ = "pbs_tape_backup_job"
__func_alias__ = {"list_": "list"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(profile=None):
    """
    List the tape backup jobs the caller may see.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_backup_job.list
    """
    return objects.list_objects(_client(profile), KIND)


def get(name, profile=None):
    """
    Return the configuration of tape backup job ``name``, or ``None`` if it does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_backup_job.get weekly-tape
    """
    return objects.get_object(_client(profile), KIND, name)


def create(name, profile=None, **properties):
    """
    Create tape backup job ``name``; ``store``, ``pool`` and ``drive`` are required and must
    exist (checked before the request). Returns the new configuration.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_backup_job.create weekly-tape store=store1 pool=weekly \\
            drive=lto9-1 schedule='sat 20:00' eject_media=True
    """
    return objects.create_object(_client(profile), KIND, name, properties)


def update(name, profile=None, **properties):
    """
    Update tape backup job ``name``; a property set to ``None`` is cleared. Returns the new
    configuration.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_backup_job.update weekly-tape latest_only=True schedule=None
    """
    return objects.update_object(_client(profile), KIND, name, properties)


def delete(name, profile=None):
    """
    Delete tape backup job ``name``.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_backup_job.delete weekly-tape
    """
    return objects.delete_object(_client(profile), KIND, name)


def run(name, wait=False, task_timeout=None, profile=None):
    """
    Run tape backup job ``name`` now. Returns the task's UPID, or its final status when
    ``wait`` is true (a failed task raises with the tail of its log).

    Requires ``Datastore.Read`` on ``/datastore/{store}`` and ``Tape.Write`` on
    ``/tape/drive/{drive}`` and ``/tape/pool/{pool}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_backup_job.run weekly-tape wait=True
    """
    return job_flows.run_job(_client(profile), KIND, name, wait, task_timeout)


def status(name=None, profile=None):
    """
    Return each tape backup job with its last run (``last-run-state``, ``last-run-upid``,
    ``last-run-endtime``) and next run (``next-run``, epoch seconds); with ``name``, that
    job only (``None`` when there is no such job).

    Requires any authenticated user (lists the jobs with ``Tape.Audit`` on
    ``/tape/job/{id}``).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_backup_job.status
        salt-call pbs_tape_backup_job.status weekly-tape
    """
    return job_flows.job_status(_client(profile), KIND, name)


docs.render(globals(), "tape_backup_job")
