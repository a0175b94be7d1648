"""
Manage the DNS settings of the Proxmox Backup Server node (``/etc/resolv.conf``).

A singleton: one ``managed`` state, no ``absent``. Only the properties given are managed;
``dns1`` .. ``dns3`` set to ``null`` are cleared.

.. code-block:: yaml

    pbs-dns:
      pbs_dns.managed:
        - search: example.com
        - dns1: 192.0.2.53
        - dns2: 2001:db8::53
        - dns3: null                 # null clears a name server
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import node

__virtualname__ = "pbs_dns"


def __virtual__():
    if "pbs_dns.get" not in __salt__:
        return False, "the pbs_dns execution module is not available"
    return __virtualname__


def managed(name="dns", profile=None, **properties):
    """
    Ensure the node's DNS settings carry the given properties.

    name
        Any state id; a node has one set of DNS settings.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings;
        its ``node`` (default ``localhost``) is the node configured.

    {{properties}}

    {{privileges:managed}}

    .. code-block:: yaml

        pbs-dns:
          pbs_dns.managed:
            - search: example.com
            - dns1: 192.0.2.53
            - dns2: 192.0.2.54
    """
    ret = reconcile.managed(
        node.DNS,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )
    ret["name"] = name
    return ret


docs.render(globals(), "dns")
