"""
Manage Proxmox Backup Server authentication realms: LDAP (``ldap``), Active Directory
(``ad``) and OpenID Connect (``openid``), chosen by ``type``, and run realm syncs.

Properties use PBS's wire names with underscores for hyphens (``base_dn``, ``bind_dn``,
``issuer_url``); see :py:func:`saltext.pbs.states.pbs_realm.present` for every property.
The LDAP/AD bind ``password`` is write-only. PBS tests the directory connection when an
LDAP or AD realm is created or updated.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.flows import realms as realm_flows
from saltext.pbs.utils.kinds import realms

__virtualname__ = "pbs_realm"
__func_alias__ = {"list_": "list"}

KIND = realms.REALM


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(type=None, profile=None):  # pylint: disable=redefined-builtin
    """
    List the realms (``realm``, ``type``, ``comment``, ``default``), the built-in ``pam``
    and ``pbs`` included; only those of ``type`` when given.

    Requires no privilege (PBS answers ``/access/domains`` to anyone).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_realm.list
        salt-call pbs_realm.list type=ldap
    """
    found = _client(profile).get("/access/domains").data or []
    return [r for r in found if type is None or r.get("type") == type]


def get(name, type=None, profile=None):  # pylint: disable=redefined-builtin
    """
    Return realm ``name`` of ``type`` (``ldap``, ``ad``, ``openid``; without bind
    password), or ``None`` if it does not exist. Without ``type`` the realm is looked up
    among all three types and returned with its ``type``.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_realm.get corp type=ldap
        salt-call pbs_realm.get corp
    """
    kind = KIND if type is None else KIND.variant(type)
    return objects.get_object(_client(profile), kind, name)


def create(name, type, profile=None, **properties):  # pylint: disable=redefined-builtin
    """
    Create realm ``name`` of ``type``. ``ldap`` needs ``server1``, ``base_dn`` and
    ``user_attr``; ``ad`` needs ``server1``; ``openid`` needs ``issuer_url`` and
    ``client_id``. Returns the new realm.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_realm.create corp type=ldap server1=ldap.example.com \\
            base_dn=ou=people,dc=example,dc=com user_attr=uid
    """
    return objects.create_object(_client(profile), KIND.variant(type), name, properties)


def update(name, type, profile=None, **properties):  # pylint: disable=redefined-builtin
    """
    Update realm ``name`` of ``type``; a property set to ``None`` is cleared. PBS drops
    ``default`` on any update not repeating it, so it is repeated when set. Returns the
    realm.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_realm.update corp type=ldap server2=ldap2.example.com
    """
    return objects.update_object(_client(profile), KIND.variant(type), name, properties)


def delete(name, type, profile=None):  # pylint: disable=redefined-builtin
    """
    Delete realm ``name`` of ``type``. Its users stay (they can no longer log in).

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_realm.delete corp type=ldap
    """
    return objects.delete_object(_client(profile), KIND.variant(type), name)


def sync(
    name,
    dry_run=False,
    remove_vanished=None,
    enable_new=None,
    wait=True,
    task_timeout=None,
    profile=None,
):
    """
    Sync the users of LDAP/AD realm ``name`` from the directory as a PBS task.
    ``remove_vanished`` (a list of ``acl``, ``entry``, ``properties``) and ``enable_new``
    override the realm's sync defaults; ``dry_run`` only logs what would change. Returns
    the task's final status (a failed task raises with its log tail), or its UPID when
    ``wait`` is false.

    {{privilege:sync}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_realm.sync corp remove_vanished='[acl, entry]' dry_run=True
    """
    return realm_flows.sync_realm(
        _client(profile), name, dry_run, remove_vanished, enable_new, wait, task_timeout
    )


docs.render(globals(), "realm")
