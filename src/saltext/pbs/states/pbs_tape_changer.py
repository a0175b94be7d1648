"""
Manage Proxmox Backup Server tape changers declaratively.

.. code-block:: yaml

    robot:
      pbs_tape_changer.present:
        - path: /dev/tape/by-id/scsi-CJ0JBE0059-changer
        - export_slots: [23, 24]
        - eject_before_unload: false

    old-robot:
      pbs_tape_changer.absent: []
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import tape

KIND = tape.CHANGER

__virtualname__ = "pbs_tape_changer"


def __virtual__():
    if "pbs_tape_changer.get" not in __salt__:
        return False, "the pbs_tape_changer execution module is not available"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", **properties):
    """
    Ensure tape changer ``name`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared.

    name
        Changer name (3 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        Accepted like on every ``present`` state; this kind has no write-only property.

    {{properties}}

    {{privileges:present}}

    .. code-block:: yaml

        robot:
          pbs_tape_changer.present:
            - path: /dev/tape/by-id/scsi-CJ0JBE0059-changer
            - export_slots: [23, 24]
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
    Ensure tape changer ``name`` does not exist. PBS refuses while a drive names the
    changer.

    name
        Changer name (3 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        old-robot:
          pbs_tape_changer.absent:
            - name: robot
    """
    return reconcile.absent(
        KIND,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )


docs.render(globals(), "tape_changer")
