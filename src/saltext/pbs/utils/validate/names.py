"""
Names and identifiers: safe IDs, user IDs, auth/token IDs, fingerprints, comments and
lower-case UUIDs.
"""

from saltext.pbs.utils.validate._common import _as_check
from saltext.pbs.utils.validate._common import _HEX
from saltext.pbs.utils.validate._common import _Invalid
from saltext.pbs.utils.validate._common import _is_control
from saltext.pbs.utils.validate._common import _require_str
from saltext.pbs.utils.validate._common import _SAFE_ID_FIRST
from saltext.pbs.utils.validate._common import _SAFE_ID_REST
from saltext.pbs.utils.validate._common import _show


def _safe_id(value, min_len=1, max_len=None, what=None):
    prefix = f"{what} " if what else ""
    _require_str(value)
    if not value:
        raise _Invalid(f"{prefix}must not be empty")
    if len(value) < min_len:
        raise _Invalid(f"{prefix}must be at least {min_len} characters long")
    if max_len is not None and len(value) > max_len:
        raise _Invalid(f"{prefix}may be at most {max_len} characters long")
    if value[0] not in _SAFE_ID_FIRST:
        raise _Invalid(f"{prefix}must start with a letter, a digit or '_', not {value[0]!r}")
    for char in value[1:]:
        if char not in _SAFE_ID_REST:
            raise _Invalid(
                f"{prefix}contains {char!r}; allowed are letters, digits, '_', '.' and '-'"
            )


def check_safe_id(value, min_len=1, max_len=None):
    """
    Check a PBS ``SAFE_ID``: an ASCII letter, digit or ``_``, then letters, digits, ``_``,
    ``.`` or ``-``, with ``min_len <= len <= max_len`` (datastores, jobs, remotes: 3-32;
    notification endpoints and realms: 2-32).
    """
    return _as_check(_safe_id, value, min_len, max_len)


def _user_name(name):
    if not name:
        raise _Invalid("user name part before '@' is empty")
    for char in name:
        if char.isspace() or char in ":/" or _is_control(char):
            raise _Invalid(
                f"user name contains {char!r}; whitespace, ':', '/' and control "
                "characters are not allowed"
            )


def _user_part(value):
    """``name@realm``; the realm starts after the *last* ``@``."""
    name, at, realm = value.rpartition("@")
    if not at:
        raise _Invalid(f"{_show(value)} is not of the form 'name@realm'")
    _user_name(name)
    _safe_id(realm, 2, 32, what="realm")


def _length(value, min_len, max_len):
    if len(value) < min_len:
        raise _Invalid(f"must be at least {min_len} characters long")
    if len(value) > max_len:
        raise _Invalid(f"may be at most {max_len} characters long")


def _userid(value):
    _require_str(value)
    _length(value, 3, 64)
    _user_part(value)


def _split_authid(value):
    """Return ``(user, token)``; ``token`` is None for a plain user id."""
    at = value.rfind("@")
    bang = value.rfind("!")
    if at == -1 or bang < at:
        return value, None
    return value[:bang], value[bang + 1 :]


def _authid(value, need_token=False):
    _require_str(value)
    _length(value, 3, 64)
    user, token = _split_authid(value)
    if token is None and need_token:
        raise _Invalid(f"{_show(value)} is not of the form 'user@realm!tokenname'")
    _user_part(user)
    if token is not None:
        if not token:
            raise _Invalid("token name after '!' is empty")
        _safe_id(token, what="token name")


def check_userid(value):
    """Check a user id ``name@realm`` (3-64 characters, realm after the last ``@``)."""
    return _as_check(_userid, value)


def check_authid(value):
    """Check an auth id: a user id or a token id ``name@realm!tokenname``."""
    return _as_check(_authid, value)


def check_tokenid(value):
    """Check an API token id ``name@realm!tokenname``."""
    return _as_check(_authid, value, True)


def _fingerprint(value):
    _require_str(value)
    pairs = value.split(":")
    for pair in pairs:
        if len(pair) != 2 or pair[0] not in _HEX or pair[1] not in _HEX:
            raise _Invalid(
                f"{_show(pair)} is not a hex byte; expected 32 colon-separated pairs "
                "like 'ab:01:...'"
            )
    if len(pairs) != 32:
        raise _Invalid(f"has {len(pairs)} hex byte pairs, a SHA-256 fingerprint has 32")


def check_fingerprint(value):
    """Check a SHA-256 fingerprint: 32 colon-separated hex pairs, either case."""
    return _as_check(_fingerprint, value)


def _comment(value):
    _require_str(value)
    if len(value) > 128:
        raise _Invalid("may be at most 128 characters long")
    for char in value:
        if _is_control(char):
            raise _Invalid(f"must not contain control characters (found U+{ord(char):04X})")


def check_comment(value):
    """Check a comment: at most 128 characters, no control characters."""
    return _as_check(_comment, value)


_UUID_GROUPS = (8, 4, 4, 4, 12)


def _uuid_lower(value):
    _require_str(value)
    groups = value.split("-")
    shape_ok = len(groups) == len(_UUID_GROUPS) and all(
        len(group) == size and all(char in _HEX for char in group)
        for group, size in zip(groups, _UUID_GROUPS)
    )
    if not shape_ok:
        raise _Invalid(
            f"{_show(value, 40)} is not a UUID like '01234567-89ab-cdef-0123-456789abcdef'"
        )
    if value != value.lower():
        raise _Invalid("UUID must be written in lower case")


def check_uuid_lower(value):
    """Check a lower-case UUID (``backing-device`` of a removable datastore)."""
    return _as_check(_uuid_lower, value)
