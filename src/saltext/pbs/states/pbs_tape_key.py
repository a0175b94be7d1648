"""
Manage Proxmox Backup Server tape encryption keys declaratively.

PBS names a key by its fingerprint, which it computes when it creates the key, so a state
cannot choose it. A state names a key by its password hint instead: ``name`` is the hint,
and the key is the one key with that hint (two keys with the same hint make the state fail
and ask for ``fingerprint``). Once the key exists, ``fingerprint`` may pin it, so that a
changed ``name`` changes the key's hint rather than creating a second key.

The password is write-only: shown as ``<hidden>``, never logged. PBS cannot say which
password a key has, so ``update_secret`` decides when it is sent again (by a salted hash of
the last password applied, kept in the minion cache); sending it means PBS re-encrypts the
key, which needs the password the key has now: the same ``password`` (an adopted key,
checked that way) or, when the password changes, ``current_password``.

A media pool of the same run refers to the key by its hint with ``encrypt_key`` (see
:py:func:`saltext.pbs.states.pbs_media_pool.present`); the pool state looks the
fingerprint up when it runs, after the key state it requires.

.. code-block:: sls

    vault-key:
      pbs_tape_key.present:
        - name: vault key 2026
        - password: {{ pillar['tape']['key_password'] | yaml_encode }}

    weekly-encrypted:
      pbs_media_pool.present:
        - name: weekly
        - encrypt_key: vault key 2026
        - require:
          - pbs_tape_key: vault-key

    old-key:
      pbs_tape_key.absent:
        - name: vault key 2019
"""

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import secrets
from saltext.pbs.utils.catalog import HIDDEN

__virtualname__ = "pbs_tape_key"

_KIND = "tape_key"
_SHOWN = ("fingerprint", "hint", "kdf")


def __virtual__():
    if "pbs_tape_key.get" not in __salt__:
        return False, "the pbs_tape_key execution module is not available"
    return __virtualname__


def _ret(name):
    return {"name": name, "result": True, "changes": {}, "comment": ""}


def _fail(ret, exc):
    return {**ret, "result": False, "changes": {}, "comment": str(exc)}


def _lookup(name, fingerprint, profile):
    """The key the state names: by ``fingerprint`` when given, else the one with hint
    ``name``; ``None`` when there is none."""
    if fingerprint is not None:
        key = __salt__["pbs_tape_key.get"](fingerprint, profile=profile)
        if key is None:
            raise SaltInvocationError(
                f"Invalid value for 'fingerprint': no tape encryption key has the fingerprint"
                f" {fingerprint} (PBS computes a new key's fingerprint, so a state cannot"
                " create one with a given fingerprint; leave it out to create the key)"
            )
        return key
    return __salt__["pbs_tape_key.find"](name, profile=profile)


def _shown(key):
    return {k: key[k] for k in _SHOWN if key.get(k) is not None}


def present(
    name,
    password=None,
    fingerprint=None,
    kdf=None,
    current_password=None,
    profile=None,
    update_secret="on_change",
):
    """
    Ensure a tape encryption key with password hint ``name`` exists, protected by
    ``password``.

    name
        The key's password hint (1 to 64 characters on one line): names the key in the
        state and is what PBS shows when it asks for the password.

    password
        The key's password (at least 5 characters), from pillar or sdb. Required to create
        the key and to change its hint or ``kdf``. Never shown.

    fingerprint
        The key's fingerprint (32 hex pairs separated by ``:``), to pin an existing key;
        with it a different ``name`` changes the key's hint.

    kdf
        ``scrypt`` or ``pbkdf2``: how the password protects the key. PBS's default
        ``scrypt`` when the key is created; left as it is otherwise unless given.

    current_password
        The password the key has now, when ``password`` is a new one. Never shown.

    update_secret
        ``on_change`` (default): send ``password`` when it differs from the last one
        applied (an adopted key counts as changed once: PBS checks the password then);
        ``always``; ``on_create``: only when the key is created.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    Requires ``Tape.Audit`` on ``/tape/pool`` to read the keys and ``Tape.Modify`` on
    ``/tape/pool`` to create a key or change its password.

    .. code-block:: sls

        vault-key:
          pbs_tape_key.present:
            - name: vault key 2026
            - password: {{ pillar['tape']['key_password'] | yaml_encode }}
    """
    ret = _ret(name)
    try:
        secrets.check_policy(update_secret)
        client = pbs_client.client_from_loader(__opts__, __context__, __salt__, profile)
        key = _lookup(name, fingerprint, profile)
        if key is None:
            return _create(ret, client, name, password, kdf, profile)
        return _update(ret, client, key, name, password, kdf, current_password, profile,
                       update_secret)
    except (CommandExecutionError, SaltInvocationError) as exc:
        return _fail(ret, exc)


def _create(ret, client, name, password, kdf, profile):
    if password is None:
        raise SaltInvocationError(
            f"Invalid value for 'password': no tape encryption key has the hint {name!r},"
            " and creating one needs a password"
        )
    new = {"hint": name, "kdf": kdf or "scrypt", "password": HIDDEN}
    ret["changes"] = {"old": None, "new": new}
    if __opts__["test"]:
        ret["result"] = None
        ret["comment"] = f"Tape encryption key {name!r} would be created"
        return ret
    fingerprint = __salt__["pbs_tape_key.create"](password, hint=name, kdf=kdf, profile=profile)
    secrets.remember(__opts__, client.url, _KIND, fingerprint, "password", password)
    new["fingerprint"] = fingerprint
    ret["comment"] = f"Tape encryption key {name!r} created with fingerprint {fingerprint}"
    return ret


def _update(ret, client, key, name, password, kdf, current_password, profile, policy):
    fingerprint = key["fingerprint"]
    changes = {}
    if key.get("hint") != name:
        changes["hint"] = {"old": key.get("hint"), "new": name}
    if kdf is not None and key.get("kdf") != kdf:
        changes["kdf"] = {"old": key.get("kdf"), "new": kdf}
    if password is not None and secrets.needs_update(
        __opts__, client.url, _KIND, fingerprint, "password", password, policy
    ):
        changes["password"] = {"old": HIDDEN, "new": HIDDEN}
    label = f"Tape encryption key {name!r} ({fingerprint})"
    if not changes:
        ret["comment"] = f"{label} is in the desired state"
        return ret
    if password is None:
        raise SaltInvocationError(
            f"Invalid value for 'password': {label} needs its password to change"
            f" {' and '.join(sorted(changes))}"
        )
    ret["changes"] = changes
    if __opts__["test"]:
        ret["result"] = None
        ret["comment"] = f"{label} would be updated: {', '.join(sorted(changes))}"
        return ret
    try:
        __salt__["pbs_tape_key.change_password"](
            fingerprint,
            password=current_password if current_password is not None else password,
            new_password=password,
            hint=name,
            kdf=kdf,
            profile=profile,
        )
    except CommandExecutionError as exc:
        hint = "" if current_password is not None else (
            "; when the password changes, give the one the key has now as current_password"
        )
        raise CommandExecutionError(f"{label} was not changed: {exc}{hint}") from None
    secrets.remember(__opts__, client.url, _KIND, fingerprint, "password", password)
    ret["comment"] = f"{label} updated: {', '.join(sorted(changes))}"
    return ret


def absent(name, fingerprint=None, profile=None):
    """
    Ensure no tape encryption key with password hint ``name`` (or, when given, with
    ``fingerprint``) exists. Tapes written with the key cannot be read until it is restored
    from tape (:py:func:`saltext.pbs.modules.pbs_tape_drive.restore_key`) or a paper key.

    name
        The key's password hint.

    fingerprint
        The key's fingerprint, when several keys share the hint.

    profile
        Connection profile name or dict.

    Requires ``Tape.Audit`` on ``/tape/pool`` to read the keys and ``Tape.Modify`` on
    ``/tape/pool`` to delete one.

    .. code-block:: yaml

        old-key:
          pbs_tape_key.absent:
            - name: vault key 2019
    """
    ret = _ret(name)
    try:
        client = pbs_client.client_from_loader(__opts__, __context__, __salt__, profile)
        if fingerprint is not None:
            key = __salt__["pbs_tape_key.get"](fingerprint, profile=profile)
        else:
            key = __salt__["pbs_tape_key.find"](name, profile=profile)
        if key is None:
            ret["comment"] = f"No tape encryption key {name!r} exists"
            return ret
        ret["changes"] = {"old": _shown(key), "new": None}
        label = f"Tape encryption key {name!r} ({key['fingerprint']})"
        if __opts__["test"]:
            ret["result"] = None
            ret["comment"] = f"{label} would be deleted"
            return ret
        __salt__["pbs_tape_key.delete"](key["fingerprint"], profile=profile)
        secrets.forget(__opts__, client.url, _KIND, key["fingerprint"], "password")
    except (CommandExecutionError, SaltInvocationError) as exc:
        return _fail(ret, exc)
    ret["comment"] = f"{label} deleted"
    return ret
