"""
Read and control the system services of a Proxmox Backup Server node.

PBS manages seven services by these names: ``proxmox-backup`` (the API server),
``proxmox-backup-proxy`` (the web and API proxy on port 8007), ``sshd``,
``systemd-journald``, ``cron``, ``postfix`` and ``chrony``. Other names are refused before
any request.

``start``, ``stop``, ``restart`` and ``reload`` run as PBS tasks (``srvstart`` ...). They
wait for the task by default, logging its log at info level, and raise with the task log's
tail when it fails; with ``wait=False`` they return the task's UPID. PBS's own rules apply:
``proxmox-backup`` cannot be stopped, ``reload`` is systemd's ``try-reload-or-restart`` and
``restart`` of ``proxmox-backup-proxy`` is done as a reload, so running tasks are not
aborted.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings. The node is the profile's ``node`` (default
``localhost``).
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils.kinds import host

__virtualname__ = "pbs_service"
__func_alias__ = {"list_": "list"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def _path(client, name, suffix=""):
    return client.path("/nodes/{node}/services/{service}", node=client.node, service=name) + suffix


def list_(profile=None):
    """
    List the services PBS manages: dicts with ``service`` (PBS's name), ``name`` (the
    systemd unit), ``desc``, ``state`` (systemd's SubState: ``running``, ``dead``; a
    oneshot unit shows ``exited`` or its result) and ``unit-state`` (``enabled``,
    ``static``, ``not-found`` ...).

    Requires ``Sys.Audit`` on ``/system/services``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_service.list
    """
    client = _client(profile)
    return client.get(client.path("/nodes/{node}/services", node=client.node)).data or []


def status(name, profile=None):
    """
    Return the state of service ``name`` (the fields of :py:func:`list_`) plus ``up``:
    True when it is running (or, for a oneshot unit, has exited successfully).

    Requires ``Sys.Audit`` on ``/system/services/<name>``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_service.status proxmox-backup-proxy
    """
    host.check_service(name)
    client = _client(profile)
    state = client.get(_path(client, name, "/state")).data or {}
    return {**state, "up": state.get("state") in host.SERVICE_UP_STATES}


def _command(name, cmd, wait, timeout, profile):
    host.check_service(name)
    client = _client(profile)
    return client.start_task("POST", _path(client, name, f"/{cmd}"), None, wait, timeout)


def start(name, wait=True, timeout=None, profile=None):
    """
    Start service ``name`` (a PBS task). Returns the task's final status (with ``upid``),
    or the UPID when ``wait=False``. A failed start raises with the task log's tail.

    Requires ``Sys.Modify`` on ``/system/services/<name>``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_service.start chrony
    """
    return _command(name, "start", wait, timeout, profile)


def stop(name, wait=True, timeout=None, profile=None):
    """
    Stop service ``name`` (a PBS task). PBS refuses to stop ``proxmox-backup`` (the task
    fails with ``cannot stop essential service!``). Stopping ``proxmox-backup-proxy`` cuts
    off every API client that connects through port 8007, this minion included.

    Requires ``Sys.Modify`` on ``/system/services/<name>``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_service.stop postfix
    """
    return _command(name, "stop", wait, timeout, profile)


def restart(name, wait=True, timeout=None, profile=None):
    """
    Restart service ``name`` (a PBS task; ``proxmox-backup-proxy`` is reloaded instead, so
    running tasks survive).

    Requires ``Sys.Modify`` on ``/system/services/<name>``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_service.restart proxmox-backup-proxy
    """
    return _command(name, "restart", wait, timeout, profile)


def reload(name, wait=True, timeout=None, profile=None):
    """
    Reload service ``name`` (a PBS task running systemd's ``try-reload-or-restart``:
    services without a reload are restarted).

    Requires ``Sys.Modify`` on ``/system/services/<name>``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_service.reload sshd
    """
    return _command(name, "reload", wait, timeout, profile)
