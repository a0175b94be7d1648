"""Value formats PBS uses: identifier regexes, HumanByte sizes, property strings.

The regexes are PBS's own (proxmox-schema, proxmox-auth-api, pbs-api-types) rewritten
without POSIX character classes, which Python's ``re`` does not understand:
``[[:cntrl:]]`` is ASCII 0x00-0x1f and 0x7f.
"""

import re

CNTRL = "\\x00-\\x1f\\x7f"

SAFE_ID = r"(?:[A-Za-z0-9_][A-Za-z0-9._\-]*)"
SAFE_ID_RE = re.compile(rf"^{SAFE_ID}$")
SINGLE_LINE_COMMENT_RE = re.compile(rf"^[^{CNTRL}]*$")
# user name part: anything but whitespace, ':', '/' and control characters
USER_NAME = rf"(?:[^\s:/{CNTRL}]+)"
USER_NAME_RE = re.compile(rf"^{USER_NAME}$")
# the realm is split at the *last* '@'; regex engines backtrack so a greedy name works
USERID_RE = re.compile(rf"^{USER_NAME}@{SAFE_ID}$")
TOKEN_NAME_RE = SAFE_ID_RE
AUTHID_RE = re.compile(rf"^{USER_NAME}@{SAFE_ID}(?:!{SAFE_ID})?$")
TOKENID_RE = re.compile(rf"^{USER_NAME}@{SAFE_ID}!{SAFE_ID}$")
DIGEST_RE = re.compile(r"^[a-f0-9]{64}$")
FINGERPRINT_RE = re.compile(r"^(?:[0-9a-fA-F][0-9a-fA-F])(?::[0-9a-fA-F][0-9a-fA-F]){31}$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ACL_PATH_RE = re.compile(rf"^(?:/|(?:/{SAFE_ID})+)$")
NAMESPACE_RE = re.compile(rf"^(?:(?:{SAFE_ID}/){{0,7}}{SAFE_ID})?$")
UPID_RE = re.compile(
    r"^UPID:(?P<node>[a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?):(?P<pid>[0-9A-Fa-f]{8}):"
    r"(?P<pstart>[0-9A-Fa-f]{8,9}):(?P<task_id>[0-9A-Fa-f]{8,16}):(?P<starttime>[0-9A-Fa-f]{8}):"
    r"(?P<wtype>[^:\s]+):(?P<wid>[^:\s]*):(?P<authid>[^:\s]+):$"
)
HOSTNAME_RE = re.compile(r"^[a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?$")
S3_BUCKET_RE = re.compile(r"^[a-z0-9]([a-z0-9\-]*[a-z0-9])?$")


def split_userid(userid):
    """``"john@example.com@pbs"`` -> ``("john@example.com", "pbs")`` (last ``@``)."""
    name, _, realm = userid.rpartition("@")
    return name, realm


def split_authid(auth_id):
    """``"ci@pbs!tok"`` -> ``("ci@pbs", "tok")``; a user id gives ``(userid, None)``."""
    if "!" in auth_id:
        user, token = auth_id.split("!", 1)
        return user, token
    return auth_id, None


# --- HumanByte (proxmox-human-byte) -------------------------------------------------------

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
# what Rust's f64 parser accepts (no surrounding whitespace, no underscores)
_FLOAT_RE = re.compile(
    r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:inf|infinity|nan)$", re.I
)


def parse_human_byte(text):
    """Return ``(size, unit_label)``; raise ValueError with PBS's reason text.

    Grammar as PBS: an optional trailing ``b``/``B``, then an optional ``i`` (binary),
    then an optional unit letter, then optional spaces before the number.
    """
    rest = text
    if rest[-1:] in ("b", "B"):
        rest = rest[:-1]
    binary = False
    if rest.endswith("i"):
        rest, binary = rest[:-1], True
    unit_key = ""
    if rest[-1:].lower() in ("k", "m", "g", "t", "p"):
        unit_key = rest[-1:].lower()
        rest = rest[:-1]
    if binary:
        if not unit_key:
            # PBS: "i" without a unit letter leaves the "i" in the number -> float error
            rest = rest + "i"
        else:
            unit_key += "i"
    rest = rest.rstrip()
    if rest == "":
        raise ValueError("cannot parse float from empty string")
    if not _FLOAT_RE.match(rest):
        raise ValueError("invalid float literal")
    size = float(rest)
    if size < 0:
        raise ValueError("byte size may not be negative")
    return size, _UNITS[unit_key][0]


def format_human_byte(size, unit):
    """PBS's display: size rounded to 3 decimals, shortest form, a space, the unit."""
    size = round(size * 1000) / 1000
    if size == int(size) and abs(size) < 1e16:
        num = str(int(size))
    else:
        num = repr(size)
    return f"{num} {unit}"


def normalize_human_byte(text):
    """``"10M"`` -> ``"10 MB"``; raises ValueError with the reason."""
    return format_human_byte(*parse_human_byte(text))


def check_human_byte(text):
    """Validator used by schema ``fmt``: PBS's error text or None."""
    try:
        parse_human_byte(text)
    except ValueError as exc:
        return f"byte-size parse error for '{text}': {exc}"
    return None


def human_byte_to_bytes(text):
    size, unit = parse_human_byte(text)
    factor = next(f for label, f in _UNITS.values() if label == unit)
    return int(size * factor)


# --- property strings (proxmox-schema property_string.rs) --------------------------------


def iter_property_string(text):
    """Yield ``(key_or_None, value)`` pairs; raise ValueError on malformed quoting."""
    data = text
    while data:
        key = None
        if not data.startswith('"'):
            comma, equal = data.find(","), data.find("=")
            if equal != -1 and (comma == -1 or equal < comma):
                key, data = data[:equal], data[equal + 1 :]
            if not data.startswith('"'):
                comma = data.find(",")
                if comma == -1:
                    yield key, data
                    return
                yield key, data[:comma]
                data = data[comma + 1 :]
                continue
        value, data = _parse_quoted(data)
        if data:
            if not data.startswith(","):
                raise ValueError("garbage after quoted string")
            data = data[1:]
        yield key, value


def _parse_quoted(data):
    out = []
    i = 1
    while i < len(data):
        ch = data[i]
        if ch == '"':
            return "".join(out), data[i + 1 :]
        if ch == "\\":
            i += 1
            if i >= len(data):
                break
            esc = data[i]
            if esc == '"':
                out.append('"')
            elif esc == "\\":
                out.append("\\")
            elif esc == "n":
                out.append("\n")
            else:
                raise ValueError("unsupported escape sequence")
        else:
            out.append(ch)
        i += 1
    raise ValueError("unexpected end of string")


def parse_property_string(text, default_key=None):
    """Parse into an ordered dict of strings (no type conversion, last key wins)."""
    result = {}
    for key, value in iter_property_string(text):
        if key is None:
            if default_key is None:
                raise ValueError(
                    f"Value '{value}' without key, but schema does not define a default key."
                )
            key = default_key
        result[key] = value
    return result


def _quote_if_needed(value):
    value = str(value)
    if any(c in value for c in ',="\\\n'):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return value


def format_property_string(mapping, default_key=None, elide_default_key=False):
    """Print a dict as a property string; optionally print the default key bare first."""
    parts = []
    for key, value in mapping.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        if elide_default_key and key == default_key:
            parts.insert(0, _quote_if_needed(value))
        else:
            parts.append(f"{key}={_quote_if_needed(value)}")
    return ",".join(parts)
