"""
Manage the encryption keys Proxmox Backup Server uses for encrypted sync (push sync jobs
name one as ``active_encryption_key``; older keys stay ``associated_key``).

A key is created on PBS (generated, or imported from a PBS key config: an unprotected key
file such as ``proxmox-backup-client key create --kdf none`` writes). Key material is
write-only here: it is read from a file, pillar or sdb, and a generated key goes only to
the sink the caller names (``secret_file``, written 0600, or ``secret_sdb``). Returns and
messages show the key's fingerprint, never the key.

PBS has no update for a key: it is active or archived (an archived key no longer encrypts
new snapshots). Only an archived key can be deleted, and PBS refuses to archive a key a
sync job uses as its active key, or to delete one any sync job names.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils.flows import encryption_keys as keys

__virtualname__ = "pbs_encryption_key"
__func_alias__ = {"list_": "list"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(include_archived=False, profile=None):
    """
    List the encryption keys (``id``, ``fingerprint``, ``kdf``, ``created``, ``modified``,
    ``path``, ``archived`` and ``archived-at`` when archived); archived keys only with
    ``include_archived=True``. Never key material.

    Requires ``Sys.Audit`` on ``/system/encryption-keys/{id}`` to see a key.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_encryption_key.list include_archived=True
    """
    client = _client(profile)
    return [keys.shown(e) for e in keys.list_keys(client, include_archived=bool(include_archived))]


def get(name, profile=None):
    """
    Return key ``name`` (archived or not) as :py:func:`list` shows it, or ``None``.

    Requires ``Sys.Audit`` on ``/system/encryption-keys/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_encryption_key.get push-2026
    """
    entry = keys.find(_client(profile), keys.check_id(name))
    return None if entry is None else keys.shown(entry)


def create(name, key=None, key_file=None, secret_file=None, secret_sdb=None, profile=None):
    """
    Create key ``name``. With ``key`` (a PBS key config as JSON text, or an ``sdb://`` URI
    holding one; from pillar) or ``key_file`` (its path on the minion), PBS imports that
    key; the key must be unprotected (``kdf`` null). Without them PBS generates a key, and
    its key config is written to ``secret_file`` (0600) or ``secret_sdb``: one of them is
    required then, or the key could never be read back.

    Returns the key as :py:func:`get` shows it, plus ``key_written_to``.

    Requires ``Sys.Modify`` on ``/system/encryption-keys``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_encryption_key.create push-2026 secret_file=/root/pbs-push-2026.key
        salt-call pbs_encryption_key.create push-old key_file=/root/old.key
    """
    keys.check_id(name)
    text, _ = keys.read_source(key, key_file, __opts__, __utils__)
    sink = keys.check_sink(secret_file, secret_sdb)
    if text is None and sink is None:
        raise keys.SaltInvocationError(
            "a generated key needs 'secret_file' or 'secret_sdb': PBS shows its key only once"
        )
    client = _client(profile)
    data = {"id": name}
    if text is not None:
        data["key"] = text
    config = client.post(keys.PATH, data).data
    written = None
    if sink is not None:
        written = keys.deliver(name, config, secret_file, secret_sdb, __opts__, __utils__)
    out = get(name, profile=profile) or {"id": name}
    out["key_written_to"] = written
    return out


def _toggle(name, archive, profile):
    keys.check_id(name)
    client = _client(profile)
    entry = keys.find(client, name)
    if entry is None:
        raise keys.CommandExecutionError(f"no encryption key '{name}' on PBS")
    if ("archived-at" in entry) != archive:
        if archive:
            jobs = keys.jobs_using(client, name, include_associated=False)
            if jobs:
                raise keys.in_use_error(name, jobs, "archive")
        client.post(keys.item_path(client, name))
    return keys.shown(keys.find(client, name) or entry)


def archive(name, profile=None):
    """
    Archive key ``name``: it no longer encrypts new snapshots (PBS refuses while a sync job
    has it as ``active-encryption-key``). Archiving an archived key changes nothing.
    Returns the key.

    Requires ``Sys.Modify`` on ``/system/encryption-keys/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_encryption_key.archive push-2025
    """
    return _toggle(name, True, profile)


def unarchive(name, profile=None):
    """
    Make archived key ``name`` active again. Returns the key.

    Requires ``Sys.Modify`` on ``/system/encryption-keys/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_encryption_key.unarchive push-2025
    """
    return _toggle(name, False, profile)


def delete(name, profile=None):
    """
    Delete key ``name``. PBS deletes only archived keys (archive it first) and refuses while
    any sync job names the key as active or associated key; both are said before any
    change. Snapshots encrypted with it cannot be read without a copy of the key. Returns
    True (also when there was no such key).

    Requires ``Sys.Modify`` on ``/system/encryption-keys/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_encryption_key.delete push-2025
    """
    keys.check_id(name)
    client = _client(profile)
    jobs = keys.jobs_using(client, name)
    if jobs:
        raise keys.in_use_error(name, jobs, "delete")
    client.delete(keys.item_path(client, name))
    return True
