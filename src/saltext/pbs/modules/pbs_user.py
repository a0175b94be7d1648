"""
Manage Proxmox Backup Server users (``name@realm``).

Properties: ``enable``, ``expire`` (Unix epoch, 0 = never), ``firstname``, ``lastname``,
``email``, ``comment`` and, for users of the ``pbs`` realm, ``password`` (write-only).
Users of the ``pam``, ``ldap``, ``ad`` and ``openid`` realms get their passwords from
outside PBS, so ``password`` is refused for them. See
:py:func:`saltext.pbs.states.pbs_user.present`.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds import users

__virtualname__ = "pbs_user"
__func_alias__ = {"list_": "list"}

KIND = users.USER


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(include_tokens=False, profile=None):
    """
    List the users the caller may see (with ``include_tokens``, each with its API tokens).

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_user.list include_tokens=True
    """
    params = {"include_tokens": True} if include_tokens else {}
    return objects.list_objects(_client(profile), KIND, **params)


def get(name, profile=None):
    """
    Return user ``name`` (``name@realm``), or ``None`` if it does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_user.get backup@pbs
    """
    return objects.get_object(_client(profile), KIND, name)


def create(name, profile=None, **properties):
    """
    Create user ``name`` (``name@realm``; the realm must exist). ``password`` (8-64
    characters) is accepted for ``pbs``-realm users only and never returned. Returns the
    new user.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_user.create backup@pbs email=ops@example.com comment='PVE backups'
    """
    users.check_user(name, properties)
    return objects.create_object(_client(profile), KIND, name, properties)


def update(name, profile=None, **properties):
    """
    Update user ``name``; a property set to ``None`` is cleared (``comment``,
    ``firstname``, ``lastname``, ``email``). ``password`` changes the password of a
    ``pbs``-realm user through ``PUT /access/password``, which PBS refuses to API tokens:
    it needs a profile with username/password (the profile's password is sent as
    confirmation unless it is ``root@pam``). Returns the user.

    {{privilege:update}}

    {{privilege:password}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_user.update backup@pbs enable=False comment=None
    """
    users.check_user(name, properties)
    return objects.update_object(_client(profile), KIND, name, properties)


def delete(name, profile=None):
    """
    Delete user ``name``. PBS also deletes its API tokens (and their ACL entries); the
    user's own ACL entries stay in the ACL configuration.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_user.delete backup@pbs
    """
    return objects.delete_object(_client(profile), KIND, name)


docs.render(globals(), "user")
