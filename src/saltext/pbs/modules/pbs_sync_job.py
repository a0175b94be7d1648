"""
Manage Proxmox Backup Server sync jobs (pull and push).

Properties use PBS's wire names with underscores for hyphens (``remote_store``; hyphens are
accepted too). See :py:func:`saltext.pbs.states.pbs_sync_job.present` for every property.
Push jobs are always included: PBS lists only pull jobs unless asked for both, and this
module always asks.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.flows import jobs as job_flows
from saltext.pbs.utils.kinds import jobs

__virtualname__ = "pbs_sync_job"
__func_alias__ = {"list_": "list"}

KIND = jobs.SYNC_JOB


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(profile=None):
    """
    List the sync jobs (pull and push) the caller may see.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_sync_job.list
    """
    return objects.list_objects(_client(profile), KIND)


def get(name, profile=None):
    """
    Return the configuration of sync job ``name``, or ``None`` if it does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_sync_job.get pull-offsite
    """
    return objects.get_object(_client(profile), KIND, name)


def create(name, profile=None, **properties):
    """
    Create sync job ``name``. ``store`` and ``remote_store`` are required (and ``remote``
    for a push job); the datastore and the remote must exist. Returns the new
    configuration.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_sync_job.create pull-offsite store=local remote=offsite \\
            remote_store=backups schedule=hourly group_filter='["type:vm"]'
    """
    return objects.create_object(_client(profile), KIND, name, properties)


def update(name, profile=None, **properties):
    """
    Update sync job ``name``; a property set to ``None`` is cleared. Returns the new
    configuration.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_sync_job.update pull-offsite rate_in=50MB comment=None
    """
    return objects.update_object(_client(profile), KIND, name, properties)


def delete(name, profile=None):
    """
    Delete sync job ``name``.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_sync_job.delete pull-offsite
    """
    return objects.delete_object(_client(profile), KIND, name)


def run(name, wait=False, task_timeout=None, profile=None):
    """
    Run sync job ``name`` now. Returns the task's UPID, or its final status when ``wait``
    is true (a failed task raises with the tail of its log).

    {{privilege:run}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_sync_job.run pull-offsite wait=True
    """
    return job_flows.run_job(_client(profile), KIND, name, wait, task_timeout)


def status(name=None, store=None, profile=None):
    """
    Return each sync job (pull and push) with its last run (``last-run-state``,
    ``last-run-upid``, ``last-run-endtime``) and next run (``next-run``, epoch seconds),
    optionally only those of datastore ``store``; with ``name``, that job only (``None``
    when there is no such job).

    Requires the privileges of :py:func:`list_`.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_sync_job.status
        salt-call pbs_sync_job.status pull-offsite
    """
    return job_flows.job_status(_client(profile), KIND, name, store)


docs.render(globals(), "sync_job")
