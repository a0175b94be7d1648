"""
Client-side checks and conversions for the value formats of the PBS API.

Everything here is a pure function: no Salt loader, no network. The ``check_*`` functions
return ``None`` when a value is acceptable and otherwise a short reason meant to be shown
after the property name (``property 'gc_schedule': hour 25 out of range 0-23``).

The grammars follow what Proxmox Backup Server accepts. Where PBS's own parser accepts an
input only by re-reading it in a surprising way, these checks are deliberately stricter and
report the likely mistake instead:

* ``25:00`` is read by PBS as *minute* 25, *second* 0 (the hour part is dropped when it does
  not parse); here it is ``hour 25 out of range 0-23``. The same applies to any hour, range
  or step that is out of range in front of a ``:``.
* Month 0 and day 0 parse in PBS but can never fire; here they are out of range.
* A repetition step of 0 (``5/0``) is rejected; PBS rejects it after ``*`` and treats it as
  a single value otherwise.
* HumanByte: ``inf``/``nan``, ``-0``, a bare ``i`` unit and whitespace around the value
  are rejected.
* A key given twice in a property string is an error (PBS rejects duplicate fields too).
"""

import base64
import binascii
import re
from decimal import ROUND_HALF_UP
from decimal import Decimal

__all__ = [
    "check_acl_path",
    "check_authid",
    "check_calendar_event",
    "check_comment",
    "check_daily_duration",
    "check_fingerprint",
    "check_namespace",
    "check_safe_id",
    "check_tokenid",
    "check_userid",
    "check_uuid_lower",
    "decode_webhook_pair",
    "encode_webhook_pair",
    "format_property_string",
    "human_byte_to_bytes",
    "normalize_human_byte",
    "parse_property_string",
]

_ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"
_HEX = "0123456789abcdefABCDEF"
_SAFE_ID_FIRST = frozenset(_ASCII_LETTERS + _DIGITS + "_")
_SAFE_ID_REST = frozenset(_ASCII_LETTERS + _DIGITS + "_.-")
_BLANKS = " \t"


class _Invalid(Exception):
    """Internal: carries the reason text out of the parsers."""


def _is_control(char):
    # PBS patterns use the ASCII [:cntrl:] class: 0x00-0x1f and 0x7f
    return ord(char) < 0x20 or ord(char) == 0x7F


def _show(text, limit=20):
    """Quote a piece of user input for a reason text, shortened when long."""
    if len(text) > limit:
        text = text[:limit] + "..."
    return repr(text)


def _require_str(value):
    if not isinstance(value, str):
        raise _Invalid(f"must be a string, not {type(value).__name__}")


def _require_text(value, what):
    """A non-empty string without leading whitespace (schedules, durations)."""
    _require_str(value)
    if not value:
        raise _Invalid(f"empty {what}")
    if value[0].isspace():
        raise _Invalid("leading whitespace is not allowed")


def _as_check(func, value, *args):
    try:
        func(value, *args)
    except _Invalid as exc:
        return str(exc)
    return None


# --------------------------------------------------------------------------- names


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


_MAX_NS_DEPTH = 7


def _namespace(value):
    _require_str(value)
    if value == "":
        return
    if len(value) > 256:
        raise _Invalid("may be at most 256 characters long")
    if value.startswith("/") or value.endswith("/"):
        raise _Invalid("must not start or end with '/' (the root namespace is '')")
    parts = value.split("/")
    for part in parts:
        if not part:
            raise _Invalid("contains an empty component ('//')")
        _safe_id(part, what=f"component {part!r}")
    if len(parts) > _MAX_NS_DEPTH:
        raise _Invalid(f"has {len(parts)} levels, at most {_MAX_NS_DEPTH} are allowed")


def check_namespace(value):
    """Check a namespace path ``a/b/c``: at most 7 SAFE_ID components, 256 characters."""
    return _as_check(_namespace, value)


# Children of /system that are leaves; the other children have their own rules below.
_SYSTEM_LEAVES = frozenset(
    ["certificates", "disks", "log", "notifications", "status", "tasks", "time"]
)
_SYSTEM_WITH_ID = frozenset(["services", "s3-endpoint", "encryption-keys"])
_TAPE_WITH_ID = frozenset(["device", "pool", "job"])
_ACCESS_LEAVES = frozenset(["acl", "users", "domains"])
_ACL_ROOTS = ("access", "datastore", "remote", "system", "tape")


def _acl_path_known(parts):
    """Whether PBS allows ACL entries on this path (split into components)."""
    depth = len(parts)
    if depth == 0:
        return True
    root = parts[0]
    if depth == 1:
        return root in _ACL_ROOTS
    second = parts[1]
    if root == "datastore":
        # /datastore/{store}/{ns1}/.../{ns7}
        return depth <= 2 + _MAX_NS_DEPTH
    if root == "remote":
        # /remote/{remote}/{store}/{ns1}/.../{ns7}
        return depth <= 3 + _MAX_NS_DEPTH
    if root == "access":
        return (second in _ACCESS_LEAVES and depth == 2) or (second == "openid" and depth <= 3)
    if root == "tape":
        return second in _TAPE_WITH_ID and depth <= 3
    if root == "system":
        if second in _SYSTEM_LEAVES:
            return depth == 2
        if second in _SYSTEM_WITH_ID:
            return depth <= 3
        if second == "network":
            if depth == 2:
                return True
            if parts[2] == "dns":
                return depth == 3
            return parts[2] == "interfaces" and depth <= 4
    return False


def _acl_path(value):
    _require_str(value)
    if len(value) > 128:
        raise _Invalid("may be at most 128 characters long")
    if value == "/":
        return
    if not value.startswith("/"):
        raise _Invalid("must start with '/'")
    if value.endswith("/"):
        raise _Invalid("must not end with '/'")
    parts = value[1:].split("/")
    for part in parts:
        if not part:
            raise _Invalid("contains an empty component ('//')")
        _safe_id(part, what=f"component {part!r}")
    if not _acl_path_known(parts):
        if parts[0] not in _ACL_ROOTS:
            raise _Invalid(
                f"'/{parts[0]}' is not an ACL root; use /, /access, /datastore, /remote, "
                "/system or /tape"
            )
        raise _Invalid(f"{_show(value, 60)} is not a path PBS accepts ACLs on")


def check_acl_path(value):
    """
    Check an ACL path: the syntax (``/`` or ``/SAFE_ID/...``, at most 128 characters) and
    that PBS accepts ACL entries there (``/access...``, ``/datastore[/{store}[/{ns}...]]``
    with up to 7 namespace levels, ``/remote...``, ``/system...``, ``/tape...``).
    """
    return _as_check(_acl_path, value)


# --------------------------------------------------------------------------- calendar events

_KEYWORDS = frozenset(
    [
        "minutely",
        "hourly",
        "daily",
        "weekly",
        "monthly",
        "yearly",
        "annually",
        "quarterly",
        "semiannually",
        "semi-annually",
    ]
)
_WEEKDAY_NAMES = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tuesday": 1,
    "wed": 2,
    "wednesday": 2,
    "thu": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}

# (field, lowest, highest value) as PBS's parser limits them
_YEAR = ("year", 0, 2199)
_MONTH = ("month", 1, 12)
_DAY = ("day", 1, 31)
_HOUR = ("hour", 0, 23)
_MINUTE = ("minute", 0, 59)
_SECOND = ("second", 0, 59)


def _take(text, pos, chars):
    end = pos
    while end < len(text) and text[end] in chars:
        end += 1
    return text[pos:end], end


def _skip_blanks(text, pos):
    return _take(text, pos, _BLANKS)[1]


def _unknown_weekday(word):
    lower = word.lower()
    if word in _KEYWORDS:
        return f"'{word}' must stand alone (optionally followed by ' UTC')"
    if lower in _KEYWORDS:
        return f"unknown weekday {word!r} (the keyword is written '{lower}', in lower case)"
    if lower == "utc":
        return f"unknown weekday {word!r} (the time zone is written 'UTC', at the end)"
    return f"unknown weekday {word!r}"


def _weekday(text, pos):
    word, end = _take(text, pos, _ASCII_LETTERS)
    if not word:
        raise _Invalid(f"expected a weekday at {_show(text[pos:])}")
    if word.lower() not in _WEEKDAY_NAMES:
        raise _Invalid(_unknown_weekday(word))
    return end


def _weekday_list(text, pos):
    """``mon``, ``mon..fri``, ``fri..mon`` (wraps), comma-separated; returns the new pos."""
    while True:
        pos = _weekday(text, pos)
        if text.startswith("..", pos):
            pos = _weekday(text, pos + 2)
        if not text.startswith(",", pos):
            return pos
        pos += 1


def _number(text, pos, after):
    digits, end = _take(text, pos, _DIGITS)
    if not digits:
        where = f" at {_show(text[pos:])}" if pos < len(text) else ""
        raise _Invalid(f"expected a number after {after!r}{where}")
    return int(digits), end


def _value_list(text, pos, after=None):
    """
    Read one component list syntactically: ``*``, ``*/STEP`` or ``ITEM[,ITEM...]`` with
    ``ITEM = N | N..M | N/STEP | N..M/STEP``. Returns ``(items, pos)``; each item is
    ``(start, end, step)`` with None for absent parts and start None for ``*``.
    """
    if text.startswith("*", pos):
        pos += 1
        if text.startswith("/", pos):
            step, pos = _number(text, pos + 1, "/")
            return [(None, None, step)], pos
        return [(None, None, None)], pos
    if pos >= len(text) or text[pos] not in _DIGITS:
        if after:
            where = f" at {_show(text[pos:])}" if pos < len(text) else ""
            raise _Invalid(f"expected a number or '*' after {after!r}{where}")
        raise _Invalid(f"cannot parse {_show(text[pos:])} (expected a weekday, date or time)")
    items = []
    while True:
        start, pos = _number(text, pos, ",")
        end = step = None
        if text.startswith("..", pos):
            end, pos = _number(text, pos + 2, "..")
        if text.startswith("/", pos):
            step, pos = _number(text, pos + 1, "/")
        items.append((start, end, step))
        if not text.startswith(",", pos):
            return items, pos
        pos += 1


def _check_values(items, limits):
    field, lowest, highest = limits
    for start, end, step in items:
        for value in (start, end):
            if value is not None and not lowest <= value <= highest:
                raise _Invalid(f"{field} {value} out of range {lowest}-{highest}")
        if start is not None and end is not None and start > end:
            raise _Invalid(f"{field} range {start}..{end} starts after it ends")
        if step is not None and not 1 <= step <= highest:
            raise _Invalid(f"{field} step {step} out of range 1-{highest}")


def _rest_reason(rest, where):
    if not rest.strip():
        return "trailing whitespace is not allowed"
    if where == "weekday" and rest.startswith("-"):
        return f"unexpected {_show(rest)}; weekday ranges are written 'mon..fri'"
    return f"unexpected {_show(rest)} after the {where}"


def _next_part(text, pos, previous):
    """Skip blanks after the weekdays or the date; None at the end, else where a date or
    time starts."""
    pos = _skip_blanks(text, pos)
    if pos == len(text):
        return None
    if text[pos] not in _DIGITS + "*":
        raise _Invalid(_rest_reason(text[pos:], previous))
    return pos


def _calendar_event(value):
    _require_text(value, "calendar event")
    text = value
    if text.endswith("UTC"):
        # PBS strips a trailing "UTC" and then any spaces before it
        text = text[:-3].rstrip(" ")
        if not text:
            raise _Invalid("'UTC' needs a date or time in front of it")
    if text in _KEYWORDS:
        return
    if text.rstrip() in _KEYWORDS:
        raise _Invalid("trailing whitespace is not allowed")
    pos = 0
    if text[0] in _ASCII_LETTERS:
        pos = _next_part(text, _weekday_list(text, 0), "weekday")
        if pos is None:
            return

    first, pos = _value_list(text, pos)
    if text.startswith("-", pos):
        second, pos = _value_list(text, pos + 1, "-")
        if text.startswith("-", pos):
            third, pos = _value_list(text, pos + 1, "-")
            _check_values(first, _YEAR)
            _check_values(second, _MONTH)
            _check_values(third, _DAY)
        else:
            _check_values(first, _MONTH)
            _check_values(second, _DAY)
        pos = _next_part(text, pos, "date")
        if pos is None:
            return
        first, pos = _value_list(text, pos)

    if text.startswith(":", pos):
        _check_values(first, _HOUR)
        minute, pos = _value_list(text, pos + 1, ":")
        _check_values(minute, _MINUTE)
        if text.startswith(":", pos):
            second, pos = _value_list(text, pos + 1, ":")
            _check_values(second, _SECOND)
    else:
        # a lone value is a minute: "0" = every hour at :00
        _check_values(first, _MINUTE)
    if pos != len(text):
        raise _Invalid(_rest_reason(text[pos:], "time"))


def check_calendar_event(value):
    """
    Check a PBS calendar event (``gc-schedule``, job ``schedule``, ...):
    ``[WEEKDAYS] [[YEAR-]MONTH-DAY] [HOUR:]MINUTE[:SECOND] [UTC]`` or one of the lower-case
    keywords (``daily``, ``hourly``, ...).
    """
    return _as_check(_calendar_event, value)


def _hm_time(text, pos, after):
    hour, pos = _number(text, pos, after)
    _check_values([(hour, None, None)], _HOUR)
    minute = 0
    if text.startswith(":", pos):
        minute, pos = _number(text, pos + 1, ":")
        _check_values([(minute, None, None)], _MINUTE)
    return (hour, minute), pos


def _daily_duration(value):
    _require_text(value, "daily duration")
    pos = 0
    if value[0] in _ASCII_LETTERS:
        pos = _skip_blanks(value, _weekday_list(value, 0))
        if pos == len(value):
            raise _Invalid("missing the time range after the weekdays, as in 'mon 8:00-17:30'")
    if value[pos] not in _DIGITS:
        if pos and value[pos] == "-":
            raise _Invalid(_rest_reason(value[pos:], "weekday"))
        raise _Invalid(f"expected a start time like '8:00' at {_show(value[pos:])}")
    start, pos = _hm_time(value, pos, "")
    pos = _skip_blanks(value, pos)
    if not value.startswith("-", pos):
        raise _Invalid("expected '-' between start and end time, as in '8:00-17:30'")
    end, pos = _hm_time(value, _skip_blanks(value, pos + 1), "-")
    if pos != len(value):
        raise _Invalid(_rest_reason(value[pos:], "end time"))
    if end < start:
        raise _Invalid(
            f"end time {end[0]}:{end[1]:02d} is before start time {start[0]}:{start[1]:02d}"
        )


def check_daily_duration(value):
    """
    Check a daily duration ``[WEEKDAYS] H[:MM]-H[:MM]`` (traffic-control ``timeframe``,
    notification matcher ``match-calendar``), e.g. ``mon..fri 8:00-17:30``.
    """
    return _as_check(_daily_duration, value)


# --------------------------------------------------------------------------- HumanByte

_UNITS = {
    "": ("B", 1),
    "k": ("KB", 10**3),
    "m": ("MB", 10**6),
    "g": ("GB", 10**9),
    "t": ("TB", 10**12),
    "p": ("PB", 10**15),
    "ki": ("KiB", 2**10),
    "mi": ("MiB", 2**20),
    "gi": ("GiB", 2**30),
    "ti": ("TiB", 2**40),
    "pi": ("PiB", 2**50),
}
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_UNIT_RE = re.compile(r"(?:[kKmMgGtTpP]i?)?[bB]?")


def _parse_human_byte(value):
    """Return ``(size: float, unit_key)``; raise ValueError with the reason."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"byte size must be a string or a number, not {type(value).__name__}")
    if not isinstance(value, str):
        value = repr(value)
    if not value:
        raise ValueError("byte size must not be empty")
    if len(value) > 64:
        raise ValueError("byte size may be at most 64 characters long")
    if value != value.strip():
        raise ValueError("byte size must not have leading or trailing whitespace")
    number = _NUMBER_RE.match(value)
    if not number:
        raise ValueError(f"byte size {_show(value)} does not start with a number")
    unit = value[number.end() :].lstrip()
    if not _UNIT_RE.fullmatch(unit):
        raise ValueError(
            f"unknown byte size unit {_show(unit)}; use B, KB, MB, GB, TB, PB or KiB ... PiB"
        )
    if number.group().startswith("-"):
        raise ValueError("byte size must not be negative")
    size = float(number.group())
    if size == float("inf"):
        raise ValueError("byte size is too large")
    key = unit[:-1] if unit[-1:] in ("b", "B") else unit
    return size, key.lower()


def _format_size(size):
    """Round to 3 decimals and print like PBS (shortest form, no exponent, no '.0')."""
    scaled = Decimal(size * 1000.0).to_integral_value(rounding=ROUND_HALF_UP)
    rounded = float(scaled) / 1000.0
    text = format(Decimal(repr(rounded)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def normalize_human_byte(value):
    """
    Return a byte size the way PBS stores it: ``<number> <unit>``.

    ``10M``, ``10MB`` and ``10 mb`` become ``10 MB``; ``2Ki`` becomes ``2 KiB``; ``1300``
    (or the integer 1300) becomes ``1300 B``; ``2.0GB`` becomes ``2 GB``; fractions are
    rounded to 3 decimals. Raises ValueError with the reason for anything else.
    """
    size, key = _parse_human_byte(value)
    return f"{_format_size(size)} {_UNITS[key][0]}"


def human_byte_to_bytes(value):
    """
    Return the number of bytes a byte size stands for, as an int, for comparing sizes
    written with different units (``1 KiB`` == ``1024``). The value is first rounded the
    way PBS stores it; a fraction of a byte is cut off. Raises ValueError like
    :func:`normalize_human_byte`.
    """
    size, key = _parse_human_byte(value)
    return int(Decimal(_format_size(size)) * _UNITS[key][1])


# --------------------------------------------------------------------------- property strings

_QUOTE_ESCAPES = {'"': '"', "\\": "\\", "n": "\n"}


def _read_quoted(text, pos):
    """Read a ``"..."`` value starting at ``pos``; return ``(value, pos after the quote)``."""
    out = []
    pos += 1
    while pos < len(text):
        char = text[pos]
        if char == '"':
            return "".join(out), pos + 1
        if char == "\\":
            escaped = text[pos + 1 : pos + 2]
            if not escaped:
                break
            if escaped not in _QUOTE_ESCAPES:
                raise ValueError(
                    "unsupported escape sequence in quoted value (only \\\", \\\\ and \\n)"
                )
            out.append(_QUOTE_ESCAPES[escaped])
            pos += 2
            continue
        out.append(char)
        pos += 1
    raise ValueError("quoted value is missing its closing '\"'")


def _property_items(text):
    """Yield ``(key or None, value)`` pairs of a property string."""
    pos = 0
    while pos < len(text):
        key = None
        if text[pos] != '"':
            comma = text.find(",", pos)
            equals = text.find("=", pos)
            if equals != -1 and (comma == -1 or equals < comma):
                key = text[pos:equals]
                pos = equals + 1
        if text.startswith('"', pos):
            value, pos = _read_quoted(text, pos)
            if pos < len(text):
                if text[pos] != ",":
                    raise ValueError("unexpected text after a quoted value")
                pos += 1
        else:
            comma = text.find(",", pos)
            end = len(text) if comma == -1 else comma
            value = text[pos:end]
            pos = end + 1
        yield key, value


def parse_property_string(text, default_key=None):
    """
    Parse a PBS property string (``chunk-order=none,sync-level=file``) into a dict, keeping
    the order of the keys. A value without ``key=`` belongs to ``default_key``
    (``read-only,message=x`` with ``default_key="type"``). Quoted values (``"a,b"`` with the
    escapes ``\\"``, ``\\\\`` and ``\\n``) are unquoted. Values stay strings. Raises
    ValueError with the reason; the reason never repeats a value (it may be a secret).
    """
    if not isinstance(text, str):
        raise ValueError(f"property string must be a string, not {type(text).__name__}")
    result = {}
    for key, value in _property_items(text):
        if key is None:
            if default_key is None:
                raise ValueError("every value needs a 'key=' prefix")
            key = default_key
        elif not key:
            raise ValueError("empty key in front of '='")
        if key in result:
            raise ValueError(f"key {key!r} is given more than once")
        result[key] = value
    return result


def _quote_value(text, bare):
    needs_quotes = any(char in text for char in '",\\\n') or (bare and ("=" in text or not text))
    if not needs_quotes:
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _value_text(key, value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise ValueError(f"value of {key!r} must be a string, number or boolean")


def format_property_string(mapping, default_key=None, order=None):
    """
    Build a property string from a dict. ``None`` values are left out; booleans are written
    ``true``/``false``. The ``default_key`` is written without ``key=`` and comes first
    unless ``order`` says otherwise; ``order`` lists keys to put first, in that order
    (the others follow in the dict's order). Values with ``,``, ``"``, ``\\`` or a newline
    (and a bare default value with ``=``) are quoted so PBS reads them back unchanged.
    """
    if not isinstance(mapping, dict):
        raise ValueError(f"property string values must be a dict, not {type(mapping).__name__}")
    keys = list(mapping)
    if order is not None:
        rank = {key: index for index, key in enumerate(order)}
        keys.sort(key=lambda key: rank.get(key, len(rank)))
    elif default_key in mapping:
        keys.remove(default_key)
        keys.insert(0, default_key)
    parts = []
    for key in keys:
        value = mapping[key]
        if value is None:
            continue
        if not isinstance(key, str) or not key:
            raise ValueError(f"property string key {key!r} must be a non-empty string")
        if any(char in key for char in '=,"\\') or any(char.isspace() for char in key):
            raise ValueError(f"property string key {key!r} contains a character not allowed")
        text = _quote_value(_value_text(key, value), bare=key == default_key)
        parts.append(text if key == default_key else f"{key}={text}")
    return ",".join(parts)


def encode_webhook_pair(name, value=None):
    """
    Build one webhook ``header`` / ``secret`` entry: ``name=<name>,value=<base64>``.
    ``value`` (str, UTF-8 encoded, or bytes) is base64-encoded as PBS expects; without a
    value the entry is ``name=<name>``, which on update keeps the secret PBS already has.
    """
    if not isinstance(name, str) or not name:
        raise ValueError("webhook header/secret name must be a non-empty string")
    if value is None:
        return format_property_string({"name": name})
    if isinstance(value, str):
        value = value.encode("utf-8")
    if not isinstance(value, bytes):
        raise ValueError(f"webhook value for {name!r} must be a string")
    encoded = base64.b64encode(value).decode("ascii")
    return format_property_string({"name": name, "value": encoded})


def decode_webhook_pair(text):
    """
    Read a webhook ``header`` / ``secret`` entry back: return ``(name, value)`` with the
    value decoded from base64 to text, or None when the entry has no value (secrets as
    returned by GET). Raises ValueError with the reason.
    """
    entry = parse_property_string(text)
    unknown = sorted(set(entry) - {"name", "value"})
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} in webhook entry (expected name, value)")
    name = entry.get("name")
    if not name:
        raise ValueError("webhook entry has no 'name'")
    if "value" not in entry:
        return name, None
    try:
        value = base64.b64decode(entry["value"], validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError(f"value of {name!r} is not valid base64-encoded UTF-8 text") from None
    return name, value
