"""
Write-only secrets: when to send them again.

PBS never returns secrets (remote passwords, S3 secret keys, tokens ...), so a state cannot
compare them with the server. Instead a salted, keyed hash of the last value applied is kept
in the minion cache (``<cachedir>/saltext_pbs/secrets/``, directory mode 0700, files mode
0600), keyed by the profile URL, the kind, the object id and the property.

The hash is HMAC-SHA256 under a random key of this minion's own, kept beside the minion's
private key (``<pki_dir>/saltext_pbs_secrets.key``, mode 0600), not in the cache: a copy of
the cache alone gives nothing to guess passwords against. The HMAC costs microseconds, so a
run of a thousand secret-carrying states does not pay a slow key derivation per state. Where
``pki_dir`` cannot be written, records fall back to PBKDF2-SHA256 (60,000 iterations, about
13 ms per check); records written by that scheme, or by releases before the key existed,
are still read, and rewritten under the key when they match.

``update_secret`` policies:

``on_change`` (default)
    send the secret when it differs from the last one applied; an object adopted with no
    stored hash counts as changed once.
``always``
    send it on every run.
``on_create``
    send it only when the object is created.
"""

import hashlib
import hmac
import json
import logging
import os
import secrets as _random

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import files

log = logging.getLogger(__name__)

POLICIES = ("on_change", "always", "on_create")
KEY_FILE = "saltext_pbs_secrets.key"
_HMAC = "hmac-sha256"
_PBKDF2 = "pbkdf2-sha256"  # records without a "kdf" field are of this scheme
_ITERATIONS = 60000

# key file path -> key bytes, or None when that pki_dir cannot hold a key (per process)
_KEYS = {}


def check_policy(policy):
    """Validate an ``update_secret`` value."""
    if policy not in POLICIES:
        raise SaltInvocationError(
            f"Invalid value for 'update_secret': {policy!r} is not one of {', '.join(POLICIES)}"
        )
    return policy


def _dir(opts):
    return os.path.join(opts["cachedir"], "saltext_pbs", "secrets")


def _file(opts, url, kind, ident, prop):
    key = "\0".join(str(part) for part in (url, kind, ident, prop))
    return os.path.join(_dir(opts), hashlib.sha256(key.encode()).hexdigest())


def _read_key(path):
    with open(path, encoding="utf-8") as fh:
        key = bytes.fromhex(fh.read().strip())
    if len(key) < 32:
        raise ValueError("key file too short")
    return key


def _create_key(path):
    # Written whole under a name of its own, then linked into place: a concurrent run
    # either wins the link or reads the winner's complete key, never half a file.
    tmp = f"{path}.{_random.token_hex(8)}"
    files.write_private(tmp, _random.token_bytes(32).hex())
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)
    return _read_key(path)


def _key(opts):
    """This minion's hashing key, created on first use; None when there is no place for it."""
    pki_dir = opts.get("pki_dir")
    if not pki_dir:
        return None
    path = os.path.join(pki_dir, KEY_FILE)
    if path not in _KEYS:
        try:
            try:
                _KEYS[path] = _read_key(path)
            except FileNotFoundError:
                _KEYS[path] = _create_key(path)
        except (OSError, ValueError) as exc:
            log.warning(
                "pbs: cannot use %s (%s); secret hashes fall back to PBKDF2",
                path,
                exc.__class__.__name__,
            )
            _KEYS[path] = None
    return _KEYS[path]


def _digest(kdf, key, salt, value):
    data = str(value).encode()
    if kdf == _HMAC:
        return hmac.new(key, salt + data, hashlib.sha256).hexdigest()
    return hashlib.pbkdf2_hmac("sha256", data, salt, _ITERATIONS).hex()


def _record(opts, value):
    key = _key(opts)
    kdf = _HMAC if key is not None else _PBKDF2
    salt = _random.token_bytes(16)
    return {"kdf": kdf, "salt": salt.hex(), "hash": _digest(kdf, key, salt, value)}


def matches(opts, url, kind, ident, prop, value):
    """True/False when a hash is stored for this secret, None when nothing is stored."""
    path = _file(opts, url, kind, ident, prop)
    try:
        with open(path, encoding="utf-8") as fh:
            record = json.load(fh)
        kdf = record.get("kdf", _PBKDF2)
        key = _key(opts)
        if kdf not in (_HMAC, _PBKDF2) or (kdf == _HMAC and key is None):
            return None
        salt = bytes.fromhex(record["salt"])
        same = hmac.compare_digest(record["hash"], _digest(kdf, key, salt, value))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if same and kdf == _PBKDF2 and key is not None:
        remember(opts, url, kind, ident, prop, value)  # next time at HMAC speed
    return same


def known(opts, url, kind, ident, prop):
    """Whether a hash is stored for this secret."""
    return os.path.exists(_file(opts, url, kind, ident, prop))


def remember(opts, url, kind, ident, prop, value):
    """Store a salted, keyed hash of the value just applied (file mode 0600)."""
    # A temporary file of its own per writer: two runs in one process may store at once.
    # No disk flush: a record lost in a crash only makes the secret count as changed once.
    files.write_private(
        _file(opts, url, kind, ident, prop), json.dumps(_record(opts, value)), durable=False
    )


def forget(opts, url, kind, ident, prop):
    """Drop the stored hash (the secret was cleared or the object deleted)."""
    try:
        os.unlink(_file(opts, url, kind, ident, prop))
    except FileNotFoundError:
        pass


def needs_update(opts, url, kind, ident, prop, value, policy):
    """Whether an existing object's secret must be sent under ``policy``."""
    check_policy(policy)
    if policy == "always":
        return True
    if policy == "on_create":
        return False
    return matches(opts, url, kind, ident, prop, value) is not True
