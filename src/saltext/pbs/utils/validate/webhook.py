"""
Webhook ``header`` / ``secret`` entries: a property string with a base64-encoded value.
"""

import base64
import binascii

from saltext.pbs.utils.validate.property_string import format_property_string
from saltext.pbs.utils.validate.property_string import parse_property_string


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
