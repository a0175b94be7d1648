"""Calendar events and daily durations, parsed the way PBS parses them.

An independent re-implementation of the grammar of proxmox-time (calendar_event.rs,
daily_duration.rs, week_days.rs, parse_helpers.rs). The parser is a small backtracking
combinator parser so that the accepted language, including the odd corners, matches PBS:

* ``25:00`` is *valid*: the hour list fails (25 >= 24), the optional hour part is dropped
  and ``25`` becomes the minute, ``00`` the second (proxmox-time ``parse_time_spec``).
* ``*/0`` leaves ``/0`` unconsumed and fails; ``4..10/2`` (range with step) is accepted.
* Error texts follow PBS: ``unable to parse calendar event at '<rest>' - <kind>`` where
  kind mimics nom's debug output (``Context("weekday")``, ``Nom(Eof)``, ...).
"""

import datetime
import re


class _Fail(Exception):
    """A recoverable parse failure (nom's ``Err::Error``) at ``rest`` with ``kind``."""

    def __init__(self, rest, kind):
        super().__init__(kind)
        self.rest = rest
        self.kind = kind


KEYWORDS = {
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
}
WEEKDAYS = {
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
_DIGITS = re.compile(r"[0-9]+")
_ALPHA = re.compile(r"[A-Za-z]+")


def _time_comp(text, maximum):
    match = _DIGITS.match(text)
    if not match:
        raise _Fail(text, "Nom(Digit)")
    rest = text[match.end() :]
    value = int(match.group())
    if value >= 2**32:
        raise _Fail(text, "Nom(MapRes)")
    if value >= maximum:
        raise _Fail(rest, 'Context("time value too large")')
    return value, rest


def _date_time_comp(text, maximum):
    value, rest = _time_comp(text, maximum)
    if rest.startswith(".."):
        try:
            end, after = _time_comp(rest[2:], maximum)
        except _Fail:
            end = None
        if end is not None:
            if value > end:
                raise _Fail(after, 'Context("range start is bigger than end")')
            if after.startswith("/"):
                step, after = _time_comp(after[1:], maximum)
                return ("repeat", value, step, end), after
            return ("range", value, end), after
    if rest.startswith("/"):
        step, rest = _time_comp(rest[1:], maximum)
        return ("repeat", value, step, None), rest
    return ("single", value), rest


def _separated_list1(text, item):
    first, rest = item(text)
    items = [first]
    while rest.startswith(","):
        try:
            value, after = item(rest[1:])
        except _Fail:
            break
        items.append(value)
        rest = after
    return items, rest


def _comp_list(start, maximum):
    def parse(text):
        if text.startswith("*"):
            rest = text[1:]
            if rest.startswith("/"):
                step, after = _time_comp(rest[1:], maximum)
                if step > 0:
                    return [("repeat", start, step, None)], after
            return [], rest
        return _separated_list1(text, lambda t: _date_time_comp(t, maximum))

    return parse


def _opt(parser, text):
    try:
        return parser(text)
    except _Fail:
        return None, text


def _weekday(text):
    match = _ALPHA.match(text)
    if not match:
        raise _Fail(text, "Nom(Alpha)")
    word = match.group()
    if word.lower() not in WEEKDAYS:
        raise _Fail(word, 'Context("weekday")')
    return WEEKDAYS[word.lower()], text[match.end() :]


def _weekday_range(text):
    start, rest = _weekday(text)
    if rest.startswith(".."):
        try:
            end, after = _weekday(rest[2:])
        except _Fail:
            return {start}, rest
        if start > end:  # wrap around: fri..mon
            return set(range(start, 7)) | set(range(0, end + 1)), after
        return set(range(start, end + 1)), after
    return {start}, rest


def _weekday_list(text):
    ranges, rest = _separated_list1(text, _weekday_range)
    days = set()
    for item in ranges:
        days |= item
    return days, rest.lstrip(" \t")


def _date_spec(text):
    try:
        year, rest = _comp_list(0, 2200)(text)
        if not rest.startswith("-"):
            raise _Fail(rest, "Nom(Tag)")
        month, rest = _comp_list(1, 13)(rest[1:])
        if not rest.startswith("-"):
            raise _Fail(rest, "Nom(Tag)")
        day, rest = _comp_list(1, 32)(rest[1:])
        return {"year": year, "month": month, "day": day}, rest
    except _Fail:
        pass
    try:
        month, rest = _comp_list(1, 13)(text)
        if not rest.startswith("-"):
            raise _Fail(rest, "Nom(Tag)")
        day, rest = _comp_list(1, 32)(rest[1:])
        return {"year": [], "month": month, "day": day}, rest
    except _Fail:
        raise _Fail(text, 'Context("invalid date spec")') from None


def _time_spec(text):
    hour = None
    rest = text
    try:
        hour, after = _comp_list(0, 24)(text)
        if not after.startswith(":"):
            raise _Fail(after, "Nom(Tag)")
        rest = after[1:]
    except _Fail:
        hour, rest = None, text
    minute, rest = _comp_list(0, 60)(rest)
    second = None
    if rest.startswith(":"):
        try:
            second, rest = _comp_list(0, 60)(rest[1:])
        except _Fail:
            second = None
    return {"hour": hour or [], "minute": minute, "second": second}, rest


def _calendar_event(text):
    event = {"utc": False}
    if text.endswith("UTC"):
        event["utc"] = True
        text = text[:-3].rstrip(" ")
    if text[:1].isascii() and text[:1].isalpha():
        if text in KEYWORDS:
            event["keyword"] = text
            return event, ""
        days, text = _weekday_list(text)
        event["days"] = days
    date, text = _opt(_date_spec, text)
    if date is not None:
        event.update(date)
        text = text.lstrip(" \t")
    time, text = _opt(_time_spec, text)
    if time is not None:
        event.update(time)
    if not ("days" in event or date is not None or time is not None):
        raise _Fail(text, 'Context("date or time specification")')
    return event, text


def _complete(what, text, parser):
    try:
        value, rest = parser(text)
    except _Fail as exc:
        raise ValueError(f"unable to parse {what} at '{exc.rest}' - {exc.kind}") from None
    if rest:
        raise ValueError(f"unable to parse {what} at '{rest}' - Nom(Eof)")
    return value


def parse_calendar_event(text):
    """Parse a calendar event; return a dict describing it or raise ValueError (PBS text)."""
    return _complete("calendar event", text, _calendar_event)


def _hm_time(text):
    hour, rest = _time_comp(text, 24)
    minute = 0
    if rest.startswith(":"):
        try:
            minute, rest = _time_comp(rest[1:], 60)
        except _Fail:
            minute = 0
    return (hour, minute), rest


def _daily_duration(text):
    days = set()
    if text[:1].isascii() and text[:1].isalpha():
        days, text = _weekday_list(text)
    start, text = _hm_time(text)
    text = text.lstrip(" \t")
    if not text.startswith("-"):
        raise _Fail(text, "Nom(Tag)")
    text = text[1:].lstrip(" \t")
    end_text = text
    end, text = _hm_time(text)
    if start > end:
        raise _Fail(end_text, 'Context("end time before start time")')
    return {"days": days, "start": start, "end": end}, text


def parse_daily_duration(text):
    """Parse ``[WEEKDAYS] H[:MM]-H[:MM]``; raise ValueError with PBS's text."""
    return _complete("daily duration", text, _daily_duration)


def check_calendar_event(value):
    """Schema ``fmt`` validator: None when valid, else the reason."""
    try:
        parse_calendar_event(value)
    except ValueError as exc:
        return str(exc)
    return None


def check_daily_duration(value):
    try:
        parse_daily_duration(value)
    except ValueError as exc:
        return str(exc)
    return None


# --------------------------------------------------------------------------- evaluation

_KEYWORDS = {
    "minutely": {"second": [("single", 0)]},
    "hourly": {"minute": [("single", 0)]},
    "daily": {"hour": [("single", 0)]},
    "weekly": {"days": {0}, "hour": [("single", 0)]},
    "monthly": {"day": [("single", 1)], "hour": [("single", 0)]},
    "yearly": {"month": [("single", 1)], "day": [("single", 1)], "hour": [("single", 0)]},
    "quarterly": {"month": [("single", m) for m in (1, 4, 7, 10)], "day": [("single", 1)],
                  "hour": [("single", 0)]},
    "semiannually": {"month": [("single", 1), ("single", 7)], "day": [("single", 1)],
                     "hour": [("single", 0)]},
}
_KEYWORDS["annually"] = _KEYWORDS["yearly"]
_KEYWORDS["semi-annually"] = _KEYWORDS["semiannually"]


def _matches(spec, value):
    if not spec:
        return True
    for item in spec:
        kind = item[0]
        if kind == "single" and value == item[1]:
            return True
        if kind == "range" and item[1] <= value <= item[2]:
            return True
        if kind == "repeat":
            start, step, end = item[1], item[2], item[3]
            if value >= start and (value - start) % step == 0 and (end is None or value <= end):
                return True
    return False


def _event_fields(text):
    event = parse_calendar_event(text)
    if "keyword" in event:
        fields = {"hour": [], "minute": [("single", 0)], "second": [("single", 0)]}
        fields.update(_KEYWORDS[event["keyword"]])
        if event["keyword"] == "minutely":
            fields["minute"] = []
        return fields
    has_time = "minute" in event
    return {
        "days": event.get("days") or set(),
        "year": event.get("year") or [],
        "month": event.get("month") or [],
        "day": event.get("day") or [],
        "hour": event.get("hour", []) if has_time else [("single", 0)],
        "minute": event.get("minute", []) if has_time else [("single", 0)],
        "second": event.get("second") or [("single", 0)],
    }


def next_event(schedule, last, search_days=3 * 366):
    """Epoch of the first event after ``last`` (UTC, the simulated node's time zone)."""
    try:
        ev = _event_fields(schedule)
    except ValueError:
        return None
    start = datetime.datetime.fromtimestamp(int(last) + 1, datetime.timezone.utc)
    if ev.get("year"):
        search_days = max(0, 2200 - start.year) * 366  # calendar years end at 2199
    day = start.date()
    for _ in range(search_days):
        if (_matches(ev.get("year"), day.year) and _matches(ev.get("month"), day.month)
                and _matches(ev.get("day"), day.day)
                and (not ev.get("days") or day.weekday() in ev["days"])):
            for hour in range(24):
                if not _matches(ev["hour"], hour):
                    continue
                for minute in range(60):
                    if not _matches(ev["minute"], minute):
                        continue
                    for second in range(60):
                        if not _matches(ev["second"], second):
                            continue
                        when = datetime.datetime(day.year, day.month, day.day, hour, minute,
                                                 second, tzinfo=datetime.timezone.utc)
                        if when >= start:
                            return int(when.timestamp())
        day += datetime.timedelta(days=1)
    return None
