"""
Value formats and property descriptions shared by several kinds.

The network formats follow what PBS's schema accepts (DNS names, IP addresses, CIDRs,
``host:port`` and HTTP URLs); they are checked with :func:`format_check`, which gives a
readable reason instead of a long regular expression.
"""

import ipaddress
import re

from saltext.pbs.utils.catalog import NO_CONTROL_RE
from saltext.pbs.utils.catalog import SAFE_ID_RE
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.catalog import invalid
from saltext.pbs.utils.catalog import py_name

_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?"
DNS_NAME_RE = rf"(?:{_LABEL}\.)*{_LABEL}"
# S3 endpoints may start with a {{bucket}} label and use {{region}} as any other label.
_S3_HOST_RE = rf"(?:\{{\{{bucket\}}\}}\.)?(?:(?:{_LABEL}|\{{\{{region\}}\}})\.)*{_LABEL}"


def _ipv4(text):
    if not re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}", text):
        return False
    try:
        ipaddress.IPv4Address(text)  # rejects octets > 255 and leading zeros
    except ValueError:
        return False
    return True


def _ipv6(text):
    if "%" in text or ":" not in text:
        return False  # PBS has no zone ids
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def is_ip(text):
    """True for an IPv4 or IPv6 address (IPv6 without brackets)."""
    return _ipv4(text) or _ipv6(text)


def _host(text, brackets):
    """True for a DNS name or an IP address (IPv6 in brackets when ``brackets``)."""
    if re.fullmatch(DNS_NAME_RE, text) or _ipv4(text):
        return True
    if brackets:
        return text.startswith("[") and text.endswith("]") and _ipv6(text[1:-1])
    return _ipv6(text)


def check_dns_name_or_ip(value):
    """``None`` for a DNS name or an IP address, else the reason."""
    if _host(value, brackets=False):
        return None
    return f"'{value}' is neither a DNS name nor an IP address"


def _port_reason(port, what):
    if not port.isdigit() or not 0 < int(port) <= 65535:
        return f"'{what}' has an invalid port '{port}' (1-65535)"
    return None


def check_host_port(value):
    """``None`` for ``host:port`` (IPv6 hosts in brackets), else the reason."""
    host, sep, port = value.rpartition(":")
    if not sep or not _host(host, brackets=True):
        return f"'{value}' is not 'host:port' (DNS name, IPv4 or [IPv6] address, then a port)"
    return _port_reason(port, value)


def check_http_url(value):
    """``None`` for ``http(s)://host[:port][/path]``, else the reason."""
    match = re.fullmatch(r"https?://(\[[^\]/]*\]|[^:/\[\]]*)(?::([^/]*))?(/.*)?", value)
    if not match:
        return f"'{value}' is not an http:// or https:// URL"
    host, port, path = match.groups()
    if not _host(host, brackets=True):
        return f"'{value}' has an invalid host '{host}'"
    if port is not None and _port_reason(port, value):
        return _port_reason(port, value)
    if path and not re.fullmatch(NO_CONTROL_RE, path):
        return f"'{value}' contains control characters"
    return None


def check_cidr(value):
    """``None`` for a network in CIDR notation (``10.0.0.0/8``, ``fd00::/64``)."""
    addr, sep, prefix = value.partition("/")
    if not sep or not prefix.isdigit() or len(prefix) > 3:
        return f"'{value}' is not a network in CIDR notation (address/prefix length)"
    if _ipv4(addr):
        limit = 32
    elif _ipv6(addr):
        limit = 128
    else:
        return f"'{value}' does not start with an IPv4 or IPv6 address"
    if int(prefix) > limit:
        return f"'{value}' has a prefix length above {limit}"
    return None


def check_s3_endpoint(value):
    """``None`` for an S3 endpoint host (templates ``{{bucket}}``/``{{region}}``) or an IP."""
    if re.fullmatch(_S3_HOST_RE, value) or is_ip(value):
        return None
    return (
        f"'{value}' is not a host name (optionally with {{{{bucket}}}}. in front and"
        f" {{{{region}}}} labels) or an IP address; give no scheme and no port"
    )


def format_check(**checkers):
    """
    A catalog ``check`` applying ``checkers`` (``wire_name_with_underscores=check_fn``) to
    the given values; list values are checked item by item. Raises naming the field.
    """
    wanted = {key.replace("_", "-"): fn for key, fn in checkers.items()}

    def check(kind, values, op):  # pylint: disable=unused-argument
        for wire, fn in wanted.items():
            value = values.get(wire)
            if value is None:
                continue
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                reason = fn(item)
                if reason:
                    field = py_name(wire) + (f"[{index}]" if isinstance(value, list) else "")
                    raise invalid(field, reason)

    return check


# ----- shared properties ---------------------------------------------------------------------
NAME_ID = Prop("name", pattern=SAFE_ID_RE, min_length=3, max_length=32)

PORT = Prop(
    "port",
    "integer",
    doc="Port of the object store (1-65535; the scheme's default when unset)",
    minimum=1,
    maximum=65535,
    deletable=True,
)

FINGERPRINT = Prop(
    "fingerprint",
    doc="SHA-256 fingerprint of the server's TLS certificate (32 colon-separated hex pairs), "
    "needed when the system does not trust the certificate (a self-signed one)",
    fmt="fingerprint",
    deletable=True,
)


def rate_props():
    """``rate-in``, ``burst-in``, ``rate-out``, ``burst-out``: HumanByte sizes per second."""
    docs = {
        "rate-in": "Incoming rate limit per second, a size such as ``10 MB`` or ``1 GiB`` "
                   "(compared after normalisation: ``10M`` equals ``10 MB``)",
        "burst-in": "Incoming burst size, a size such as ``100 MB``",
        "rate-out": "Outgoing rate limit per second, a size such as ``10 MB``",
        "burst-out": "Outgoing burst size, a size such as ``100 MB``",
    }
    return tuple(
        Prop(wire, doc=doc, fmt="human-byte", min_length=1, max_length=64, deletable=True)
        for wire, doc in docs.items()
    )


NOTIFY_USER = Prop(
    "notify-user",
    doc="User (``name@realm``) mailed in ``legacy-sendmail`` mode",
    min_length=3,
    max_length=64,
    fmt="userid",
    deletable=True,
)
