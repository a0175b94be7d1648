"""
Manage the ACME accounts of Proxmox Backup Server (``/config/acme/account``): the accounts
at a certificate authority (Let's Encrypt by default) that order the node's certificate.

Registering, updating and deactivating talk to the CA in a PBS task; these functions wait
for it. Accounts are shown flattened: ``contact`` (addresses), ``directory``, ``tos_url``,
``location`` and ``status``. See :py:func:`saltext.pbs.states.pbs_acme_account.present`
for every property.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds import acme

__virtualname__ = "pbs_acme_account"
__func_alias__ = {"list_": "list"}

KIND = acme.ACCOUNT


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(profile=None):
    """
    List the names of the ACME accounts.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acme_account.list
    """
    return [entry["name"] for entry in objects.list_objects(_client(profile), KIND)]


def get(name="default", profile=None):
    """
    Return ACME account ``name`` (``contact``, ``directory``, ``tos_url``, ``location``,
    ``status``), or ``None`` if it does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acme_account.get default
    """
    return objects.get_object(_client(profile), KIND, name)


def register(name="default", profile=None, **properties):
    """
    Register ACME account ``name`` at the CA and wait for the registration task.
    ``contact`` is required; ``directory`` defaults to Let's Encrypt; ``tos_url`` (see
    :py:func:`tos`) agrees to the CA's terms of service; ``eab_kid`` with ``eab_hmac_key``
    for CAs that require an external account binding. Returns the new account.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acme_account.register default contact=admin@example.com \\
            tos_url="$(salt-call --out=newline_values_only pbs_acme_account.tos)"
    """
    return objects.create_object(_client(profile), KIND, name, properties)


def update(name="default", contact=None, profile=None):
    """
    Change the contact addresses of ACME account ``name`` (PBS tells the CA in a task,
    which is waited for). Returns the account.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acme_account.update default contact=ops@example.com,admin@example.com
    """
    return objects.update_object(_client(profile), KIND, name, {"contact": contact})


def deactivate(name="default", force=False, profile=None):
    """
    Deactivate ACME account ``name`` at the CA and remove it from PBS (waits for the task).
    With ``force``, the account is removed even when the CA refuses to deactivate it.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acme_account.deactivate old-account
    """
    return objects.delete_object(_client(profile), KIND, name, force=force)


def directories(profile=None):
    """
    List the ACME directories PBS knows (``name`` and ``url``: Let's Encrypt and its
    staging environment).

    Requires any authenticated user.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acme_account.directories
    """
    return _client(profile).get("/config/acme/directories").data


def tos(directory=None, profile=None):
    """
    Return the URL of the terms of service of ACME ``directory`` (default Let's Encrypt),
    or ``None`` when the CA has none. Giving it as ``tos_url`` means agreeing to them.

    Requires any authenticated user.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acme_account.tos \\
            directory=https://acme-staging-v02.api.letsencrypt.org/directory
    """
    params = {"directory": KIND.prop("directory").coerce(directory)} if directory else None
    return _client(profile).get("/config/acme/tos", params=params).data


docs.render(globals(), "acme_account")
