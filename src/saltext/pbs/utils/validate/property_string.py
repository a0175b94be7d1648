"""
PBS property strings (``key=value,key2="quoted value"``): parsing and formatting.
"""

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
