"""
Manage the tape changers (media changers, autoloaders) of Proxmox Backup Server
(``/config/changer``).

See :py:func:`saltext.pbs.states.pbs_tape_changer.present` for every property.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils import tape_ops
from saltext.pbs.utils.flows import tape as tape_flows
from saltext.pbs.utils.kinds import tape

KIND = tape.CHANGER

__virtualname__ = "pbs_tape_changer"
__func_alias__ = {"list_": "list"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(profile=None):
    """
    List the tape changers the caller may see.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_changer.list
    """
    return objects.list_objects(_client(profile), KIND)


def get(name, profile=None):
    """
    Return the configuration of tape changer ``name``, or ``None`` if it does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_changer.get robot
    """
    return objects.get_object(_client(profile), KIND, name)


def create(name, profile=None, **properties):
    """
    Create tape changer ``name``; ``path`` is required (a changer device of the host; see
    :py:func:`scan`). Returns the new configuration.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_changer.create robot \\
            path=/dev/tape/by-id/scsi-CJ0JBE0059-changer export_slots=[23,24]
    """
    return objects.create_object(_client(profile), KIND, name, properties)


def update(name, profile=None, **properties):
    """
    Update tape changer ``name``; a property set to ``None`` is cleared. Returns the new
    configuration.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_changer.update robot eject_before_unload=True
    """
    return objects.update_object(_client(profile), KIND, name, properties)


def delete(name, profile=None):
    """
    Delete tape changer ``name``. PBS refuses while a drive names the changer.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_changer.delete robot
    """
    return objects.delete_object(_client(profile), KIND, name)


def scan(profile=None):
    """
    List the changers the PBS host has (``path``, ``serial``, ``vendor``, ``model``, ...),
    to find the ``path`` of a new changer.

    {{privilege:scan}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_changer.scan
    """
    return tape_flows.scan(_client(profile), "changers")


# ----- operations (PBS src/api2/tape/changer.rs) --------------------------------------------


def overview(profile=None):
    """
    List the configured tape changers with the device's ``vendor``, ``model`` and
    ``serial`` as PBS detects them.

    Requires ``Tape.Audit`` on ``/tape/changer/{name}`` to see a changer (PBS filters this
    list by that path, not by ``/tape/device/{name}``).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_changer.overview
    """
    return _client(profile).get("/tape/changer").data or []


def status(name, cache=None, profile=None):
    """
    Return what changer ``name`` holds: one entry per drive (``entry-kind`` ``drive``,
    ``entry-id`` from 0, ``label-text`` and ``loaded-slot`` when loaded), per storage slot
    (``slot``) and per import/export slot (``import-export``), slots numbered from 1.
    ``cache=False`` makes PBS ask the changer instead of using its cached status.

    Requires ``Tape.Audit`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_changer.status robot
    """
    client = _client(profile)
    params = tape_ops.body(cache=tape_ops.flag(cache, "cache"))
    path = client.path("/tape/changer/{name}/status", name=tape_ops.device(name))
    return client.get(path, params=params).data


def transfer(name, from_slot, to_slot, profile=None):
    """
    Move the cartridge in slot ``from_slot`` of changer ``name`` to the empty slot
    ``to_slot`` (import/export slots included).

    Requires ``Tape.Read`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_changer.transfer robot 3 15
    """
    client = _client(profile)
    data = {"from": tape_ops.slot(from_slot, "from_slot"), "to": tape_ops.slot(to_slot, "to_slot")}
    client.post(client.path("/tape/changer/{name}/transfer", name=tape_ops.device(name)),
                data=data)
    return True


docs.render(globals(), "tape_changer")
