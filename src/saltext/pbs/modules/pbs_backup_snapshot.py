"""
One backup snapshot of a Proxmox Backup Server datastore as its state sees it: files,
protection, notes, verification (the :mod:`pbs_backup_snapshot state
<saltext.pbs.states.pbs_backup_snapshot>` manages protection and notes). Browsing,
downloading and deleting snapshots is :mod:`pbs_backup <saltext.pbs.modules.pbs_backup>`'s.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils.kinds import backup

__virtualname__ = "pbs_backup_snapshot"


def __virtual__():
    return __virtualname__


def get(store, backup_type, backup_id, backup_time="latest", ns=None, profile=None):
    """
    The snapshot of group ``backup_type/backup_id`` in ``store`` (namespace ``ns``) taken at
    ``backup_time`` (epoch seconds, RFC 3339 text, or ``latest``: the group's newest):
    PBS's snapshot listing (``backup-time``, ``files``, ``size``, ``owner``, ``protected``,
    ``verification``, ``comment``, ...) with ``ns``, the full ``notes`` and
    ``backup-time-text`` (RFC 3339). ``None`` when there is no such snapshot (or group).

    Requires ``Datastore.Audit`` on ``/datastore/{store}[/{ns}]``, or ``Datastore.Backup``
    as the group's owner.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup_snapshot.get store1 vm 100
        salt-call pbs_backup_snapshot.get store1 vm 100 backup_time=2024-05-01T02:00:00Z
    """
    params = backup.group_params(store, backup_type, backup_id, ns)
    backup.check_backup_time(backup_time)
    client = pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)
    return backup.snapshot_view(client, params, backup_time)
