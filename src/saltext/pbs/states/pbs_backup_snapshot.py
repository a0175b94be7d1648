"""
Manage what Proxmox Backup Server keeps on a backup snapshot: its protection (prune and
delete leave a protected snapshot alone) and its notes.

The snapshot is selected by its time or as ``latest`` (the group's newest). Snapshots are
made by backups, never by a state: one that does not exist (yet) is reported
(``result: None``) in test mode and is a failure otherwise. Nothing is deleted.

.. code-block:: yaml

    vm/100/2024-05-01T02:00:00Z:
      pbs_backup_snapshot.managed:
        - store: store1
        - protected: true
        - notes: before the upgrade to 2.0
"""

from saltext.pbs.utils import reconcile
from saltext.pbs.utils.flows import backup

__virtualname__ = "pbs_backup_snapshot"


def __virtual__():
    if "pbs_backup_snapshot.get" not in __salt__:
        return False, "the pbs_backup_snapshot execution module is not available"
    return __virtualname__


def managed(name, store=None, backup_type=None, backup_id=None, backup_time=None, ns=None,
            protected=None, notes=None, profile=None):
    """
    Ensure a snapshot's protection and notes; each one left out (None) is not managed.
    Compared exactly.

    name
        The snapshot as ``TYPE/ID/TIME`` (``vm/100/2024-05-01T02:00:00Z``) or the group as
        ``TYPE/ID`` (then ``backup_time``, default ``latest``), unless ``backup_type`` and
        ``backup_id`` are given.

    store
        The datastore holding the snapshot. Required.

    backup_type, backup_id
        The group in PBS's terms, instead of ``name``.

    backup_time
        Epoch seconds, RFC 3339 text with a time zone, or ``latest``: the group's newest
        snapshot when the state runs (a new backup moves it on; an older snapshot keeps
        what was set on it).

    ns
        The namespace (default: the root).

    protected
        True to protect the snapshot, False to remove its protection.

    notes
        The snapshot's notes (the first line shows as its comment); ``""`` clears them.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    Requires ``Datastore.Audit`` (or ``Datastore.Backup`` as owner) to read and
    ``Datastore.Modify`` (or ``Datastore.Backup`` as owner) to change, on
    ``/datastore/{store}[/{ns}]``.

    .. code-block:: yaml

        keep-newest-db-backup:
          pbs_backup_snapshot.managed:
            - store: store1
            - backup_type: vm
            - backup_id: "100"
            - backup_time: latest
            - protected: true
    """
    return backup.snapshot_managed(
        name, store, backup_type, backup_id, backup_time, ns, protected, notes,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )
