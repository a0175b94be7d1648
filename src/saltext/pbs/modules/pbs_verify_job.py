"""
Manage Proxmox Backup Server verify jobs (scheduled verification of backup snapshots).

Properties use PBS's wire names with underscores for hyphens (``outdated_after``; hyphens
are accepted too). See :py:func:`saltext.pbs.states.pbs_verify_job.present` for every
property.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.flows import jobs as job_flows
from saltext.pbs.utils.kinds import jobs

__virtualname__ = "pbs_verify_job"
__func_alias__ = {"list_": "list"}

KIND = jobs.VERIFY_JOB


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(profile=None):
    """
    List the verify jobs the caller may see.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_verify_job.list
    """
    return objects.list_objects(_client(profile), KIND)


def get(name, profile=None):
    """
    Return the configuration of verify job ``name``, or ``None`` if it does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_verify_job.get weekly-verify
    """
    return objects.get_object(_client(profile), KIND, name)


def create(name, profile=None, **properties):
    """
    Create verify job ``name``. ``store`` is required and the datastore must exist.
    Returns the new configuration.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_verify_job.create weekly-verify store=store1 schedule='sat 03:00' \\
            outdated_after=30
    """
    return objects.create_object(_client(profile), KIND, name, properties)


def update(name, profile=None, **properties):
    """
    Update verify job ``name``; a property set to ``None`` is cleared. Returns the new
    configuration.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_verify_job.update weekly-verify ignore_verified=False schedule=None
    """
    return objects.update_object(_client(profile), KIND, name, properties)


def delete(name, profile=None):
    """
    Delete verify job ``name``.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_verify_job.delete weekly-verify
    """
    return objects.delete_object(_client(profile), KIND, name)


def run(name, wait=False, task_timeout=None, profile=None):
    """
    Run verify job ``name`` now. Returns the task's UPID, or its final status when
    ``wait`` is true (a failed task raises with the tail of its log).

    {{privilege:run}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_verify_job.run weekly-verify wait=True task_timeout=3600
    """
    return job_flows.run_job(_client(profile), KIND, name, wait, task_timeout)


def status(name=None, store=None, profile=None):
    """
    Return each verify job with its last run (``last-run-state``, ``last-run-upid``,
    ``last-run-endtime``) and next run (``next-run``, epoch seconds), optionally only those
    of datastore ``store``; with ``name``, that job only (``None`` when there is no such
    job).

    Requires the privileges of :py:func:`list_`.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_verify_job.status weekly-verify
    """
    return job_flows.job_status(_client(profile), KIND, name, store)


docs.render(globals(), "verify_job")
