"""
Tests for saltext.pbs.utils.validate: calendar events and daily durations.

Every case states why it is interesting; invalid inputs also pin the reason text (or a
distinctive part of it), because these texts reach users.
"""

import pytest

from saltext.pbs.utils import validate

# --------------------------------------------------------------------------- calendar events

CALENDAR_VALID = [
    # every valid example PBS's documentation and parser tests use
    ("daily", "keyword"),
    ("hourly", "keyword"),
    ("weekly", "keyword"),
    ("mon..fri 02:00", "weekday range + time"),
    ("mon..fri 8..17,22:0/15", "hour range and list, minute repetition"),
    ("*:0/15", "every 15 minutes"),
    ("*:00/5", "leading zero start with step"),
    ("0/1:0/5", "hour repetition with step 1"),
    ("12:05", "plain hour:minute"),
    ("sat *-1..7 15:00", "first Saturday of the month"),
    ("*-05", "5th of each month"),
    ("2015-10-21", "full date"),
    ("fri 12..13:5/20", "hour range + minute repetition"),
    ("sat,sun 3:30", "weekday list"),
    ("monday", "full weekday name"),
    ("MON", "weekdays are case-insensitive"),
    ("daily UTC", "keyword in UTC"),
    ("0", "lone number is a minute"),
    ("*", "every minute"),
    ("4..10/2:0", "range with step"),
    # further corners of the grammar
    ("minutely", "keyword"),
    ("monthly", "keyword"),
    ("yearly", "keyword"),
    ("annually", "keyword alias"),
    ("quarterly", "keyword"),
    ("semiannually", "keyword"),
    ("semi-annually", "keyword with hyphen"),
    ("fri..mon 10:00", "weekday range wrapping over the weekend"),
    ("Tuesday..Thursday", "weekdays alone, mixed case full names"),
    ("mon,wed..fri,sun", "list of ranges"),
    ("mon..fri", "weekdays alone mean midnight"),
    ("mon ", "blanks after weekdays are skipped (PBS too)"),
    ("mon\t12:00", "tab separates parts"),
    ("mon12:00", "PBS needs no blank between weekday and time"),
    ("2199-12-31 23:59:59", "upper limits of every field"),
    ("0-1-1 0:0:0", "lower limits"),
    ("*-*-* *:*:*", "all stars"),
    ("2020..2025-1,4,7,10-1", "year range, month list"),
    ("*-*/2-1", "month repetition after star"),
    ("1/2-1/7", "month and day repetition"),
    ("12-24 18:00", "month-day without year, then time"),
    ("2015-10-21 ", "blank after a date is skipped (PBS too)"),
    ("*/5", "star with step as minute"),
    ("*:*:0/10", "every 10 seconds"),
    ("0:0:59", "second 59"),
    ("23:59", "largest hour and minute"),
    ("*/23:0", "largest hour step"),
    ("12:00 UTC", "time in UTC"),
    ("mon..fri 8:00   UTC", "several blanks before UTC"),
    ("mon UTC", "weekday only, UTC"),
    ("dailyUTC", "PBS strips a bare UTC suffix too"),
    ("5..5", "range of one value"),
    ("sat *-1..7 *:0/30 UTC", "all parts together"),
]


@pytest.mark.parametrize("value,why", CALENDAR_VALID, ids=[case[0] for case in CALENDAR_VALID])
def test_calendar_event_valid(value, why):
    assert validate.check_calendar_event(value) is None, why


CALENDAR_INVALID = [
    # every invalid example of the PBS field guide
    ("", "empty calendar event"),
    ("every day", "unknown weekday 'every'"),
    ("Daily", "unknown weekday 'Daily' (the keyword is written 'daily', in lower case)"),
    ("25:00", "hour 25 out of range 0-23"),
    ("12:60", "minute 60 out of range 0-59"),
    ("mon-fri", "unexpected '-fri'; weekday ranges are written 'mon..fri'"),
    ("@daily", "cannot parse '@daily' (expected a weekday, date or time)"),
    ("*/0:00", "hour step 0 out of range 1-23"),
    ("1 2 3", "unexpected ' 2 3' after the time"),
    ("daily at 3", "'daily' must stand alone (optionally followed by ' UTC')"),
    # keywords, weekdays, time zone
    ("DAILY", "unknown weekday 'DAILY' (the keyword is written 'daily', in lower case)"),
    ("Hourly UTC", "unknown weekday 'Hourly' (the keyword is written 'hourly', in lower case)"),
    ("daily 12:00", "'daily' must stand alone"),
    ("mo 12:00", "unknown weekday 'mo'"),
    ("mon..xyz", "unknown weekday 'xyz'"),
    ("mon,", "expected a weekday at ''"),
    ("mon,,tue", "expected a weekday at ',tue'"),
    ("mon...fri", "expected a weekday at '.fri'"),
    ("12:00 utc", "unexpected ' utc' after the time"),
    ("utc", "unknown weekday 'utc' (the time zone is written 'UTC', at the end)"),
    ("UTC", "'UTC' needs a date or time in front of it"),
    (" UTC", "leading whitespace is not allowed"),
    ("12:00 CET", "unexpected ' CET' after the time"),
    # whitespace
    (" daily", "leading whitespace is not allowed"),
    ("\tmon", "leading whitespace is not allowed"),
    ("daily ", "trailing whitespace is not allowed"),
    ("12:00 ", "trailing whitespace is not allowed"),
    ("mon 12:00\n", "trailing whitespace is not allowed"),
    # limits of each field
    ("24:00", "hour 24 out of range 0-23"),
    ("8..25:00", "hour 25 out of range 0-23"),
    ("8,24:00", "hour 24 out of range 0-23"),
    ("*:60", "minute 60 out of range 0-59"),
    ("60", "minute 60 out of range 0-59"),
    ("12:00:60", "second 60 out of range 0-59"),
    ("2200-01-01", "year 2200 out of range 0-2199"),
    ("2015-13-01", "month 13 out of range 1-12"),
    ("2015-00-01", "month 0 out of range 1-12"),
    ("*-32", "day 32 out of range 1-31"),
    ("*-0", "day 0 out of range 1-31"),
    ("99999999999999999999:00", "hour 99999999999999999999 out of range 0-23"),
    # ranges and steps
    ("17..8:00", "hour range 17..8 starts after it ends"),
    ("*-10..2", "day range 10..2 starts after it ends"),
    ("*:0/0", "minute step 0 out of range 1-59"),
    ("0/0", "minute step 0 out of range 1-59"),
    ("*/60", "minute step 60 out of range 1-59"),
    ("0/24:00", "hour step 24 out of range 1-23"),
    ("*-*/13-1", "month step 13 out of range 1-12"),
    ("*/:00", "expected a number after '/' at ':00'"),
    ("8..:00", "expected a number after '..' at ':00'"),
    ("1,:00", "expected a number after ',' at ':00'"),
    ("**", "unexpected '*' after the time"),
    # structure
    ("12:", "expected a number or '*' after ':'"),
    ("12:00:", "expected a number or '*' after ':'"),
    ("12:x", "expected a number or '*' after ':' at 'x'"),
    (":30", "cannot parse ':30'"),
    ("12:00:00:00", "unexpected ':00' after the time"),
    ("2015-10-21-01", "unexpected '-01' after the date"),
    ("2015-10-21x", "unexpected 'x' after the date"),
    ("2015-10-", "expected a number or '*' after '-'"),
    ("10-", "expected a number or '*' after '-'"),
    ("12:00 mon", "unexpected ' mon' after the time"),
    ("2015-10-21 12:00 mon", "unexpected ' mon' after the time"),
    ("mon 12:00 2015-10-21", "unexpected ' 2015-10-21' after the time"),
    ("12h", "unexpected 'h' after the time"),
    ("-5", "cannot parse '-5'"),
]


@pytest.mark.parametrize(
    "value,reason", CALENDAR_INVALID, ids=[repr(case[0]) for case in CALENDAR_INVALID]
)
def test_calendar_event_invalid(value, reason):
    result = validate.check_calendar_event(value)
    assert result is not None
    assert result.startswith(reason)


def test_calendar_event_long_input_is_shortened_in_reason():
    # the reason repeats only the beginning of a long rest, not the whole input
    result = validate.check_calendar_event("12:00 " + "x" * 200)
    assert result.startswith("unexpected ' xxxxxxxxxxxxxxxxxxx...'")
    assert len(result) < 80


@pytest.mark.parametrize("value", [None, 5, ["daily"], b"daily"])
def test_calendar_event_non_string(value):
    assert validate.check_calendar_event(value).startswith("must be a string")


# --------------------------------------------------------------------------- daily durations

DURATION_VALID = [
    ("mon..fri 8:00-17:30", "weekday range with minutes"),
    ("8-12", "hours only, every day"),
    ("8:0-12:0", "single-digit minutes"),
    ("8:05-12:20", "minutes"),
    ("8:05 - 12:20", "blanks around '-'"),
    ("mon 8-12", "single weekday"),
    ("tue..fri 8-12", "weekday range"),
    ("sat,tue..thu,fri 8-12", "list with a range inside"),
    ("sat,sun 10-14", "weekend"),
    ("fri..mon 0-23:59", "wrapping range, whole day"),
    ("8-8", "end equal to start is allowed"),
    ("8:30-8:30", "equal with minutes"),
    ("MON..Fri 8-12", "weekdays case-insensitive"),
    ("monday 8-12", "full weekday name"),
    ("mon8-12", "PBS needs no blank after the weekdays"),
    ("0:00-23:59", "extremes"),
]


@pytest.mark.parametrize("value,why", DURATION_VALID, ids=[case[0] for case in DURATION_VALID])
def test_daily_duration_valid(value, why):
    assert validate.check_daily_duration(value) is None, why


DURATION_INVALID = [
    ("", "empty daily duration"),
    (" 8-12", "leading whitespace is not allowed"),
    ("8:60-12", "minute 60 out of range 0-59"),
    ("8-25", "hour 25 out of range 0-23"),
    ("8-24:00", "hour 24 out of range 0-23"),
    ("12-8", "end time 8:00 is before start time 12:00"),
    ("8:30-8:29", "end time 8:29 is before start time 8:30"),
    ("mon-fri 8-12", "unexpected '-fri 8-12'; weekday ranges are written 'mon..fri'"),
    ("mon", "missing the time range after the weekdays"),
    ("mon ", "missing the time range after the weekdays"),
    ("daily 8-12", "'daily' must stand alone"),
    ("xyz 8-12", "unknown weekday 'xyz'"),
    ("8", "expected '-' between start and end time"),
    ("8-", "expected a number after '-'"),
    ("8:-12", "expected a number after ':' at '-12'"),
    ("8-12 ", "trailing whitespace is not allowed"),
    ("8-12 mon", "unexpected ' mon' after the end time"),
    ("8-12,14-16", "unexpected ',14-16' after the end time"),
    ("*-12", "expected a start time like '8:00' at '*-12'"),
    ("mon..fri 8..10-12", "expected '-' between start and end time"),
    ("8:00:00-12:00", "expected '-' between start and end time"),
]


@pytest.mark.parametrize(
    "value,reason", DURATION_INVALID, ids=[repr(case[0]) for case in DURATION_INVALID]
)
def test_daily_duration_invalid(value, reason):
    result = validate.check_daily_duration(value)
    assert result is not None
    assert result.startswith(reason)


def test_daily_duration_non_string():
    assert validate.check_daily_duration(8).startswith("must be a string")
