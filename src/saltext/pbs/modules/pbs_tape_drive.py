"""
Manage the tape drives of Proxmox Backup Server (``/config/drive``).

See :py:func:`saltext.pbs.states.pbs_tape_drive.present` for every property.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.flows import tape as tape_flows
from saltext.pbs.utils.kinds import tape

KIND = tape.DRIVE

__virtualname__ = "pbs_tape_drive"
__func_alias__ = {"list_": "list"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(profile=None):
    """
    List the tape drives the caller may see.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.list
    """
    return objects.list_objects(_client(profile), KIND)


def get(name, profile=None):
    """
    Return the configuration of tape drive ``name``, or ``None`` if it does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.get lto9-1
    """
    return objects.get_object(_client(profile), KIND, name)


def create(name, profile=None, **properties):
    """
    Create tape drive ``name``; ``path`` is required (a tape device of the host; see
    :py:func:`scan`). Returns the new configuration.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.create lto9-1 \\
            path=/dev/tape/by-id/scsi-10WT065325-sg changer=robot changer_drivenum=0
    """
    return objects.create_object(_client(profile), KIND, name, properties)


def update(name, profile=None, **properties):
    """
    Update tape drive ``name``; a property set to ``None`` is cleared. Returns the new
    configuration.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.update lto9-1 changer=None
    """
    return objects.update_object(_client(profile), KIND, name, properties)


def delete(name, profile=None):
    """
    Delete tape drive ``name``.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.delete lto9-1
    """
    return objects.delete_object(_client(profile), KIND, name)


def scan(profile=None):
    """
    List the tape drives the PBS host has (``path``, ``serial``, ``vendor``, ``model``, ...),
    to find the ``path`` of a new drive.

    {{privilege:scan}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.scan
    """
    return tape_flows.scan(_client(profile), "drives")


docs.render(globals(), "tape_drive")
