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

    acme
        ACME account ordering the node's certificate: ``{account: <account name>}`` (a
        :py:func:`pbs_acme_account <saltext.pbs.states.pbs_acme_account.present>`).

    acmedomain0, acmedomain1, acmedomain2, acmedomain3, acmedomain4
        Domains of the certificate: ``{domain: <name>, alias: <name>, plugin: <plugin id>}``
        (or a PBS string ``pbs.example.com,plugin=cf``). ``alias`` delegates the DNS
        challenge to another domain; without ``plugin`` PBS uses the standalone HTTP-01
        challenge. The domains must differ.

    http_proxy
        HTTP proxy PBS uses for outgoing connections (remotes with ``use-node-proxy``, S3,
        updates), ``http://[user:password@]host:port``. A password in it shows as
        ``<hidden>``.

    email_from
        Sender address of the mails PBS sends (2 to 64 characters).

    ciphers_tls_1_3
        OpenSSL cipher suites of the API proxy for TLS 1.3 (wire name ``ciphers-tls-1.3``;
        ``ciphers_tls_1.3`` is accepted too).

    ciphers_tls_1_2
        OpenSSL cipher list of the API proxy for TLS up to 1.2 (wire name
        ``ciphers-tls-1.2``).

    default_lang
        Default language of the web interface: ``ar``, ``ca``, ``da``, ``de``, ``en``,
        ``es``, ``eu``, ``fa``, ``fr``, ``gl``, ``he``, ``hu``, ``it``, ``ja``, ``kr``,
        ``nb``, ``nl``, ``nn``, ``pl``, ``pt_BR``, ``ru``, ``sl``, ``sv``, ``tr``,
        ``zh_CN``, ``zh_TW``.

    description
        Description of the node (several lines; Markdown in the web interface).

    task_log_max_days
        Days to keep task logs (0 or more).

    consent_text
        Consent banner shown before login (at most 64 KiB).

    Requires ``Sys.Audit`` on ``/system`` to read and ``Sys.Modify`` on ``/system`` to
    change.

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
