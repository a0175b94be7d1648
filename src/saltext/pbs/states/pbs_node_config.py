"""
Manage the node configuration of Proxmox Backup Server (``/nodes/{node}/config``).

A singleton: one ``managed`` state, no ``absent``. Only the properties given are managed;
one set to ``null`` is cleared.

.. code-block:: yaml

    pbs-node-config:
      pbs_node_config.managed:
        - email_from: pbs@example.com
        - http_proxy: http://proxy.example.com:3128
        - default_lang: en
        - task_log_max_days: 60
        - description: |
            Backup server of the Vienna office.
            Owner: ops@example.com
        - consent_text: Authorised use only.
        - ciphers_tls_1_3: TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256
        - ciphers_tls_1_2: ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384
        - acme:
            account: default
        - acmedomain0:
            domain: pbs.example.com
            plugin: cloudflare
        - acmedomain1:
            domain: backup.example.com
            alias: _acme-challenge.example.net
            plugin: cloudflare
        - acmedomain2: null          # null clears a property
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import node

__virtualname__ = "pbs_node_config"


def __virtual__():
    if "pbs_node_config.get" not in __salt__:
        return False, "the pbs_node_config execution module is not available"
    return __virtualname__


def managed(name="node_config", profile=None, **properties):
    """
    Ensure the node configuration carries the given properties (only those given are
    managed; a property set to ``null`` is cleared).

    name
        Any state id; a node has one configuration.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings;
        its ``node`` (default ``localhost``) is the node configured.

    {{properties}}

    {{privileges:managed}}

    .. code-block:: yaml

        pbs-node-config:
          pbs_node_config.managed:
            - email_from: pbs@example.com
            - task_log_max_days: 60
            - acme:
                account: default
            - acmedomain0:
                domain: pbs.example.com
            - http_proxy: null
    """
    ret = reconcile.managed(
        node.NODE_CONFIG,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )
    ret["name"] = name
    return ret


docs.render(globals(), "node_config")
