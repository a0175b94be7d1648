"""
HumanByte sizes: parsing, the canonical form PBS stores and the size in bytes.
"""

import re
from decimal import ROUND_HALF_UP
from decimal import Decimal

from saltext.pbs.utils.validate._common import _show


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
