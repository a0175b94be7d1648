"""
Read and change the DNS settings of the node (``/etc/resolv.conf``) of Proxmox Backup
Server.

Properties: ``search`` (search domain), ``dns1``, ``dns2`` and ``dns3`` (name server IP
addresses). See :py:func:`saltext.pbs.states.pbs_dns.managed` for each one.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings. The node is the profile's ``node`` (default
``localhost``).
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds import node

__virtualname__ = "pbs_dns"

KIND = node.DNS


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def get(profile=None):
    """
    Return the DNS settings: ``search``, ``dns1`` .. ``dns3`` (and ``options``, other
    lines of the file, when there are any).

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_dns.get
    """
    return objects.get_object(_client(profile), KIND)


def update(profile=None, **properties):
    """
    Change the DNS settings; ``dns1`` .. ``dns3`` set to ``None`` are cleared (``search``
    cannot be). Returns the new settings.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_dns.update search=example.com dns1=192.0.2.53 dns2=192.0.2.54
        salt-call pbs_dns.update dns3=None
    """
    return objects.update_object(_client(profile), KIND, None, properties)


docs.render(globals(), "dns")
