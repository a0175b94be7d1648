"""Calendar events, daily durations, HumanByte and property strings as PBS parses them."""

import pytest

from saltext.pbs.simulator import calendar
from saltext.pbs.simulator import values

VALID_EVENTS = [
    "daily", "hourly", "weekly", "minutely", "monthly", "yearly", "annually", "quarterly",
    "semiannually", "semi-annually", "mon..fri 02:00", "mon..fri 8..17,22:0/15", "*:0/15",
    "*:00/5", "0/1:0/5", "12:05", "sat *-1..7 15:00", "*-05", "2015-10-21",
    "fri 12..13:5/20", "sat,sun 3:30", "monday", "MON", "daily UTC", "0", "*", "4..10/2:0",
    "fri..mon", "02-30",
]
INVALID_EVENTS = {
    "": "unable to parse calendar event at '' - Context(\"date or time specification\")",
    "every day": "unable to parse calendar event at 'every' - Context(\"weekday\")",
    "Daily": "unable to parse calendar event at 'Daily' - Context(\"weekday\")",
    "12:60": "unable to parse calendar event at '12:60' - Context(\"date or time specification\")",
    "mon-fri": "unable to parse calendar event at '-fri' - Nom(Eof)",
    "@daily": (
        "unable to parse calendar event at '@daily' - Context(\"date or time specification\")"
    ),
    "*/0:00": "unable to parse calendar event at '/0:00' - Nom(Eof)",
    "1 2 3": "unable to parse calendar event at ' 2 3' - Nom(Eof)",
    "daily at 3": "unable to parse calendar event at 'daily' - Context(\"weekday\")",
}


@pytest.mark.parametrize("event", VALID_EVENTS)
def test_valid_calendar_events(event):
    assert calendar.check_calendar_event(event) is None


@pytest.mark.parametrize("event,reason", sorted(INVALID_EVENTS.items()))
def test_invalid_calendar_events(event, reason):
    assert calendar.check_calendar_event(event) == reason


def test_hour_out_of_range_falls_back_to_minute_like_pbs():
    # proxmox-time drops the optional hour part when it fails, so 25:00 is minute 25
    event = calendar.parse_calendar_event("25:00")
    assert event["minute"] == [("single", 25)] and event["hour"] == []


@pytest.mark.parametrize("value", ["mon..fri 8:00-17:30", "8-12", "sat,sun 10-14", "8-8"])
def test_valid_daily_durations(value):
    assert calendar.check_daily_duration(value) is None


@pytest.mark.parametrize(
    "value,reason",
    [
        ("8:60-12", "unable to parse daily duration at ':60-12' - Nom(Tag)"),
        ("8-25", "unable to parse daily duration at '' - Context(\"time value too large\")"),
        ("12-8", "unable to parse daily duration at '8' - Context(\"end time before start time\")"),
        (" 8-12", "unable to parse daily duration at ' 8-12' - Nom(Digit)"),
    ],
)
def test_invalid_daily_durations(value, reason):
    assert calendar.check_daily_duration(value) == reason


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("10M", "10 MB"), ("10MB", "10 MB"), ("10 mb", "10 MB"), ("2Ki", "2 KiB"),
        ("2kib", "2 KiB"), ("1300", "1300 B"), ("2.0GB", "2 GB"), ("1.23456 TiB", "1.235 TiB"),
    ],
)
def test_human_byte_normalisation(raw, expected):
    assert values.normalize_human_byte(raw) == expected


@pytest.mark.parametrize("raw", ["-10", "abc", "", "10 XB"])
def test_human_byte_rejects(raw):
    assert values.check_human_byte(raw).startswith(f"byte-size parse error for '{raw}': ")


def test_property_strings():
    assert values.parse_property_string("read-only,message=x", "type") == {
        "type": "read-only",
        "message": "x",
    }
    assert values.parse_property_string('message="a,b",type=offline') == {
        "message": "a,b",
        "type": "offline",
    }
    with pytest.raises(ValueError, match="without key"):
        values.parse_property_string("bare")
    text = values.format_property_string(
        {"type": "read-only", "message": "a,b"}, "type", elide_default_key=True
    )
    assert text == 'read-only,message="a,b"'


def test_id_regexes_without_posix_classes():
    assert values.USERID_RE.match("john@example.com@pbs")
    assert not values.USERID_RE.match("jo hn@pbs")
    assert values.AUTHID_RE.match("ci@pbs!tok")
    assert not values.AUTHID_RE.match("ci@pbs!-tok")
    assert values.split_userid("john@example.com@pbs") == ("john@example.com", "pbs")
    assert values.NAMESPACE_RE.match("") and values.NAMESPACE_RE.match("a/b/c")
    assert not values.NAMESPACE_RE.match("a/b/c/d/e/f/g/h/i")
