"""
One backup group of a Proxmox Backup Server datastore as its state sees it: owner, notes,
snapshot count and newest backup (the :mod:`pbs_backup_group state
<saltext.pbs.states.pbs_backup_group>` manages owner and notes). Browsing, moving,
deleting and pruning groups is :mod:`pbs_backup <saltext.pbs.modules.pbs_backup>`'s.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils.kinds import backup

__virtualname__ = "pbs_backup_group"


def __virtual__():
    return __virtualname__


def get(store, backup_type, backup_id, ns=None, profile=None):
    """
    The backup group ``backup_type/backup_id`` of ``store`` (namespace ``ns``): PBS's group
    listing (``backup-type``, ``backup-id``, ``owner``, ``backup-count``, ``last-backup``,
    ``files``, ``comment``) with ``ns`` and the full ``notes``; ``last-backup`` is
    ``None`` (not PBS's 0) when the group holds no snapshot. ``None`` when the group does
    not exist (PBS makes a group with its first backup).

    Requires ``Datastore.Audit`` on ``/datastore/{store}[/{ns}]``, or ``Datastore.Backup``
    as the group's owner.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_backup_group.get store1 vm 100
        salt-call pbs_backup_group.get store1 host web01 ns=prod
    """
    params = backup.group_params(store, backup_type, backup_id, ns)
    client = pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)
    return backup.group_view(client, params)
