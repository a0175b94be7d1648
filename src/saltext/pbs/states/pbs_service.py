"""
Keep the system services of a Proxmox Backup Server node running, and restart them when a
watched state changes.

Service names are PBS's: ``proxmox-backup``, ``proxmox-backup-proxy``, ``sshd``,
``systemd-journald``, ``cron``, ``postfix``, ``chrony``.

.. code-block:: yaml

    chrony:
      pbs_service.running: []

    # restarted when the certificate state changes something (pbs_service.mod_watch); PBS
    # does a restart of proxmox-backup-proxy as a reload, so running tasks go on
    proxmox-backup-proxy:
      pbs_service.running:
        - watch:
          - pbs_dns: pbs-dns

    pbs-dns:
      pbs_dns.managed:
        - search: example.com
"""

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import reconcile

__virtualname__ = "pbs_service"


def __virtual__():
    if "pbs_service.status" not in __salt__:
        return False, "the pbs_service execution module is not available"
    return __virtualname__


def _ret(name):
    return {"name": name, "result": True, "changes": {}, "comment": ""}


def running(name, profile=None, reload=False, task_timeout=None):
    """
    Ensure service ``name`` is running; start it when it is not.

    name
        The PBS service name (``proxmox-backup-proxy``, ``chrony`` ...).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    reload
        When a watched state changes, reload instead of restart (default False).

    task_timeout
        Seconds to wait for the PBS task the state starts (default 1800); the task goes on
        on PBS when the wait ends, and the state fails saying so.

    Requires ``Sys.Audit`` on ``/system/services/<name>`` to read and ``Sys.Modify`` on
    ``/system/services/<name>`` to start.

    .. code-block:: yaml

        chrony:
          pbs_service.running: []
    """
    ret = _ret(name)
    try:
        task_timeout = reconcile.task_limit(task_timeout)
        current = __salt__["pbs_service.status"](name, profile=profile)
        if current["up"]:
            ret["comment"] = f"Service {name} is running"
            return ret
        ret["changes"] = {"state": {"old": current.get("state"), "new": "running"}}
        if __opts__["test"]:
            ret["result"] = None
            ret["comment"] = f"Service {name} would be started"
            return ret
        __salt__["pbs_service.start"](name, timeout=task_timeout, profile=profile)
        after = __salt__["pbs_service.status"](name, profile=profile)
    except (CommandExecutionError, SaltInvocationError) as exc:
        ret["result"] = False
        ret["comment"] = str(exc)
        ret["changes"] = {}
        return ret
    if not after["up"]:
        ret["result"] = False
        ret["comment"] = f"Service {name} was started but is {after.get('state')}"
        ret["changes"]["state"]["new"] = after.get("state")
        return ret
    ret["comment"] = f"Service {name} started"
    return ret


def mod_watch(name, profile=None, sfun=None, reload=False, task_timeout=None, **kwargs):  # pylint: disable=unused-argument
    """
    Restart (or, with ``reload: True``, reload) service ``name`` because a watched state
    changed something. Salt calls this for ``watch`` requisites of
    ``pbs_service.running``; it is not used directly.

    Requires ``Sys.Modify`` on ``/system/services/<name>``.

    .. code-block:: yaml

        proxmox-backup-proxy:
          pbs_service.running:
            - reload: true
            - watch:
              - pbs_dns: pbs-dns   # any state; pbs_service.mod_watch reloads on its changes
    """
    ret = _ret(name)
    verb = "reload" if reload else "restart"
    if __opts__["test"]:
        ret["result"] = None
        ret["changes"] = {verb: True}
        ret["comment"] = f"Service {name} would be {verb}ed"
        return ret
    try:
        __salt__[f"pbs_service.{verb}"](name, timeout=task_timeout, profile=profile)
    except (CommandExecutionError, SaltInvocationError) as exc:
        ret["result"] = False
        ret["comment"] = str(exc)
        return ret
    ret["changes"] = {verb: True}
    ret["comment"] = f"Service {name} {verb}ed"
    return ret
