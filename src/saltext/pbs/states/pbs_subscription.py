"""
Manage the subscription key of a Proxmox Backup Server node.

The key is write-only: state output shows it as ``<hidden>``. When PBS shows the key that
is set (to callers with ``Sys.Audit`` on ``/``) it is compared with the one given;
otherwise ``update_secret`` decides, by a salted hash of the last key applied kept in the
minion cache. A key the shop does not report ``active`` fails the state with PBS's status
and message.

.. code-block:: sls

    pbs-subscription:
      pbs_subscription.present:
        - key: {{ pillar['pbs_secrets']['subscription_key'] | yaml_encode }}

    # a host on the no-subscription repository has none: pbs_subscription.absent
"""

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import secrets
from saltext.pbs.utils.catalog import HIDDEN
from saltext.pbs.utils.kinds import host

__virtualname__ = "pbs_subscription"

_KIND = "subscription"


def __virtual__():
    if "pbs_subscription.get" not in __salt__:
        return False, "the pbs_subscription execution module is not available"
    return __virtualname__


def _client(profile):
    return pbs_client.client_from_loader(__opts__, __context__, __salt__, profile)


def _path(client):
    return client.path("/nodes/{node}/subscription", node=client.node)


def _ret(name):
    return {"name": name, "result": True, "changes": {}, "comment": ""}


def _wants_key(info, key, client, policy):
    """Whether ``key`` must be sent: PBS's key when it shows it, else the policy."""
    if info.get("status") == "notfound":
        return True
    if "key" in info:
        return info["key"] != key or policy == "always"
    return secrets.needs_update(__opts__, client.url, _KIND, client.node, "key", key, policy)


def present(name, key=None, profile=None, update_secret="on_change"):
    """
    Ensure the node has subscription key ``key`` and the shop reports it ``active``.

    name
        Any state id; a node has one subscription.

    key
        The subscription key (``pbs<c|b|s|p>-<10 hex digits>``), from pillar or sdb. Never
        shown.

    update_secret
        ``on_change`` (default): send the key when PBS shows a different one or, when it
        does not show it, when it differs from the last key applied; ``always``;
        ``on_create``: only when no key is set.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    Requires ``Sys.Modify`` on ``/system`` to set the key, and ``Sys.Audit`` on ``/`` to
    compare it with the key PBS has.

    .. code-block:: sls

        pbs-subscription:
          pbs_subscription.present:
            - key: {{ pillar['pbs_secrets']['subscription_key'] | yaml_encode }}
    """
    ret = _ret(name)
    try:
        if key is None:
            raise SaltInvocationError("Invalid value for 'key': a subscription key is required")
        key = host.check_subscription_key(key)
        secrets.check_policy(update_secret)
        client = _client(profile)
        info = client.get_object(_path(client))
        send = _wants_key(info, key, client, update_secret)
        if not send:
            if "key" in info:
                secrets.remember(__opts__, client.url, _KIND, client.node, "key", key)
            return _status(ret, info, changed=False)
        old = None if info.get("status") == "notfound" else HIDDEN
        ret["changes"] = {"key": {"old": old, "new": HIDDEN}}
        if __opts__["test"]:
            ret["result"] = None
            ret["comment"] = "The subscription key would be set"
            return ret
        client.put(_path(client), {"key": key})
        secrets.remember(__opts__, client.url, _KIND, client.node, "key", key)
        after = client.get_object(_path(client))
    except (CommandExecutionError, SaltInvocationError) as exc:
        return {**ret, "result": False, "changes": {}, "comment": str(exc)}
    if after.get("status") != info.get("status"):
        ret["changes"]["status"] = {"old": info.get("status"), "new": after.get("status")}
    return _status(ret, after, changed=True)


def _status(ret, info, changed):
    status = info.get("status")
    done = "The subscription key was set" if changed else "The subscription key is set"
    if status == "active":
        ret["comment"] = f"{done}; the subscription is active"
        return ret
    message = f": {info['message']}" if info.get("message") else ""
    ret["result"] = False
    ret["comment"] = f"{done}, but the shop reports it {status}{message}"
    return ret


def absent(name, profile=None):
    """
    Ensure the node has no subscription key (PBS also removes its enterprise repository
    credentials).

    name
        Any state id.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    Requires ``Sys.Modify`` on ``/system``.

    .. code-block:: yaml

        no-pbs-subscription:
          pbs_subscription.absent: []
    """
    ret = _ret(name)
    try:
        client = _client(profile)
        info = client.get_object(_path(client))
        if info.get("status") == "notfound":
            ret["comment"] = "No subscription key is set"
            return ret
        ret["changes"] = {"key": {"old": HIDDEN, "new": None}}
        if __opts__["test"]:
            ret["result"] = None
            ret["comment"] = "The subscription key would be removed"
            return ret
        client.delete(_path(client))
        secrets.forget(__opts__, client.url, _KIND, client.node, "key")
    except (CommandExecutionError, SaltInvocationError) as exc:
        return {**ret, "result": False, "changes": {}, "comment": str(exc)}
    ret["comment"] = "The subscription key was removed"
    return ret
