"""
Manage Proxmox Backup Server ACL entries declaratively.

``present``/``absent`` manage one entry (path, auth id, role); ``managed`` makes the entries
on one path exactly the listed ones. The state's name is the ACL path.

.. code-block:: yaml

    backup-token-acl:
      pbs_acl.present:
        - name: /datastore/store1/pve
        - auth_id: backup@pbs!pve1
        - role: DatastoreBackup
        - propagate: true

    store1-acl:
      pbs_acl.managed:
        - name: /datastore/store1
        - entries:
          - auth_id: backup@pbs
            role: DatastoreBackup
          - auth_id: auditor@pbs
            role: DatastoreAudit
            propagate: false

    old-acl:
      pbs_acl.absent:
        - name: /datastore/store1
        - auth_id: old@pbs
        - role: DatastoreAdmin
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.flows import acl

__virtualname__ = "pbs_acl"


def __virtual__():
    if "pbs_acl.list" not in __salt__:
        return False, "the pbs_acl execution module is not available"
    return __virtualname__


def _engine(profile):
    return reconcile.engine_args(__opts__, __context__, __salt__, profile)


def present(
    name,
    auth_id=None,
    role=None,
    propagate=None,
    group=None,
    profile=None,
    update_secret="on_change",  # pylint: disable=unused-argument
):
    """
    Ensure ``role`` is granted to ``auth_id`` on ACL path ``name``.

    name
        ACL path: ``/``, ``/datastore``, ``/datastore/{store}``,
        ``/datastore/{store}/{ns}...``, ``/remote[/...]``, ``/system/...``, ``/access/...``
        or ``/tape/...``.

    auth_id
        User (``name@realm``) or API token (``name@realm!token``); it must exist.

    role
        A built-in PBS role: ``Admin``, ``Audit``, ``NoAccess``, ``DatastoreAdmin``,
        ``DatastoreReader``, ``DatastoreBackup``, ``DatastorePowerUser``,
        ``DatastoreAudit``, ``RemoteAudit``, ``RemoteAdmin``, ``RemoteSyncOperator``,
        ``RemoteSyncPushOperator``, ``RemoteDatastorePowerUser``, ``RemoteDatastoreAdmin``,
        ``TapeAudit``, ``TapeAdmin``, ``TapeOperator``, ``TapeReader``.

    {{properties}}

    group
        Refused: PBS 4 rejects group ACLs.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        Accepted for uniformity with other kinds; ACL entries have no secrets.

    {{privileges:present}}

    .. code-block:: yaml

        backup-token-acl:
          pbs_acl.present:
            - name: /datastore/store1/pve
            - auth_id: backup@pbs!pve1
            - role: DatastoreBackup
    """
    return acl.acl_present(name, auth_id, role, propagate, group, **_engine(profile))


def absent(name, auth_id=None, role=None, group=None, profile=None):
    """
    Ensure ``role`` is not granted to ``auth_id`` on ACL path ``name`` (entries inherited
    from a parent path are not affected).

    name
        ACL path.

    auth_id
        User or API token.

    role
        Built-in PBS role.

    group
        Refused: PBS 4 rejects group ACLs.

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        old-acl:
          pbs_acl.absent:
            - name: /datastore/store1
            - auth_id: old@pbs
            - role: DatastoreAdmin
    """
    return acl.acl_absent(name, auth_id, role, group, **_engine(profile))


def managed(name, entries=None, profile=None):
    """
    Make the ACL entries on path ``name`` itself (not those below it) exactly ``entries``:
    missing ones are added, ``propagate`` flags corrected, others removed. An empty list
    removes every entry on the path. Entries the profile cannot see (callers without
    ``Sys.Audit`` on ``/access/acl`` see only their own tokens' entries) are left alone.

    name
        ACL path.

    entries
        List of mappings with ``auth_id``, ``role`` and optionally ``propagate`` (default:
        not managed, PBS's default true for new entries).

    profile
        Connection profile name or dict.

    {{privileges:present}}

    .. code-block:: yaml

        store1-acl:
          pbs_acl.managed:
            - name: /datastore/store1
            - entries:
              - auth_id: backup@pbs
                role: DatastoreBackup
              - auth_id: backup@pbs!pve1
                role: DatastoreBackup
    """
    return acl.acl_managed(name, entries if entries is not None else [], **_engine(profile))


docs.render(globals(), "acl")
