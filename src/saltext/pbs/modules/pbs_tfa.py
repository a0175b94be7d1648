"""
Manage the second factors (TFA) of Proxmox Backup Server users: list them, add TOTP
entries and recovery keys, enable, disable, describe and remove entries. Unlocking a user
locked out by failed attempts is :py:func:`saltext.pbs.modules.pbs_user.unlock_tfa`.

Only TOTP and recovery keys can be added by an API client. WebAuthn and U2F need a browser
and the authenticator's signature, and Yubico needs a YubiKey's one-time password and a
validation server PBS does not configure: add those in the PBS web interface (they are
listed, updated and removed here like any entry).

Secrets never appear in returns or logs. A TOTP secret is given as ``secret`` (base32,
from pillar or sdb) or generated, and its ``otpauth://`` URI is written to the sink named
by ``secret_file`` (a path, written with mode 0600) or ``secret_sdb`` (an
``sdb://<profile>/<key>`` URI); recovery keys, which PBS shows once, go only to that sink
(one key per line).

Who may do what, as PBS rules it: a user may manage their own factors; ``Permissions.Modify``
on ``/access/users`` manages anyone's. Every change asks callers other than ``root@pam``
(for an API token: its user) for their own password (``password``; the profile's password
is used when it logs in as that user).

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils.flows import tfa as tfa_flows

__virtualname__ = "pbs_tfa"
__func_alias__ = {"list_": "list"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(userid=None, profile=None):
    """
    List second factors. Without ``userid``: one entry per user who has any
    (``userid``, ``entries``, and ``totp-locked`` / ``tfa-locked-until`` when locked out);
    with it, that user's entries (``type``, ``id``, ``description``, ``created``,
    ``enable`` when false). Secrets are never part of it.

    Requires any authenticated user (all users with ``Sys.Audit`` on ``/access/users``,
    else only the caller); for one user, ``Permissions.Modify`` on ``/access/users`` or
    being that user.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tfa.list
        salt-call pbs_tfa.list userid=alice@pbs
    """
    return tfa_flows.list_tfa(_client(profile), userid)


def get(userid, id, profile=None):  # pylint: disable=redefined-builtin
    """
    Return entry ``id`` (``recovery`` for the recovery keys) of ``userid``, or ``None`` if
    it does not exist.

    Requires ``Permissions.Modify`` on ``/access/users``, or being that user.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tfa.get alice@pbs recovery
    """
    return tfa_flows.get_tfa(_client(profile), userid, id)


def add(
    userid,
    type,  # pylint: disable=redefined-builtin
    description=None,
    secret=None,
    secret_file=None,
    secret_sdb=None,
    password=None,
    profile=None,
):
    """
    Add a second factor to ``userid``: ``type=totp`` (``description`` names it; the base32
    ``secret`` is given, or generated and its otpauth URI written to ``secret_file`` /
    ``secret_sdb``) or ``type=recovery`` (ten one-time keys, written only to
    ``secret_file`` / ``secret_sdb``; one set per user). ``webauthn``, ``u2f`` and
    ``yubico`` are refused (they need a browser or a hardware key). Returns ``{"userid",
    "id", "type", "secret_written_to"}``.

    Requires ``Permissions.Modify`` on ``/access/users``, or being that user; callers
    other than ``root@pam`` give their own ``password``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tfa.add alice@pbs recovery secret_file=/root/alice.recovery
        salt-call pbs_tfa.add alice@pbs totp description=phone \\
            secret_file=/root/alice.totp
    """
    sink = tfa_flows.FactorSink.from_args(secret_file, secret_sdb, __opts__, __utils__)
    return tfa_flows.add_tfa(
        _client(profile), userid, type, description, secret, sink, password
    )


def update(  # pylint: disable=redefined-builtin
    userid, id, description=None, enable=None, password=None, profile=None
):
    """
    Change the ``description`` or ``enable`` of entry ``id`` of ``userid`` (a disabled
    entry is not asked for at login). Recovery keys cannot be updated. Returns the entry.

    Requires ``Permissions.Modify`` on ``/access/users``, or being that user; callers
    other than ``root@pam`` give their own ``password``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tfa.update alice@pbs 5f0e1c2a-1b2c-4d5e-8f90-a1b2c3d4e5f6 enable=False
    """
    return tfa_flows.update_tfa(_client(profile), userid, id, description, enable, password)


def delete(userid, id, password=None, profile=None):  # pylint: disable=redefined-builtin
    """
    Remove entry ``id`` (``recovery`` for the recovery keys) of ``userid``, e.g. a lost
    phone. Returns True when it was removed, False when there was no such entry.

    Requires ``Permissions.Modify`` on ``/access/users``, or being that user; callers
    other than ``root@pam`` give their own ``password``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tfa.delete alice@pbs recovery
    """
    return tfa_flows.delete_tfa(_client(profile), userid, id, password)

