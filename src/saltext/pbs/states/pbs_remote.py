"""
Manage Proxmox Backup Server remotes declaratively.

.. code-block:: yaml

    offsite:
      pbs_remote.present:
        - host: pbs2.example.com
        - port: 8007
        - auth_id: sync@pbs!pull
        - password: {{ pillar['pbs_secrets']['offsite_token_secret'] }}
        - fingerprint: {{ pillar['pbs_secrets']['offsite_fingerprint'] }}
        - use_node_proxy: false
        - comment: Offsite copy
        - update_secret: on_change

    old-remote:
      pbs_remote.absent: []
"""

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

    host
        DNS name or IP address of the remote PBS (IPv6 without brackets). Required to
        create.

    port
        API port of the remote (1-65535; PBS uses 8007 when unset).

    auth_id
        User (``name@realm``) or API token (``name@realm!token``) to log in as. Required
        to create.

    password
        Password of ``auth_id``, or the token secret when it is a token; write-only (shown
        as ``<hidden>``). Required to create; cannot be cleared.

    fingerprint
        SHA-256 fingerprint of the remote's certificate (32 colon-separated hex pairs),
        needed when the remote's certificate is not trusted by the system.

    use_node_proxy
        Connect through the HTTP proxy set in the node configuration (default false).

    comment
        Free-form comment, at most 128 characters.

    Requires ``Remote.Audit`` on ``/remote/{name}`` to read, ``Remote.Modify`` on
    ``/remote`` to create and on ``/remote/{name}`` to update.

    .. code-block:: yaml

        offsite:
          pbs_remote.present:
            - host: pbs2.example.com
            - auth_id: sync@pbs!pull
            - password: {{ pillar['pbs_secrets']['offsite_token_secret'] }}
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

    Requires ``Remote.Modify`` on ``/remote/{name}``.

    .. code-block:: yaml

        old-remote:
          pbs_remote.absent: []
    """
    return reconcile.absent(
        REMOTE,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )
