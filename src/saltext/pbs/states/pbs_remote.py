"""
Manage Proxmox Backup Server remotes declaratively.

.. code-block:: sls

    offsite:
      pbs_remote.present:
        - host: pbs2.example.com
        - port: 8007
        - auth_id: sync@pbs!pull
        - password: {{ pillar['pbs_secrets']['offsite_token_secret'] | yaml_encode }}
        - fingerprint: {{ pillar['pbs_secrets']['offsite_fingerprint'] | yaml_encode }}
        - use_node_proxy: false
        - comment: Offsite copy
        - update_secret: on_change

    old-remote:
      pbs_remote.absent: []
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds.remote import REMOTE

__virtualname__ = "pbs_remote"


def __virtual__():
    if "pbs_remote.get" not in __salt__:
        return False, "the pbs_remote execution module is not available"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", **properties):
    """
    Ensure remote ``name`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared. PBS does not
    contact the remote when it is created or changed.

    name
        Remote name (3 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        When to send ``password`` to an existing remote: ``on_change`` (default: when it
        differs from the last value applied from this minion), ``always`` or
        ``on_create``. PBS never returns the password, so it cannot be compared.

    {{properties}}

    {{privileges:present}}

    .. code-block:: sls

        offsite:
          pbs_remote.present:
            - host: pbs2.example.com
            - auth_id: sync@pbs!pull
            - password: {{ pillar['pbs_secrets']['offsite_token_secret'] | yaml_encode }}
    """
    return reconcile.present(
        REMOTE,
        name,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


def absent(name, profile=None):
    """
    Ensure remote ``name`` does not exist. PBS refuses to delete a remote that a sync job
    uses.

    name
        Remote name.

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        old-remote:
          pbs_remote.absent: []
    """
    return reconcile.absent(
        REMOTE,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )


docs.render(globals(), "remote")
