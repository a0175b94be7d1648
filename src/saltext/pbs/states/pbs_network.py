"""
Apply the staged network configuration of the Proxmox Backup Server node.

:py:func:`saltext.pbs.states.pbs_network_interface.present` and ``absent`` only stage
their changes (``/etc/network/interfaces.new``); ``pbs_network.applied`` reloads the
network (``ifreload -a``, a PBS task) when something is staged, and changes nothing
otherwise. Put it last and make it require the interface states:

.. code-block:: yaml

    apply-network:
      pbs_network.applied:
        - require:
          - pbs_network_interface: vmbr1

A wrong configuration applied here can cut the minion off its PBS host; see the network
guide for how to recover.
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.flows import network as flow

__virtualname__ = "pbs_network"


def __virtual__():
    if "pbs_network.pending" not in __salt__:
        return False, "the pbs_network execution module is not available"
    return __virtualname__


def applied(name, profile=None, timeout=None):
    """
    Ensure no network change is left staged: reload the network when PBS holds staged
    changes. ``changes`` shows the diff that was applied (``pending``); ``test=True``
    shows it and applies nothing.

    name
        Any state id.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings;
        its ``node`` (default ``localhost``) is the node whose network is reloaded.

    timeout
        Seconds to wait for the reload task (default: the profile's task timeout).

    {{privilege:pending}}

    {{privilege:reload}}

    .. code-block:: yaml

        apply-network:
          pbs_network.applied:
            - require:
              - pbs_network_interface: vmbr1
    """
    return flow.applied(
        name, reconcile.engine_args(__opts__, __context__, __salt__, profile), timeout=timeout
    )


docs.render(globals(), "network_interface")
