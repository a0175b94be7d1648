"""
Manage Proxmox Backup Server API tokens declaratively.

The secret PBS reveals once, at creation, never appears in the state's output or logs: it
is written to ``secret_file`` (a path on the minion, mode 0600, one ``TOKENID:SECRET``
line) or ``secret_sdb`` (an ``sdb://`` URI, the secret alone). The state never rotates a
working token by itself.

.. code-block:: yaml

    backup@pbs:
      pbs_user.present:
        - comment: PVE backups

    backup@pbs!pve1:
      pbs_token.present:
        - comment: PVE host pve1
        - expire: 0
        - enable: true
        - secret_file: /root/pbs/pve1.token
        - require:
          - pbs_user: backup@pbs

    backup@pbs!monitoring:
      pbs_token.present:
        - secret_sdb: sdb://vault/pbs/monitoring_token
        - regenerate_if_lost: true

    backup@pbs!old:
      pbs_token.absent
"""

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.flows import tokens
from saltext.pbs.utils.kinds.token_sink import Sink

__virtualname__ = "pbs_token"


def __virtual__():
    if "pbs_token.get" not in __salt__:
        return False, "the pbs_token execution module is not available"
    return __virtualname__


def _engine(profile):
    return reconcile.engine_args(__opts__, __context__, __salt__, profile)


def present(
    name,
    secret_file=None,
    secret_sdb=None,
    regenerate_if_lost=False,
    profile=None,
    update_secret="on_change",  # pylint: disable=unused-argument
    **properties,
):
    """
    Ensure API token ``name`` exists with the given properties.

    Properties are updated in place; the token is never recreated, so its secret and ACL
    entries survive. Only the properties given are managed; ``comment: null`` clears the
    comment.

    name
        Token id ``user@realm!tokenname``; the user must exist.

    secret_file
        Absolute path on the minion receiving the secret when the token is created (mode
        0600, one ``TOKENID:SECRET`` line; missing directories are created with mode 0700).

    secret_sdb
        ``sdb://<profile>/<key>`` URI receiving the secret instead (written with Salt's sdb
        ``set``). One of ``secret_file`` and ``secret_sdb`` is required to create a token.

    regenerate_if_lost
        When the token exists but the sink no longer holds its secret (file deleted, sdb
        key gone), or PBS rejects the secret it holds, regenerate the secret and write it
        to the sink (under ``test=True``: report that it would). Default false: the state
        fails and says how to rotate (``pbs_token.regenerate``), because a regenerated
        secret breaks every consumer of the old one.

        Whether the held secret still works is checked with one ``GET /version`` made with
        it (the secret is never shown or logged). Only a 401 counts as a rejected secret
        (e.g. the token was regenerated elsewhere); an unreachable PBS or a TLS error is
        reported in the comment and changes nothing, and a disabled or expired token is not
        checked.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        Accepted for uniformity with other kinds and ignored: a token's secret is made by
        PBS, never sent, and rotated only on demand (``pbs_token.regenerate``) or with
        ``regenerate_if_lost``.

    {{properties}}

    {{privileges:present}}

    .. code-block:: yaml

        backup@pbs!pve1:
          pbs_token.present:
            - comment: PVE host pve1
            - secret_file: /root/pbs/pve1.token
    """
    try:
        sink = Sink.from_args(secret_file, secret_sdb, __opts__, __utils__)
    except SaltInvocationError as err:
        return reconcile.failed(name, err)
    return tokens.token_present(name, properties, sink, regenerate_if_lost, **_engine(profile))


def absent(name, profile=None):
    """
    Ensure API token ``name`` does not exist (PBS removes its ACL entries with it). The
    secret in a sink is left alone.

    name
        Token id ``user@realm!tokenname``.

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        backup@pbs!old:
          pbs_token.absent
    """
    return tokens.token_absent(name, **_engine(profile))


docs.render(globals(), "token")
