"""
Manage Proxmox Backup Server prune jobs (scheduled retention per datastore or namespace).

Properties use PBS's wire names with underscores for hyphens (``keep_daily``; hyphens are
accepted too). See :py:func:`saltext.pbs.states.pbs_prune_job.present` for every property.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.flows import jobs as job_flows
from saltext.pbs.utils.kinds import jobs

__virtualname__ = "pbs_prune_job"
__func_alias__ = {"list_": "list"}

KIND = jobs.PRUNE_JOB


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(profile=None):
    """
    List the prune jobs the caller may see.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_prune_job.list
    """
    return objects.list_objects(_client(profile), KIND)


def get(name, profile=None):
    """
    Return the configuration of prune job ``name``, or ``None`` if it does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_prune_job.get daily-prune
    """
    return objects.get_object(_client(profile), KIND, name)


def create(name, profile=None, **properties):
    """
    Create prune job ``name``. ``store`` and ``schedule`` are required and the datastore
    must exist. Returns the new configuration.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_prune_job.create daily-prune store=store1 schedule=daily \\
            keep_last=3 keep_daily=7 keep_weekly=4
    """
    return objects.create_object(_client(profile), KIND, name, properties)


def update(name, profile=None, **properties):
    """
    Update prune job ``name``; a property set to ``None`` is cleared. Returns the new
    configuration.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_prune_job.update daily-prune keep_monthly=6 keep_yearly=None
    """
    return objects.update_object(_client(profile), KIND, name, properties)


def delete(name, profile=None):
    """
    Delete prune job ``name``.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_prune_job.delete daily-prune
    """
    return objects.delete_object(_client(profile), KIND, name)


def run(name, wait=False, task_timeout=None, profile=None):
    """
    Run prune job ``name`` now. Returns the task's UPID, or its final status when ``wait``
    is true (a failed task raises with the tail of its log).

    {{privilege:run}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_prune_job.run daily-prune wait=True
    """
    return job_flows.run_job(_client(profile), KIND, name, wait, task_timeout)


def status(name=None, store=None, profile=None):
    """
    Return each prune job with its last run (``last-run-state``, ``last-run-upid``,
    ``last-run-endtime``) and next run (``next-run``, epoch seconds), optionally only those
    of datastore ``store``; with ``name``, that job only (``None`` when there is no such
    job).

    Requires the privileges of :py:func:`list_`.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_prune_job.status store=store1
    """
    return job_flows.job_status(_client(profile), KIND, name, store)


docs.render(globals(), "prune_job")
