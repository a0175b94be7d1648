"""
Manage the standard APT repositories of a Proxmox Backup Server node by handle:
``enterprise``, ``no-subscription``, ``test``.

``enabled: true`` adds the repository when it is not configured (or enables it);
``enabled: false`` disables a configured one (one not configured is left alone). Writes
carry the digest of the repository files. Packages are not installed or upgraded: use the
host's ``pkg`` states for that.

.. code-block:: yaml

    no-subscription:
      pbs_apt_repository.managed:
        - enabled: true

    enterprise:
      pbs_apt_repository.managed:
        - enabled: false
"""

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.kinds import host

__virtualname__ = "pbs_apt_repository"


def __virtual__():
    if "pbs_apt_repository.get" not in __salt__:
        return False, "the pbs_apt_repository execution module is not available"
    return __virtualname__


def managed(name, enabled=True, profile=None):
    """
    Ensure standard repository ``name`` is enabled (added if needed) or disabled.

    name
        The repository handle: ``enterprise``, ``no-subscription`` or ``test``.

    enabled
        True (default): configured and enabled; False: disabled if configured.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    Requires ``Sys.Audit`` on ``/`` to read and ``Sys.Modify`` on ``/`` to change.

    .. code-block:: yaml

        no-subscription:
          pbs_apt_repository.managed:
            - enabled: true
    """
    ret = {"name": name, "result": True, "changes": {}, "comment": ""}
    try:
        host.check_handle(name)
        if not isinstance(enabled, bool):
            raise SaltInvocationError(
                f"Invalid value for 'enabled': expected a boolean, got {enabled!r}"
            )
        current = __salt__["pbs_apt_repository.get"](name, profile=profile)
        old = None if current is None else current["enabled"]
        if (current is None and not enabled) or old == enabled:
            state = "not configured" if current is None else ("enabled" if old else "disabled")
            ret["comment"] = f"Repository {name} is {state}"
            return ret
        ret["changes"] = {"enabled": {"old": old, "new": enabled}}
        verb = "enabled" if enabled else "disabled"
        if __opts__["test"]:
            ret["result"] = None
            ret["comment"] = f"Repository {name} would be {verb}"
            return ret
        __salt__["pbs_apt_repository.set_enabled"](name, enabled=enabled, profile=profile)
    except (CommandExecutionError, SaltInvocationError) as exc:
        return {**ret, "result": False, "changes": {}, "comment": str(exc)}
    ret["comment"] = f"Repository {name} {verb}"
    return ret
