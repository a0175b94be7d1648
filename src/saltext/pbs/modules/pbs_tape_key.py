"""
Manage the tape encryption keys of Proxmox Backup Server
(``/config/tape-encryption-keys``).

PBS names a key by its fingerprint, which it computes when it creates the key; ``create``
returns it. A key's password is write-only: it is never returned, logged or shown. See
:py:func:`saltext.pbs.states.pbs_tape_key.present` for naming a key in a state by its
``hint``.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

import re

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client

__virtualname__ = "pbs_tape_key"
__func_alias__ = {"list_": "list"}

FINGERPRINT_RE = re.compile(r"^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){31}$")
MIN_PASSWORD = 5  # PBS: passwords of tape keys have at least 5 characters
KDFS = ("scrypt", "pbkdf2")
HINT_RE = re.compile(r"^[^\x00-\x1f\x7f]{1,64}$")


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def _check_fingerprint(value, field="fingerprint"):
    if not isinstance(value, str) or not FINGERPRINT_RE.match(value):
        raise SaltInvocationError(
            f"Invalid value for '{field}': expected a sha256 fingerprint (32 hex pairs"
            " separated by ':')"
        )
    return value.lower()


def _check_password(value, field="password"):
    if not isinstance(value, str) or len(value) < MIN_PASSWORD:
        raise SaltInvocationError(
            f"Invalid value for '{field}': a key password has at least {MIN_PASSWORD}"
            " characters"
        )
    return value


def _check_hint(value):
    if not isinstance(value, str) or not HINT_RE.match(value):
        raise SaltInvocationError(
            "Invalid value for 'hint': 1 to 64 characters on one line"
        )
    return value


def _kdf(kdf):
    if kdf is not None and kdf not in KDFS:
        raise SaltInvocationError(
            "Invalid value for 'kdf': expected scrypt or pbkdf2 (PBS refuses none here)"
        )
    return kdf


def _path(client, fingerprint):
    return client.path("/config/tape-encryption-keys/{fp}", fp=_check_fingerprint(fingerprint))


def list_(profile=None):
    """
    List the tape encryption keys (``fingerprint``, ``hint``, ``kdf``, ``created``,
    ``modified``); never the key or its password.

    Requires ``Tape.Audit`` on ``/tape/pool``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_key.list
    """
    return _client(profile).get("/config/tape-encryption-keys").data or []


def get(fingerprint, profile=None):
    """
    Return the key information of the key with ``fingerprint``, or ``None`` if there is
    no such key.

    Requires ``Tape.Audit`` on ``/tape/pool``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_key.get 'aa:bb:...'
    """
    client = _client(profile)
    response = client.get_or_none(_path(client, fingerprint))
    return None if response is None else response.data


def find(hint, profile=None):
    """
    Return the key whose ``hint`` is ``hint``, or ``None``; fails when several keys share
    the hint (name the key by fingerprint then).

    Requires ``Tape.Audit`` on ``/tape/pool``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_key.find 'vault key 2026'
    """
    matches = [k for k in list_(profile=profile) if k.get("hint") == hint]
    if len(matches) > 1:
        raise SaltInvocationError(
            f"Invalid value for 'hint': {len(matches)} keys have the hint {hint!r}; name the"
            " key by its fingerprint"
        )
    return matches[0] if matches else None


def create(password, hint=None, kdf=None, key=None, profile=None):
    """
    Create a new tape encryption key protected by ``password`` (at least 5 characters)
    with password ``hint``; returns its fingerprint. Keep the password: without it (or a
    paper key) PBS cannot restore the key from tape. ``key``: re-create a key from its
    exported key configuration (the JSON text of a paper key, 300 to 600 characters)
    instead; ``hint`` is optional then. ``kdf``: ``scrypt`` (PBS's default) or ``pbkdf2``.

    Requires ``Tape.Modify`` on ``/tape/pool``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_key.create password=secret-pass hint='vault key 2026'
    """
    data = {"password": _check_password(password)}
    if key is None:
        data["hint"] = _check_hint(hint)
    else:
        if not isinstance(key, str) or not 300 <= len(key) <= 600:
            raise SaltInvocationError(
                "Invalid value for 'key': the JSON text of an exported key (300 to 600"
                " characters)"
            )
        data["key"] = key
        if hint is not None:
            data["hint"] = _check_hint(hint)
    if _kdf(kdf):
        data["kdf"] = kdf
    return _client(profile).post("/config/tape-encryption-keys", data=data).data


def change_password(fingerprint, password=None, new_password=None, hint=None, kdf=None,
                    force=False, profile=None):
    """
    Change the password of the key with ``fingerprint`` from ``password`` to
    ``new_password``, with the new ``hint``. PBS re-encrypts the key with ``kdf`` and, when
    none is given, with ``scrypt``; this function keeps the key's current ``kdf`` instead
    unless ``kdf`` is given. ``force=True`` (``root@pam`` only) resets the password
    without the current one, from the copy of the key only root can read; ``password``
    must then be left out.

    Requires ``Tape.Modify`` on ``/tape/pool``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_key.change_password 'aa:bb:...' password=old-pass \\
            new_password=new-pass hint='vault key 2026'
    """
    client = _client(profile)
    path = _path(client, fingerprint)
    force = bool(force)
    if force and password is not None:
        raise SaltInvocationError("Invalid value for 'password': not allowed with force=True")
    data = {"new-password": _check_password(new_password, "new_password"),
            "hint": _check_hint(hint)}
    if not force:
        data["password"] = _check_password(password)
    else:
        data["force"] = True
    data["kdf"] = _kdf(kdf) or (client.get(path).data or {}).get("kdf") or "scrypt"
    client.put(path, data=data)
    return True


def delete(fingerprint, profile=None):
    """
    Delete the key with ``fingerprint``. Tapes encrypted with it cannot be read until the
    key is restored (:py:func:`pbs_tape_drive.restore_key
    <saltext.pbs.modules.pbs_tape_drive.restore_key>`).

    Requires ``Tape.Modify`` on ``/tape/pool``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_key.delete 'aa:bb:...'
    """
    client = _client(profile)
    client.delete(_path(client, fingerprint))
    return True
