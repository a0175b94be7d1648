"""
Shared pieces of the value grammars: character classes, the internal reason carrier and
the helpers that turn a parser into a ``check_*`` function.
"""

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
