"""
Manage the network interfaces of the Proxmox Backup Server node declaratively.

Each state *stages* its change (PBS writes ``/etc/network/interfaces.new``); nothing is
active until :py:func:`saltext.pbs.states.pbs_network.applied` reloads the network, so
one SLS stages several interfaces and applies them once:

.. code-block:: yaml

    bond0:
      pbs_network_interface.present:
        - type: bond
        - slaves: [eno2, eno3]
        - bond_mode: 802.3ad
        - bond_xmit_hash_policy: layer3+4
        - autostart: true

    vmbr1:
      pbs_network_interface.present:
        - type: bridge
        - bridge_ports: [bond0]
        - cidr: 192.0.2.10/24
        - mtu: 9000
        - autostart: true
        - comments: storage network
        - require:
          - pbs_network_interface: bond0

    old-vlan:
      pbs_network_interface.absent:
        - name: eno1.30

    apply-network:
      pbs_network.applied:
        - require:
          - pbs_network_interface: vmbr1
          - pbs_network_interface: old-vlan

A wrong change can cut the minion off its PBS host once applied: read the network guide
(safe order, recovery at the console) before changing the interface the minion uses.
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.flows import network as flow

__virtualname__ = "pbs_network_interface"


def __virtual__():
    if "pbs_network.get" not in __salt__:
        return False, "pbs_network_interface needs the pbs_network execution module"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", **properties):
    """
    Ensure interface ``name`` is configured with the given properties (staged until
    ``pbs_network.applied``).

    Only the properties given are managed; one set to ``null`` is cleared. ``type`` is
    needed to create an interface (``bridge``, ``bond`` or ``vlan``) and cannot change.
    Physical interfaces (``eth``) exist already: ``present`` changes them, never creates
    them. PBS sets ``method`` to ``static`` whenever an address or gateway is set and to
    ``manual`` otherwise on every update, so a ``dhcp`` method survives only on create; an
    update that would end with another method than asked (or configured) fails before
    writing.

    name
        Interface name (1 to 15 characters: letters, digits, ``_``, ``.``, ``-``), e.g.
        ``vmbr0``, ``bond0``, ``eno1.20``.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings;
        its ``node`` (default ``localhost``) is the node configured.

    update_secret
        Accepted for uniformity with other kinds; interfaces have no secrets.

    {{properties}}

    {{privileges:present}}

    .. code-block:: yaml

        vmbr1:
          pbs_network_interface.present:
            - type: bridge
            - bridge_ports: [eno2]
            - cidr: 192.0.2.10/24
            - autostart: true
    """
    return flow.interface_present(
        name,
        properties,
        update_secret,
        reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )


def absent(name, profile=None):
    """
    Ensure interface ``name`` is not configured (the removal is staged until
    ``pbs_network.applied``).

    name
        Interface name.

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        eno1.30:
          pbs_network_interface.absent: []
    """
    return flow.interface_absent(
        name, reconcile.engine_args(__opts__, __context__, __salt__, profile)
    )


docs.render(globals(), "network_interface")
