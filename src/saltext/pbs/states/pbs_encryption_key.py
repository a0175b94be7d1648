"""
Manage the encryption keys Proxmox Backup Server uses for encrypted (push) sync.

A key that exists is never re-created: PBS cannot change a key's material. When ``key`` or
``key_file`` is given, the state compares its fingerprint with the key PBS has and fails
when they differ. Key material never appears in state output.

.. code-block:: yaml

    push-2026:
      pbs_encryption_key.present:
        - secret_file: /root/pbs-push-2026.key   # a generated key is written here once

    offsite-push:
      pbs_sync_job.present:
        - store: store1
        - remote: offsite
        - remote_store: store1
        - sync_direction: push
        - active_encryption_key: push-2026
        - require:
          - pbs_encryption_key: push-2026

    push-2024:
      pbs_encryption_key.absent
"""

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import secrets
from saltext.pbs.utils.flows import encryption_keys as keys

__virtualname__ = "pbs_encryption_key"


def __virtual__():
    if "pbs_encryption_key.get" not in __salt__:
        return False, "the pbs_encryption_key execution module is not available"
    return __virtualname__


def _ret(name):
    return {"name": name, "result": True, "changes": {}, "comment": ""}


def _fail(ret, exc):
    return {**ret, "result": False, "changes": {}, "comment": str(exc)}


def present(
    name,
    key=None,
    key_file=None,
    secret_file=None,
    secret_sdb=None,
    archived=None,
    profile=None,
    update_secret="on_change",
):
    """
    Ensure encryption key ``name`` exists (and, when ``archived`` is given, is archived or
    active).

    name
        Key id (3 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    key / key_file
        A PBS key config (unprotected) to import, as JSON text from pillar or an
        ``sdb://`` URI, or a path on the minion. Without either, PBS generates the key.

    secret_file / secret_sdb
        Where a generated key's config is written (0600 file or sdb), once. Required when
        PBS generates the key.

    archived
        ``True``: archived (no longer used to encrypt); ``False``: active; unset: either.

    profile
        Connection profile name or dict.

    update_secret
        Accepted for uniformity with other states: key material is sent only when the key
        is created (PBS cannot replace it), whatever the policy.

    Requires ``Sys.Audit`` and ``Sys.Modify`` on ``/system/encryption-keys/{name}``.

    .. code-block:: yaml

        push-2026:
          pbs_encryption_key.present:
            - secret_file: /root/pbs-push-2026.key

        push-imported:
          pbs_encryption_key.present:
            - key: sdb://vault/pbs/push-key   # a PBS key config kept in sdb

        push-2025:
          pbs_encryption_key.present:
            - archived: true
    """
    ret = _ret(name)
    try:
        keys.check_id(name)
        secrets.check_policy(update_secret)
        text, wanted = keys.read_source(key, key_file, __opts__, __utils__)
        keys.check_sink(secret_file, secret_sdb)
        if archived is not None and not isinstance(archived, bool):
            raise SaltInvocationError("Invalid value for 'archived': expected true or false")
        client = pbs_client.client_from_loader(__opts__, __context__, __salt__, profile)
        entry = keys.find(client, name)
        if entry is None:
            if text is None and secret_file is None and secret_sdb is None:
                raise SaltInvocationError(
                    "a generated key needs 'secret_file' or 'secret_sdb': PBS shows its key"
                    " only once"
                )
            ret["changes"] = {"key": {"old": None, "new": "<hidden>"}}
            if archived:
                ret["changes"]["archived"] = {"old": None, "new": True}
            if __opts__["test"]:
                ret["result"] = None
                ret["comment"] = f"Encryption key '{name}' would be created"
                return ret
            made = __salt__["pbs_encryption_key.create"](
                name, key=text, secret_file=secret_file, secret_sdb=secret_sdb, profile=profile
            )
            if made.get("fingerprint"):
                ret["changes"]["fingerprint"] = {"old": None, "new": made["fingerprint"]}
            if archived:
                __salt__["pbs_encryption_key.archive"](name, profile=profile)
            where = f"; its key config was written to {made['key_written_to']}" if made.get(
                "key_written_to"
            ) else ""
            ret["comment"] = f"Encryption key '{name}' was created{where}"
            return ret
        if wanted is not None and entry.get("fingerprint") not in (None, wanted):
            raise CommandExecutionError(
                f"encryption key '{name}' exists with fingerprint {entry['fingerprint']},"
                f" the key given has {wanted}; PBS cannot replace a key's material (use a"
                " new id)"
            )
        is_archived = "archived-at" in entry
        if archived is None or archived == is_archived:
            ret["comment"] = f"Encryption key '{name}' is present"
            return ret
        ret["changes"] = {"archived": {"old": is_archived, "new": archived}}
        if __opts__["test"]:
            ret["result"] = None
            ret["comment"] = f"Encryption key '{name}' would be {'archived' if archived else 'made active'}"
            return ret
        if archived:
            jobs = keys.jobs_using(client, name, include_associated=False)
            if jobs:
                raise keys.in_use_error(name, jobs, "archive")
            __salt__["pbs_encryption_key.archive"](name, profile=profile)
        else:
            __salt__["pbs_encryption_key.unarchive"](name, profile=profile)
    except (CommandExecutionError, SaltInvocationError) as exc:
        return _fail(ret, exc)
    ret["comment"] = f"Encryption key '{name}' was {'archived' if archived else 'made active'}"
    return ret


def absent(name, profile=None):
    """
    Ensure encryption key ``name`` does not exist: an active key is archived, then deleted.
    Fails, changing nothing, while a sync job names the key (as active or associated key):
    PBS refuses to delete it then.

    name
        Key id.

    profile
        Connection profile name or dict.

    Requires ``Sys.Audit`` and ``Sys.Modify`` on ``/system/encryption-keys/{name}``.

    .. code-block:: yaml

        push-2024:
          pbs_encryption_key.absent
    """
    ret = _ret(name)
    try:
        keys.check_id(name)
        client = pbs_client.client_from_loader(__opts__, __context__, __salt__, profile)
        entry = keys.find(client, name)
        if entry is None:
            ret["comment"] = f"Encryption key '{name}' is already absent"
            return ret
        jobs = keys.jobs_using(client, name)
        if jobs:
            raise keys.in_use_error(name, jobs, "delete")
        ret["changes"] = {"key": {"old": entry.get("fingerprint") or "<hidden>", "new": None}}
        if __opts__["test"]:
            ret["result"] = None
            ret["comment"] = f"Encryption key '{name}' would be deleted"
            return ret
        if "archived-at" not in entry:
            client.post(keys.item_path(client, name))
        client.delete(keys.item_path(client, name))
    except (CommandExecutionError, SaltInvocationError) as exc:
        return _fail(ret, exc)
    ret["comment"] = f"Encryption key '{name}' was deleted"
    return ret
