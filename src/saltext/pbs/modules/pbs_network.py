"""
Manage the network interfaces of the Proxmox Backup Server node: bridges, bonds, VLANs,
addresses, gateways.

PBS stages every change: ``create``, ``update`` and ``delete`` write
``/etc/network/interfaces.new`` and reads show that staged configuration, while the running
network stays as it was until :py:func:`reload` applies it (``ifreload -a``, a PBS task)
or :py:func:`revert` discards it. :py:func:`pending` shows what is staged.

.. warning::

    A wrong network change applied with :py:func:`reload` can cut the minion (and
    everyone else) off the PBS host. See the network guide for a safe order of changes and
    how to recover at the console.

Properties use PBS's wire names (``bridge_ports``, ``bond_mode``, ``vlan_id``,
``bond_primary``; hyphens are accepted too). See
:py:func:`saltext.pbs.states.pbs_network_interface.present` for every property.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings. The node is the profile's ``node`` (default
``localhost``).
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.flows import network as flow
from saltext.pbs.utils.kinds.network import INTERFACE as KIND

__virtualname__ = "pbs_network"
__func_alias__ = {"list_": "list"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(profile=None):
    """
    List the node's network interfaces (``lo`` aside) as configured, staged changes
    included. Each carries ``active`` (up now), ``autostart``, ``type``, ``method`` ...

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_network.list
    """
    return objects.list_objects(_client(profile), KIND)


def get(name, profile=None):
    """
    Return interface ``name`` as configured (staged changes included), or ``None``.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_network.get vmbr0
    """
    return objects.get_object(_client(profile), KIND, name)


def create(name, profile=None, **properties):
    """
    Stage a new interface ``name``: ``type`` is ``bridge``, ``bond`` (with ``slaves``) or
    ``vlan`` (with ``vlan_id`` and ``vlan_raw_device``, or a name like ``eno1.10``).
    Returns the interface as staged; it is not active until :py:func:`reload`.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_network.create vmbr1 type=bridge bridge_ports='[eno2]' \\
            cidr=192.0.2.10/24 autostart=true
        salt-call pbs_network.create bond0 type=bond slaves=eno2,eno3 bond_mode=802.3ad \\
            bond_xmit_hash_policy=layer3+4
        salt-call pbs_network.create eno1.20 type=vlan cidr=198.51.100.5/24
    """
    return flow.create(_client(profile), name, properties)


def update(name, profile=None, **properties):
    """
    Stage a change of interface ``name``; a property set to ``None`` is cleared. Returns
    the interface as staged.

    PBS sets the IPv4 ``method`` to ``static`` when the interface has an address or
    gateway and to ``manual`` otherwise on every update (a ``dhcp`` interface becomes
    ``manual``): give ``cidr`` or re-create such an interface.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_network.update vmbr1 comments='storage network' mtu=9000
        salt-call pbs_network.update vmbr1 gateway=None
    """
    return objects.update_object(_client(profile), KIND, name, properties)


def delete(name, profile=None):
    """
    Stage the removal of interface ``name`` (the interface stays up until
    :py:func:`reload`).

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_network.delete vmbr1
    """
    return objects.delete_object(_client(profile), KIND, name)


def pending(profile=None):
    """
    Return the staged changes as a unified diff of ``/etc/network/interfaces`` against
    ``/etc/network/interfaces.new``, or ``None`` when nothing is staged.

    {{privilege:pending}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_network.pending
    """
    return flow.pending(_client(profile))


def reload(wait=True, timeout=None, profile=None):
    """
    Apply the staged configuration: PBS moves ``interfaces.new`` into place and runs
    ``ifreload -a`` in a task. With ``wait`` (default) the task's final status is returned
    (its log is logged as it grows; a failure raises with its tail), else its UPID.

    A wrong configuration can cut this minion off PBS; see the network guide.

    {{privilege:reload}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_network.reload
    """
    return flow.reload(_client(profile), wait=wait, timeout=timeout)


def revert(profile=None):
    """
    Discard the staged configuration (PBS removes ``/etc/network/interfaces.new``); the
    running network is not touched.

    {{privilege:revert}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_network.revert
    """
    flow.revert(_client(profile))
    return True


docs.render(globals(), "network_interface")
