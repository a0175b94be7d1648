"""
Calendar events (job schedules) and daily durations (traffic-control timeframes,
notification matcher calendars), following the grammar PBS accepts.
"""

from saltext.pbs.utils.validate._common import _as_check
from saltext.pbs.utils.validate._common import _ASCII_LETTERS
from saltext.pbs.utils.validate._common import _BLANKS
from saltext.pbs.utils.validate._common import _DIGITS
from saltext.pbs.utils.validate._common import _Invalid
from saltext.pbs.utils.validate._common import _require_text
from saltext.pbs.utils.validate._common import _show


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
