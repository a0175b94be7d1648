"""
Read, set, check and remove the subscription key of a Proxmox Backup Server node.

PBS checks a key with Proxmox's shop when it is set (``set``) or re-checked (``check``)
and keeps the answer: ``status`` is ``active``, ``notfound`` (no key), ``invalid``,
``expired``, ``suspended`` or ``new``, with PBS's ``message``. Setting a key also gives the
host access to the enterprise repository (PBS writes the APT credentials).

The key is a secret: it is sent, never returned. :py:func:`get` shows it as ``<hidden>``
and errors never quote it.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings. The node is the profile's ``node`` (default
``localhost``).
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils.catalog import HIDDEN
from saltext.pbs.utils.kinds import host

__virtualname__ = "pbs_subscription"
__func_alias__ = {"set_": "set"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def _path(client):
    return client.path("/nodes/{node}/subscription", node=client.node)


def _read(client):
    """The subscription info as PBS returns it (key included when the caller may see it)."""
    return client.get(_path(client)).data or {}


def _shown(info):
    """``info`` with the key hidden."""
    return {k: (HIDDEN if k == "key" and v else v) for k, v in info.items()}


def get(profile=None):
    """
    Return the subscription info: ``status`` (``notfound`` when no key is set, never
    ``None``), ``message``, ``url`` and, for callers with ``Sys.Audit`` on ``/``,
    ``serverid``, ``productname``, ``regdate``, ``nextduedate``, ``checktime`` and ``key``
    (shown as ``<hidden>``).

    Requires nothing beyond being logged in; the details need ``Sys.Audit`` on ``/``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_subscription.get
    """
    return _shown(_read(_client(profile)))


def set_(key, profile=None):
    """
    Set subscription key ``key`` (``pbs<c|b|s|p>-<10 hex digits>``); PBS checks it with
    the shop at once. Returns the new info (key hidden); a key the shop refuses is stored
    with its status (``invalid`` ...), which the return shows.

    Requires ``Sys.Modify`` on ``/system``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_subscription.set pbsc-0123456789
    """
    key = host.check_subscription_key(key)
    client = _client(profile)
    client.put(_path(client), {"key": key})
    return _shown(_read(client))


def check(force=False, profile=None):
    """
    Ask the shop again about the key that is set (PBS skips an active key checked
    recently unless ``force`` is true). Returns the info (key hidden).

    Requires ``Sys.Modify`` on ``/system``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_subscription.check force=True
    """
    client = _client(profile)
    client.post(_path(client), {"force": bool(force)} if force else {})
    return _shown(_read(client))


def delete(profile=None):
    """
    Remove the subscription key from the node (and PBS's enterprise repository
    credentials). Returns True.

    Requires ``Sys.Modify`` on ``/system``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_subscription.delete
    """
    client = _client(profile)
    client.delete(_path(client))
    return True
