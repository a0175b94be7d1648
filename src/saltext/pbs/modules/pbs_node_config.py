"""
Read and change the node configuration (``/nodes/{node}/config``) of Proxmox Backup Server.

Properties: ``acme``, ``acmedomain0`` .. ``acmedomain4``, ``http_proxy``, ``email_from``,
``ciphers_tls_1_3``, ``ciphers_tls_1_2``, ``default_lang``, ``description``,
``task_log_max_days`` and ``consent_text``. See
:py:func:`saltext.pbs.states.pbs_node_config.managed` for each one.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings. The node is the profile's ``node`` (default
``localhost``).
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds import node

__virtualname__ = "pbs_node_config"

KIND = node.NODE_CONFIG


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def get(profile=None):
    """
    Return the node configuration (property strings such as ``acmedomain0`` as PBS
    stores them).

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_node_config.get
    """
    return objects.get_object(_client(profile), KIND)


def update(profile=None, **properties):
    """
    Change the node configuration; a property set to ``None`` is cleared. Property
    strings are given as dicts (``acme={account: default}``) or as PBS strings. Returns the
    new configuration.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_node_config.update email_from=pbs@example.com \\
            acmedomain0='{domain: pbs.example.com, plugin: cf}' task_log_max_days=30
        salt-call pbs_node_config.update http_proxy=None
    """
    return objects.update_object(_client(profile), KIND, None, properties)


docs.render(globals(), "node_config")
