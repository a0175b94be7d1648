"""
Manage what Proxmox Backup Server keeps on a backup group: its owner and its notes.

Groups are made by backups, never by a state: a group that does not exist yet is reported
(``result: None``) in test mode and is a failure otherwise. Nothing is deleted.

.. code-block:: yaml

    vm/100:
      pbs_backup_group.managed:
        - store: store1
        - owner: backup@pbs
        - notes: |
            database server (owner: team db)
"""

from saltext.pbs.utils import reconcile
from saltext.pbs.utils.flows import backup

__virtualname__ = "pbs_backup_group"


def __virtual__():
    if "pbs_backup_group.get" not in __salt__:
        return False, "the pbs_backup_group execution module is not available"
    return __virtualname__


def managed(name, store=None, backup_type=None, backup_id=None, ns=None, owner=None,
            notes=None, profile=None):
    """
    Ensure a backup group has the given owner and notes; each one left out (None) is not
    managed. Compared exactly: notes ``"a"`` and ``"a\\n"`` differ.

    name
        The group as ``TYPE/ID`` (``vm/100``, ``host/web01``), unless ``backup_type`` and
        ``backup_id`` are given.

    store
        The datastore holding the group. Required.

    backup_type, backup_id
        The group in PBS's terms (``vm``, ``ct`` or ``host``; its ID), instead of ``name``.

    ns
        The namespace (default: the root).

    owner
        The owning user or API token (``user@realm`` or ``user@realm!token``); it must
        exist and be enabled.

    notes
        The group's notes (the first line shows as its comment); ``""`` clears them.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    Requires ``Datastore.Audit`` (or ``Datastore.Backup`` as owner) to read,
    ``Datastore.Modify`` (or ``Datastore.Backup`` as owner) for the notes and
    ``Datastore.Modify`` for the owner (with only ``Datastore.Backup``: between the caller
    and its own tokens) on ``/datastore/{store}[/{ns}]``.

    .. code-block:: yaml

        db-backups:
          pbs_backup_group.managed:
            - store: store1
            - ns: prod
            - backup_type: vm
            - backup_id: "100"
            - owner: backup@pbs!pve1
            - notes: database server
    """
    return backup.group_managed(
        name, store, backup_type, backup_id, ns, owner, notes,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )
