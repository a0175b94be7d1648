"""
Query and change Proxmox Backup Server ACL entries, roles and effective permissions.

An ACL entry grants one built-in ``role`` to one ``auth_id`` (a user ``name@realm`` or an
API token ``name@realm!token``) on one path (``/``, ``/datastore/{store}[/{ns}...]``,
``/remote/...``, ``/system/...``, ``/access/...``, ``/tape/...``), by default also below it
(``propagate``). PBS 4 does not support group ACLs. An API token's privileges are the
intersection of its own entries and its user's privileges: :py:func:`permissions` shows
both.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils.flows import acl
from saltext.pbs.utils.flows import permissions as pbs_permissions

__virtualname__ = "pbs_acl"
__func_alias__ = {"list_": "list"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(path=None, auth_id=None, exact=True, profile=None):
    """
    List ACL entries (``path``, ``ugid``, ``ugid_type``, ``roleid``, ``propagate``): all of
    them, or those on ``path`` (only that path with ``exact`` true, the default; also below
    it with ``exact=False``), optionally only those of ``auth_id``.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acl.list
        salt-call pbs_acl.list path=/datastore/store1
    """
    return acl.list_acl(_client(profile), path, exact, auth_id)


def create(path, auth_id, role, propagate=True, profile=None, group=None):
    """
    Grant ``role`` to ``auth_id`` on ``path`` (re-granting changes ``propagate``).
    ``NoAccess`` replaces the auth id's other roles on that path. ``group`` is refused:
    PBS 4 rejects group ACLs.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acl.create /datastore/store1/pve 'backup@pbs!pve1' DatastoreBackup
    """
    return acl.create_acl(_client(profile), path, auth_id, role, propagate, group)


def delete(path, auth_id, role, profile=None, group=None):
    """
    Remove the ACL entry granting ``role`` to ``auth_id`` on ``path`` (nothing happens when
    there is none).

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acl.delete /datastore/store1 backup@pbs DatastoreBackup
    """
    return acl.delete_acl(_client(profile), path, auth_id, role, group)


def roles(profile=None):
    """
    List PBS's built-in roles, each with ``roleid``, ``privs`` and ``comment``.

    Requires any authenticated user.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acl.roles
    """
    return _client(profile).get("/access/roles").data


def permissions(auth_id=None, path=None, profile=None):
    """
    Show the effective privileges of ``auth_id`` (default: the profile's own identity), on
    ``path`` or on every path PBS reports. ``effective`` is PBS's answer
    (``{path: {privilege: propagates}}``). For an API token the result also has
    ``user_privileges`` (its user's), ``token_acl_privileges`` (what the token's own ACL
    entries grant) and ``lacking_in_user`` (privileges the token's entries grant but its
    user lacks, which PBS therefore withholds).

    Requires nothing for oneself and one's own tokens; ``Sys.Audit`` on ``/access`` for
    other auth ids (and ``Sys.Audit`` on ``/access/acl`` to read a token's ACL entries).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acl.permissions 'backup@pbs!pve1' path=/datastore/store1/pve
    """
    return pbs_permissions.permissions(_client(profile), auth_id, path)


docs.render(globals(), "acl")
