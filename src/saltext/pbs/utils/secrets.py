"""
Write-only secrets: when to send them again.

PBS never returns secrets (remote passwords, S3 secret keys, tokens ...), so a state cannot
compare them with the server. Instead a salted hash of the last value applied is kept in the
minion cache (``<cachedir>/saltext_pbs/secrets/``, directory mode 0700, files mode 0600),
keyed by the profile URL, the kind, the object id and the property.

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
import os
import secrets as _random

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import files

POLICIES = ("on_change", "always", "on_create")
_ITERATIONS = 60000


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


def _digest(salt, value):
    return hashlib.pbkdf2_hmac("sha256", str(value).encode(), salt, _ITERATIONS).hex()


def matches(opts, url, kind, ident, prop, value):
    """True/False when a hash is stored for this secret, None when nothing is stored."""
    try:
        with open(_file(opts, url, kind, ident, prop), encoding="utf-8") as fh:
            record = json.load(fh)
        salt = bytes.fromhex(record["salt"])
        return hmac.compare_digest(record["hash"], _digest(salt, value))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def known(opts, url, kind, ident, prop):
    """Whether a hash is stored for this secret."""
    return os.path.exists(_file(opts, url, kind, ident, prop))


def remember(opts, url, kind, ident, prop, value):
    """Store a salted hash of the value just applied (file mode 0600)."""
    salt = _random.token_bytes(16)
    # a temporary file of its own per writer: two runs in one process may store at once
    files.write_private(
        _file(opts, url, kind, ident, prop),
        json.dumps({"salt": salt.hex(), "hash": _digest(salt, value)}),
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
