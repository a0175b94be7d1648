"""Sync encryption keys (``/config/encryption-keys``): key material checks, sinks, reads.

Shared by the ``pbs_encryption_key`` execution and state modules. PBS facts (PBS
src/api2/config/encryption_keys.rs, pbs-config encryption_keys.rs, pbs-key-config lib.rs):

* There is no item GET: a key is found in the list (``include-archived=1`` to see all).
* Create generates a key, or imports ``key`` (a PBS key config as JSON text) which must be
  unprotected (``kdf`` null); the answer is the whole key config, key material included.
* ``POST /config/encryption-keys/{id}`` toggles archived/active; archiving is refused while
  a sync job has the key as ``active-encryption-key``.
* Delete needs an archived key and is refused while a sync job names it as active or
  associated key.

Key material never appears in a return, a message or a log: only its fingerprint.
"""

import base64
import binascii
import hashlib
import json
import os
import re

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import files
from saltext.pbs.utils.catalog import SAFE_ID_RE

PATH = "/config/encryption-keys"
# sha256(b"Proxmox Backup Encryption Key Fingerprint") (pbs-tools crypt_config.rs)
_FINGERPRINT_INPUT = hashlib.sha256(b"Proxmox Backup Encryption Key Fingerprint").digest()


def check_id(key_id):
    if not isinstance(key_id, str) or not 3 <= len(key_id) <= 32 or not re.fullmatch(SAFE_ID_RE, 
        key_id
    ):
        raise SaltInvocationError(
            f"Invalid value for 'id': {key_id!r} is not a key id (3 to 32 letters, digits,"
            " '_', '.', '-', starting with a letter or digit)"
        )
    return key_id


def fingerprint(raw_key):
    """The fingerprint PBS shows for a raw 32-byte key."""
    id_key = hashlib.pbkdf2_hmac("sha256", raw_key, b"_id_key", 10, 32)
    digest = hashlib.sha256(_FINGERPRINT_INPUT + id_key).digest()
    return ":".join(f"{b:02x}" for b in digest)


def _bad_key(field, reason):
    # never quote the value: it is key material
    return SaltInvocationError(f"Invalid value for '{field}': {reason}")


def parse_key(text, field="key"):
    """Check ``text`` is an unprotected PBS key config; return (text, fingerprint)."""
    if isinstance(text, dict):
        text = json.dumps(text)
    if not isinstance(text, str) or not text.strip():
        raise _bad_key(field, "expected a PBS key config (JSON text)")
    try:
        config = json.loads(text)
    except ValueError:
        raise _bad_key(field, "not a PBS key config (not JSON)") from None
    if not isinstance(config, dict) or "data" not in config:
        raise _bad_key(field, "not a PBS key config (no 'data')")
    if config.get("kdf") is not None:
        raise _bad_key(
            field, "a password-protected key; PBS imports only unprotected keys (kdf null)"
        )
    for stamp in ("created", "modified"):
        if not isinstance(config.get(stamp), str):
            raise _bad_key(field, f"not a PBS key config (no '{stamp}' time)")
    try:
        raw = base64.b64decode(config["data"], validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise _bad_key(field, "its 'data' is not base64") from None
    if len(raw) != 32:
        raise _bad_key(field, f"its key is {len(raw)} bytes, PBS keys have 32")
    actual = fingerprint(raw)
    if config.get("fingerprint") not in (None, actual):
        raise _bad_key(field, "its 'fingerprint' does not match its key")
    return text, actual


def read_source(key=None, key_file=None, opts=None, utils=None):
    """The key config text from ``key`` (text, or an ``sdb://`` URI) or ``key_file``."""
    if key is not None and key_file is not None:
        raise SaltInvocationError("Give either 'key' or 'key_file', not both")
    if key_file is not None:
        if not isinstance(key_file, str) or not os.path.isabs(key_file):
            raise SaltInvocationError(
                f"Invalid value for 'key_file': expected an absolute path, got {key_file!r}"
            )
        try:
            with open(key_file, encoding="utf-8") as fh:
                return parse_key(fh.read(), "key_file")
        except OSError as exc:
            raise SaltInvocationError(
                f"Invalid value for 'key_file': cannot read '{key_file}' ({exc.strerror})"
            ) from None
    if isinstance(key, str) and key.startswith("sdb://"):
        from salt.utils import sdb  # pylint: disable=import-outside-toplevel

        value = sdb.sdb_get(key, opts or {}, utils)
        if not value or value == key:
            raise SaltInvocationError(f"Invalid value for 'key': nothing is stored at {key}")
        return parse_key(value)
    if key is None:
        return None, None
    return parse_key(key)


def check_sink(secret_file=None, secret_sdb=None):
    if secret_file is not None and secret_sdb is not None:
        raise SaltInvocationError("Give either 'secret_file' or 'secret_sdb', not both")
    if secret_file is not None and (
        not isinstance(secret_file, str) or not os.path.isabs(secret_file)
    ):
        raise SaltInvocationError(
            f"Invalid value for 'secret_file': expected an absolute path, got {secret_file!r}"
        )
    if secret_sdb is not None and (
        not isinstance(secret_sdb, str) or not secret_sdb.startswith("sdb://")
    ):
        raise SaltInvocationError(
            f"Invalid value for 'secret_sdb': expected an 'sdb://<profile>/<key>' URI,"
            f" got {secret_sdb!r}"
        )
    return secret_file or secret_sdb


def deliver(key_id, config, secret_file=None, secret_sdb=None, opts=None, utils=None):
    """Store the key config PBS returned; return where it went (never the key)."""
    text = json.dumps(config, indent=2) + "\n"
    try:
        if secret_file is not None:
            files.write_private(secret_file, text)
            return secret_file
        from salt.utils import sdb  # pylint: disable=import-outside-toplevel

        if not sdb.sdb_set(secret_sdb, text, opts or {}, utils):
            raise CommandExecutionError("sdb refused the value")
        return secret_sdb
    except Exception as err:  # pylint: disable=broad-except
        reason = err.strerror if isinstance(err, OSError) else type(err).__name__
        raise CommandExecutionError(
            f"encryption key '{key_id}' was created on PBS but could not be written to"
            f" {secret_file or secret_sdb} ({reason}); PBS keeps it, but never shows the key"
            " again"
        ) from None


def list_keys(client, include_archived=True):
    return client.get_list(PATH, {"include-archived": True} if include_archived else None)


def find(client, key_id):
    for entry in list_keys(client):
        if entry.get("id") == key_id:
            return entry
    return None


def shown(entry):
    """A listed key as we return it (PBS's list carries no key material)."""
    out = dict(entry)
    out["archived"] = "archived-at" in entry
    return out


def jobs_using(client, key_id, include_associated=True):
    jobs = client.get_list("/config/sync", {"sync-direction": "all"})
    return sorted(
        job["id"]
        for job in jobs
        if job.get("active-encryption-key") == key_id
        or (include_associated and key_id in (job.get("associated-key") or []))
    )


def in_use_error(key_id, jobs, action):
    plural = "s" if len(jobs) > 1 else ""
    return CommandExecutionError(
        f"cannot {action} encryption key '{key_id}': it is in use by sync job{plural}"
        f" {', '.join(repr(j) for j in jobs)} (PBS refuses; set another"
        " active_encryption_key / remove it from associated_key first)"
    )


def item_path(client, key_id):
    return client.path(PATH + "/{id}", id=key_id)
