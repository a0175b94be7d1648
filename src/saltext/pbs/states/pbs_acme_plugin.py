"""
Manage Proxmox Backup Server ACME DNS challenge plugins declaratively.

``data`` holds the DNS API credentials; PBS returns them, so they are compared, but their
values never show in the state output.

.. code-block:: sls

    cloudflare:
      pbs_acme_plugin.present:
        - api: cf
        - data:
            CF_Token: {{ pillar['acme']['cf_token'] | yaml_encode }}
            CF_Account_ID: {{ pillar['acme']['cf_account_id'] | yaml_encode }}
        - validation_delay: 60
        - disable: false

    old-dns-plugin:
      pbs_acme_plugin.absent: []

    # the node's certificate then uses it:
    pbs-node-acme:
      pbs_node_config.managed:
        - acme:
            account: default
        - acmedomain0:
            domain: pbs.example.com
            plugin: cloudflare
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import acme

__virtualname__ = "pbs_acme_plugin"


def __virtual__():
    if "pbs_acme_plugin.get" not in __salt__:
        return False, "the pbs_acme_plugin execution module is not available"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", **properties):
    """
    Ensure DNS plugin ``name`` exists with the given properties. Only DNS plugins can be
    managed; the built-in ``standalone`` (HTTP-01) plugin is refused.

    Only the properties given are managed; one set to ``null`` is cleared.

    name
        Plugin id (1 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        Accepted like on every ``present`` state; ``data`` is compared with what PBS
        returns, so it is sent whenever it differs.

    {{properties}}

    {{privileges:present}}

    .. code-block:: sls

        cloudflare:
          pbs_acme_plugin.present:
            - api: cf
            - data:
                CF_Token: {{ pillar['acme']['cf_token'] | yaml_encode }}
    """
    return reconcile.present(
        acme.PLUGIN,
        name,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


def absent(name, profile=None):
    """
    Ensure DNS plugin ``name`` does not exist.

    name
        Plugin id.

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        old-dns-plugin:
          pbs_acme_plugin.absent: []
    """
    return reconcile.absent(
        acme.PLUGIN,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )


docs.render(globals(), "acme_plugin")
