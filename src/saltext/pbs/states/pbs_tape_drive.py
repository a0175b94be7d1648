"""
Manage Proxmox Backup Server tape drives declaratively.

.. code-block:: yaml

    robot:
      pbs_tape_changer.present:
        - path: /dev/tape/by-id/scsi-CJ0JBE0059-changer

    lto9-1:
      pbs_tape_drive.present:
        - path: /dev/tape/by-id/scsi-10WT065325-sg
        - changer: robot
        - changer_drivenum: 0
        - require:
          - pbs_tape_changer: robot

    standalone-drive:
      pbs_tape_drive.present:
        - path: /dev/tape/by-id/scsi-10WT065326-sg
        - changer: null                # null clears a property

    old-drive:
      pbs_tape_drive.absent: []
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import tape

KIND = tape.DRIVE

__virtualname__ = "pbs_tape_drive"


def __virtual__():
    if "pbs_tape_drive.get" not in __salt__:
        return False, "the pbs_tape_drive execution module is not available"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", **properties):
    """
    Ensure tape drive ``name`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared.

    name
        Drive name (3 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        Accepted like on every ``present`` state; this kind has no write-only property.

    {{properties}}

    {{privileges:present}}

    .. code-block:: yaml

        lto9-1:
          pbs_tape_drive.present:
            - path: /dev/tape/by-id/scsi-10WT065325-sg
            - changer: robot
            - changer_drivenum: 1
    """
    return reconcile.present(
        KIND,
        name,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


def absent(name, profile=None):
    """
    Ensure tape drive ``name`` does not exist.

    name
        Drive name (3 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        old-lto9-1:
          pbs_tape_drive.absent:
            - name: lto9-1
    """
    return reconcile.absent(
        KIND,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )


docs.render(globals(), "tape_drive")
