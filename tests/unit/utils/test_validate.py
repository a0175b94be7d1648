"""
Tests for saltext.pbs.utils.validate: PBS value grammars checked on the client side.

Every case states why it is interesting; invalid inputs also pin the reason text (or a
distinctive part of it), because these texts reach users.
"""

import base64

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


# --------------------------------------------------------------------------- HumanByte

HUMAN_BYTE = [
    # (input, canonical form, bytes)
    ("10M", "10 MB", 10_000_000),
    ("10MB", "10 MB", 10_000_000),
    ("10 mb", "10 MB", 10_000_000),
    ("10 Mb", "10 MB", 10_000_000),
    ("2Ki", "2 KiB", 2048),
    ("2kib", "2 KiB", 2048),
    ("2KiB", "2 KiB", 2048),
    ("4gib", "4 GiB", 4 * 2**30),
    ("1300", "1300 B", 1300),
    ("1300b", "1300 B", 1300),
    ("1300 B", "1300 B", 1300),
    (1300, "1300 B", 1300),
    (0, "0 B", 0),
    ("0", "0 B", 0),
    ("2.0GB", "2 GB", 2_000_000_000),
    ("1.5KB", "1.5 KB", 1500),
    ("1.5kb", "1.5 KB", 1500),
    ("1.4TB", "1.4 TB", 1_400_000_000_000),
    ("1PB", "1 PB", 10**15),
    ("1 PiB", "1 PiB", 2**50),
    ("3 TiB", "3 TiB", 3 * 2**40),
    ("14.4567", "14.457 B", 14),
    ("14.4565", "14.457 B", 14),  # half rounds away from zero, as PBS does
    ("1.654321MB", "1.654 MB", 1_654_000),
    ("2.3454MiB", "2.345 MiB", 2_458_910),
    ("2.3456MiB", "2.346 MiB", 2_459_959),
    ("0.0004 KB", "0 KB", 0),
    ("0.0005 KB", "0.001 KB", 1),
    ("1e3KB", "1000 KB", 1_000_000),
    ("+5", "5 B", 5),
    ("5.", "5 B", 5),
    (".5 KiB", "0.5 KiB", 512),
    ("987654321", "987654321 B", 987654321),
    ("100  MB", "100 MB", 100_000_000),
    (1.5, "1.5 B", 1),
    (10**22, "10000000000000000000000 B", 10**22),
    ("1e33", "1" + "0" * 33 + " B", 10**33),  # printed without an exponent, like PBS
    # sizes are floats in PBS: 17 significant digits survive
    ("1" * 20, "11111111111111110000 B", 11111111111111110000),
]


@pytest.mark.parametrize(
    "value,canonical,size", HUMAN_BYTE, ids=[repr(case[0]) for case in HUMAN_BYTE]
)
def test_human_byte(value, canonical, size):
    assert validate.normalize_human_byte(value) == canonical
    assert validate.human_byte_to_bytes(value) == size
    # the canonical form is a fixed point and means the same size
    assert validate.normalize_human_byte(canonical) == canonical
    assert validate.human_byte_to_bytes(canonical) == size


@pytest.mark.parametrize(
    "first,second",
    [("1 KiB", "1024"), ("1 KB", 1000), ("1000 KB", "1 MB"), ("2048Ki", "2 MiB")],
)
def test_human_byte_same_size_in_other_units(first, second):
    assert validate.normalize_human_byte(first) != validate.normalize_human_byte(second)
    assert validate.human_byte_to_bytes(first) == validate.human_byte_to_bytes(second)


HUMAN_BYTE_INVALID = [
    ("-10", "byte size must not be negative"),
    ("-1 KB", "byte size must not be negative"),
    (-5, "byte size must not be negative"),
    ("", "byte size must not be empty"),
    (" 10M", "byte size must not have leading or trailing whitespace"),
    ("10M ", "byte size must not have leading or trailing whitespace"),
    ("MB", "byte size 'MB' does not start with a number"),
    ("ten MB", "byte size 'ten MB' does not start with a number"),
    ("inf", "byte size 'inf' does not start with a number"),
    ("nan", "byte size 'nan' does not start with a number"),
    (float("inf"), "byte size 'inf' does not start with a number"),
    ("1e400", "byte size is too large"),
    ("1" * 65, "byte size may be at most 64 characters long"),
    ("-0", "byte size must not be negative"),
    ("10i", "unknown byte size unit 'i'"),
    ("10 KIB", "unknown byte size unit 'KIB'"),
    ("10 XB", "unknown byte size unit 'XB'"),
    ("10 kilobytes", "unknown byte size unit 'kilobytes'"),
    ("1,5 MB", "unknown byte size unit ',5 MB'"),
    ("1_000", "unknown byte size unit '_000'"),
    ("١٢", "byte size '١٢' does not start with a number"),  # only ASCII digits
    (True, "byte size must be a string or a number, not bool"),
    (None, "byte size must be a string or a number, not NoneType"),
    (["1M"], "byte size must be a string or a number, not list"),
]


@pytest.mark.parametrize(
    "value,reason", HUMAN_BYTE_INVALID, ids=[repr(case[0]) for case in HUMAN_BYTE_INVALID]
)
def test_human_byte_invalid(value, reason):
    with pytest.raises(ValueError) as normalize:
        validate.normalize_human_byte(value)
    assert str(normalize.value).startswith(reason)
    with pytest.raises(ValueError) as to_bytes:
        validate.human_byte_to_bytes(value)
    assert str(to_bytes.value) == str(normalize.value)


# --------------------------------------------------------------------------- property strings

PROPERTY_PARSE = [
    ("chunk-order=none,sync-level=file", None, {"chunk-order": "none", "sync-level": "file"}),
    ("", None, {}),
    ("gc=error", None, {"gc": "error"}),
    ("a=1,", None, {"a": "1"}),  # a trailing comma ends the list
    ("key=", None, {"key": ""}),
    ("message=a=b", None, {"message": "a=b"}),  # only the first '=' splits
    ("read-only,message=x", "type", {"type": "read-only", "message": "x"}),
    ("message=x,offline", "type", {"message": "x", "type": "offline"}),
    ("type=offline", "type", {"type": "offline"}),
    ('sec="with = in it"', None, {"sec": "with = in it"}),
    ('message="a,b",type=read-only', None, {"message": "a,b", "type": "read-only"}),
    ('message="say \\"hi\\""', None, {"message": 'say "hi"'}),
    ('message="back\\\\slash"', None, {"message": "back\\slash"}),
    ('message="two\\nlines"', None, {"message": "two\nlines"}),
    ('"value w/o key",fst=v1', "type", {"type": "value w/o key", "fst": "v1"}),
    ('"a=b"', "type", {"type": "a=b"}),
    ('message=""', None, {"message": ""}),
    ("a b=c d", None, {"a b": "c d"}),  # blanks are part of keys and values, as in PBS
    (
        "type=s3,client=ep1,bucket=b1,max-cache-size=10 GiB",
        "type",
        {"type": "s3", "client": "ep1", "bucket": "b1", "max-cache-size": "10 GiB"},
    ),
]


@pytest.mark.parametrize(
    "text,default_key,expected", PROPERTY_PARSE, ids=[repr(case[0]) for case in PROPERTY_PARSE]
)
def test_parse_property_string(text, default_key, expected):
    result = validate.parse_property_string(text, default_key=default_key)
    assert result == expected
    assert list(result) == list(expected)  # order kept as written


PROPERTY_PARSE_INVALID = [
    ("read-only", None, "every value needs a 'key=' prefix"),
    ("=x", None, "empty key in front of '='"),
    ("a=1,a=2", None, "key 'a' is given more than once"),
    ("read-only,type=offline", "type", "key 'type' is given more than once"),
    ('message="open', None, "quoted value is missing its closing '\"'"),
    ('message="open \\"', None, "quoted value is missing its closing '\"'"),
    ('message="open \\', None, "quoted value is missing its closing '\"'"),
    ('message="a"b', None, "unexpected text after a quoted value"),
    ('message="bad \\t"', None, "unsupported escape sequence"),
    (None, None, "property string must be a string, not NoneType"),
    ({"a": "b"}, None, "property string must be a string, not dict"),
]


@pytest.mark.parametrize(
    "text,default_key,reason",
    PROPERTY_PARSE_INVALID,
    ids=[repr(case[0]) for case in PROPERTY_PARSE_INVALID],
)
def test_parse_property_string_invalid(text, default_key, reason):
    with pytest.raises(ValueError) as exc:
        validate.parse_property_string(text, default_key=default_key)
    assert str(exc.value).startswith(reason)


def test_parse_property_string_reason_does_not_repeat_values():
    # values can be secrets (webhook secret entries); reasons name keys only
    with pytest.raises(ValueError) as exc:
        validate.parse_property_string("s3cr3tvalue")
    assert "s3cr3t" not in str(exc.value)
    with pytest.raises(ValueError) as exc:
        validate.parse_property_string('value="s3cr3t')
    assert "s3cr3t" not in str(exc.value)


PROPERTY_FORMAT = [
    ({"chunk-order": "none", "sync-level": "file"}, None, None, "chunk-order=none,sync-level=file"),
    ({}, None, None, ""),
    ({"gc": "error", "sync": None}, None, None, "gc=error"),  # None means "not set"
    ({"gc-atime-safety-check": True}, None, None, "gc-atime-safety-check=true"),
    ({"gc-atime-safety-check": False}, None, None, "gc-atime-safety-check=false"),
    ({"gc-atime-cutoff": 1445}, None, None, "gc-atime-cutoff=1445"),
    # default key written bare and first
    ({"message": "x", "type": "read-only"}, "type", None, "read-only,message=x"),
    ({"type": "offline"}, "type", None, "offline"),
    # explicit order
    ({"b": "2", "a": "1", "c": "3"}, None, ["a", "b"], "a=1,b=2,c=3"),
    ({"message": "x", "type": "read-only"}, "type", ["message"], "message=x,read-only"),
    # quoting
    ({"message": "a,b"}, None, None, 'message="a,b"'),
    ({"message": 'say "hi"'}, None, None, 'message="say \\"hi\\""'),
    ({"message": "back\\slash"}, None, None, 'message="back\\\\slash"'),
    ({"message": "two\nlines"}, None, None, 'message="two\\nlines"'),
    ({"message": "a=b"}, None, None, "message=a=b"),  # '=' is fine after 'key='
    ({"type": "a=b"}, "type", None, '"a=b"'),  # but not in a bare default value
    ({"type": ""}, "type", None, '""'),
    ({"message": ""}, None, None, "message="),
    ({"message": "with = and spaces"}, None, None, "message=with = and spaces"),
]


@pytest.mark.parametrize(
    "mapping,default_key,order,expected",
    PROPERTY_FORMAT,
    ids=[case[3] or "empty" for case in PROPERTY_FORMAT],
)
def test_format_property_string(mapping, default_key, order, expected):
    text = validate.format_property_string(mapping, default_key=default_key, order=order)
    assert text == expected
    # what we write reads back to the same values (as strings, without the None ones)
    wanted = {
        key: ("true" if value is True else "false" if value is False else str(value))
        for key, value in mapping.items()
        if value is not None
    }
    assert validate.parse_property_string(text, default_key=default_key) == wanted


@pytest.mark.parametrize(
    "mapping,reason",
    [
        ({"a": [1, 2]}, "value of 'a' must be a string, number or boolean"),
        ({"a": {"b": 1}}, "value of 'a' must be a string, number or boolean"),
        ({"": "x"}, "property string key '' must be a non-empty string"),
        ({1: "x"}, "property string key 1 must be a non-empty string"),
        ({"a=b": "x"}, "property string key 'a=b' contains a character not allowed"),
        ({"a,b": "x"}, "property string key 'a,b' contains a character not allowed"),
        ({"a b": "x"}, "property string key 'a b' contains a character not allowed"),
        ("a=b", "property string values must be a dict, not str"),
    ],
)
def test_format_property_string_invalid(mapping, reason):
    with pytest.raises(ValueError) as exc:
        validate.format_property_string(mapping)
    assert str(exc.value) == reason


# --------------------------------------------------------------------------- webhook pairs


@pytest.mark.parametrize(
    "name,value",
    [
        ("Content-Type", "application/json"),
        ("Authorization", "Bearer abc,def=="),
        ("X-Unicode", "grüße ✓"),
        ("X-Empty", ""),
        ("odd,name", "v"),
    ],
)
def test_webhook_pair_round_trip(name, value):
    text = validate.encode_webhook_pair(name, value)
    encoded = validate.parse_property_string(text)["value"]
    # the value travels as standard base64 of the UTF-8 bytes
    assert base64.b64decode(encoded).decode("utf-8") == value
    assert validate.decode_webhook_pair(text) == (name, value)


def test_webhook_pair_exact_wire_form():
    assert validate.encode_webhook_pair("token", "secret") == "name=token,value=c2VjcmV0"
    assert validate.encode_webhook_pair("raw", b"\x00\xff") == "name=raw,value=AP8="


def test_webhook_pair_without_value_keeps_existing_secret():
    assert validate.encode_webhook_pair("token") == "name=token"
    # GET returns secrets like this: name only
    assert validate.decode_webhook_pair("name=token") == ("token", None)


@pytest.mark.parametrize(
    "name,value,reason",
    [
        ("", "x", "webhook header/secret name must be a non-empty string"),
        (None, "x", "webhook header/secret name must be a non-empty string"),
        ("n", 5, "webhook value for 'n' must be a string"),
    ],
)
def test_encode_webhook_pair_invalid(name, value, reason):
    with pytest.raises(ValueError) as exc:
        validate.encode_webhook_pair(name, value)
    assert str(exc.value) == reason


@pytest.mark.parametrize(
    "text,reason",
    [
        ("name=token,value=!!notbase64", "value of 'token' is not valid base64-encoded UTF-8"),
        ("name=token,value=/w==", "value of 'token' is not valid base64-encoded UTF-8"),
        ("value=c2VjcmV0", "webhook entry has no 'name'"),
        ("name=,value=c2VjcmV0", "webhook entry has no 'name'"),
        ("name=a,extra=1", "unknown key 'extra' in webhook entry"),
        ("token", "every value needs a 'key=' prefix"),
    ],
)
def test_decode_webhook_pair_invalid(text, reason):
    with pytest.raises(ValueError) as exc:
        validate.decode_webhook_pair(text)
    assert str(exc.value).startswith(reason)
    assert "c2VjcmV0" not in str(exc.value)


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "value,min_len,max_len,reason",
    [
        ("store1", 3, 32, None),
        ("_x", 2, 32, None),
        ("a.b-c_d", 3, 32, None),
        ("9lives", 3, 32, None),
        ("a" * 32, 3, 32, None),
        ("ab", 2, 32, None),  # notification names may be 2 long
        ("x", 1, None, None),
        ("ab", 3, 32, "must be at least 3 characters long"),
        ("", 3, 32, "must not be empty"),
        ("a" * 33, 3, 32, "may be at most 32 characters long"),
        ("-store", 3, 32, "must start with a letter, a digit or '_', not '-'"),
        (".store", 3, 32, "must start with a letter, a digit or '_', not '.'"),
        ("my store", 3, 32, "contains ' '; allowed are letters, digits, '_', '.' and '-'"),
        ("store/1", 3, 32, "contains '/'"),
        ("stóre", 3, 32, "contains 'ó'"),
        ("store\n", 3, 32, "contains '\\n'"),
        (123, 3, 32, "must be a string, not int"),
    ],
)
def test_check_safe_id(value, min_len, max_len, reason):
    result = validate.check_safe_id(value, min_len, max_len)
    if reason is None:
        assert result is None
    else:
        assert result.startswith(reason)


def test_check_safe_id_defaults_allow_any_length():
    assert validate.check_safe_id("a" * 500) is None
    assert validate.check_safe_id("") == "must not be empty"
    # an empty string is never a SAFE_ID, even when no minimum length is asked for
    assert validate.check_safe_id("", 0, 32) == "must not be empty"


USERIDS = [
    ("root@pam", None),
    ("john@pbs", None),
    ("john@example.com@pbs", None),  # the realm starts after the last '@'
    ("Jöhn.Doe!x@ldap-1", None),  # '!' and non-ASCII letters are fine in the name
    ("a@bc", None),
    ("u" * 61 + "@pb", None),  # 64 in total
    ("u" * 62 + "@pb", "may be at most 64 characters long"),
    ("a@", "must be at least 3 characters long"),
    ("root", "'root' is not of the form 'name@realm'"),
    ("@pam", "user name part before '@' is empty"),
    ("jo hn@pbs", "user name contains ' '"),
    ("jo\u00a0hn@pbs", "user name contains '\\xa0'"),
    ("jo:hn@pbs", "user name contains ':'"),
    ("jo/hn@pbs", "user name contains '/'"),
    ("jo\x7fhn@pbs", "user name contains '\\x7f'"),
    ("jo\thn@pbs", "user name contains '\\t'"),
    ("john@p", "realm must be at least 2 characters long"),
    ("john@" + "r" * 33, "realm may be at most 32 characters long"),
    ("john@pam!tok", "realm contains '!'"),
    ("john@-pam", "realm must start with a letter, a digit or '_'"),
    (None, "must be a string, not NoneType"),
]


@pytest.mark.parametrize("value,reason", USERIDS, ids=[repr(case[0]) for case in USERIDS])
def test_check_userid(value, reason):
    result = validate.check_userid(value)
    if reason is None:
        assert result is None
    else:
        assert result.startswith(reason)


AUTHIDS = [
    # (value, reason as auth id, reason as token id)
    ("root@pam", None, "'root@pam' is not of the form 'user@realm!tokenname'"),
    ("root@pam!automation", None, None),
    ("john@example.com@pbs!t_1", None, None),
    ("jo!hn@pbs", None, "'jo!hn@pbs' is not of the form"),  # '!' before the realm: a user
    ("jo!hn@pbs!tok", None, None),
    ("root@pam!", "token name after '!' is empty", "token name after '!' is empty"),
    ("root@pam!bad name", "token name contains ' '", "token name contains ' '"),
    ("root@pam!-tok", "token name must start with", "token name must start with"),
    ("root!tok", "'root!tok' is not of the form 'name@realm'", "'root!tok' is not of the form"),
    ("root@p!tok", "realm must be at least 2 characters long", "realm must be at least 2"),
    ("u" * 56 + "@pam!tok", None, None),  # 64 in total
    ("u" * 57 + "@pam!tok", "may be at most 64", "may be at most 64"),
    ("@pam!tok", "user name part before '@' is empty", "user name part before '@' is empty"),
    ("a@", "must be at least 3 characters long", "must be at least 3 characters long"),
    (5, "must be a string, not int", "must be a string, not int"),
]


@pytest.mark.parametrize(
    "value,as_authid,as_tokenid", AUTHIDS, ids=[repr(case[0]) for case in AUTHIDS]
)
def test_check_authid_and_tokenid(value, as_authid, as_tokenid):
    for check, reason in ((validate.check_authid, as_authid), (validate.check_tokenid, as_tokenid)):
        result = check(value)
        if reason is None:
            assert result is None, check.__name__
        else:
            assert result is not None and result.startswith(reason), check.__name__


FINGERPRINT = "e3:8d:9c:" + ":".join(["0a"] * 28) + ":FF"

FINGERPRINTS = [
    (FINGERPRINT, None),
    (FINGERPRINT.lower(), None),
    (FINGERPRINT.upper(), None),
    (FINGERPRINT + ":00", "has 33 hex byte pairs, a SHA-256 fingerprint has 32"),
    (FINGERPRINT[3:], "has 31 hex byte pairs, a SHA-256 fingerprint has 32"),
    (FINGERPRINT.replace(":", ""), "is not a hex byte"),
    (FINGERPRINT.replace(":", "-"), "is not a hex byte"),
    (FINGERPRINT[:-2] + "GG", "'GG' is not a hex byte"),
    (FINGERPRINT[:-2] + "F", "'F' is not a hex byte"),
    (FINGERPRINT + ":", "'' is not a hex byte"),
    (" " + FINGERPRINT, "' e3' is not a hex byte"),
    ("", "'' is not a hex byte"),
    (None, "must be a string, not NoneType"),
]


@pytest.mark.parametrize(
    "value,reason", FINGERPRINTS, ids=[f"case{index}" for index in range(len(FINGERPRINTS))]
)
def test_check_fingerprint(value, reason):
    result = validate.check_fingerprint(value)
    if reason is None:
        assert result is None
    else:
        assert reason in result


ACL_PATHS = [
    ("/", None),
    ("/access", None),
    ("/access/acl", None),
    ("/access/users", None),
    ("/access/domains", None),
    ("/access/openid", None),
    ("/access/openid/myrealm", None),
    ("/datastore", None),
    ("/datastore/store1", None),
    ("/datastore/store1/ns1", None),
    ("/datastore/store1/a/b/c/d/e/f/g", None),  # 7 namespace levels
    ("/remote", None),
    ("/remote/r1", None),
    ("/remote/r1/store1", None),
    ("/remote/r1/store1/a/b/c/d/e/f/g", None),
    ("/system", None),
    ("/system/certificates", None),
    ("/system/disks", None),
    ("/system/log", None),
    ("/system/notifications", None),
    ("/system/status", None),
    ("/system/tasks", None),
    ("/system/time", None),
    ("/system/services", None),
    ("/system/services/proxmox-backup-proxy", None),
    ("/system/network", None),
    ("/system/network/dns", None),
    ("/system/network/interfaces", None),
    ("/system/network/interfaces/eth0", None),
    ("/system/s3-endpoint", None),
    ("/system/s3-endpoint/ep1", None),
    ("/system/encryption-keys", None),
    ("/system/encryption-keys/key1", None),
    ("/tape", None),
    ("/tape/device", None),
    ("/tape/device/drive1", None),
    ("/tape/pool/pool1", None),
    ("/tape/job/job1", None),
    # syntax
    ("", "must start with '/'"),
    ("datastore", "must start with '/'"),
    ("/datastore/", "must not end with '/'"),
    ("//datastore", "contains an empty component ('//')"),
    ("/datastore//x", "contains an empty component ('//')"),
    ("/datastore/my store", "component 'my store' contains ' '"),
    ("/datastore/-x", "component '-x' must start with"),
    ("/" + "a" * 128, "may be at most 128 characters long"),
    (None, "must be a string, not NoneType"),
    # meaning
    (
        "/nodes",
        "'/nodes' is not an ACL root; use /, /access, /datastore, /remote, /system or /tape",
    ),
    ("/vms/100", "'/vms' is not an ACL root"),
    ("/Datastore", "'/Datastore' is not an ACL root"),
    ("/datastore/store1/a/b/c/d/e/f/g/h", "is not a path PBS accepts ACLs on"),
    ("/remote/r1/store1/a/b/c/d/e/f/g/h", "is not a path PBS accepts ACLs on"),
    ("/access/acl/x", "is not a path PBS accepts ACLs on"),
    ("/access/tfa", "is not a path PBS accepts ACLs on"),
    ("/access/openid/realm/x", "is not a path PBS accepts ACLs on"),
    ("/system/certificates/x", "is not a path PBS accepts ACLs on"),
    ("/system/foo", "is not a path PBS accepts ACLs on"),
    ("/system/network/dns/x", "is not a path PBS accepts ACLs on"),
    ("/system/network/foo", "is not a path PBS accepts ACLs on"),
    ("/system/network/interfaces/eth0/x", "is not a path PBS accepts ACLs on"),
    ("/system/services/a/b", "is not a path PBS accepts ACLs on"),
    ("/tape/drive", "is not a path PBS accepts ACLs on"),
    ("/tape/pool/p1/x", "is not a path PBS accepts ACLs on"),
]


@pytest.mark.parametrize("value,reason", ACL_PATHS, ids=[repr(case[0]) for case in ACL_PATHS])
def test_check_acl_path(value, reason):
    result = validate.check_acl_path(value)
    if reason is None:
        assert result is None
    else:
        assert result is not None and reason in result


NAMESPACES = [
    ("", None),  # the root namespace
    ("prod", None),
    ("prod/vms", None),
    ("a/b/c/d/e/f/g", None),
    ("x" * 32 + "/" + "y" * 32, None),
    ("a/b/c/d/e/f/g/h", "has 8 levels, at most 7 are allowed"),
    ("/prod", "must not start or end with '/' (the root namespace is '')"),
    ("prod/", "must not start or end with '/'"),
    ("/", "must not start or end with '/'"),
    ("prod//vms", "contains an empty component ('//')"),
    ("prod/my vms", "component 'my vms' contains ' '"),
    ("prod/.hidden", "component '.hidden' must start with a letter, a digit or '_'"),
    ("/".join(["n" * 36] * 7) + "x" * 5, "may be at most 256 characters long"),
    (None, "must be a string, not NoneType"),
]


@pytest.mark.parametrize("value,reason", NAMESPACES, ids=[repr(case[0]) for case in NAMESPACES])
def test_check_namespace(value, reason):
    result = validate.check_namespace(value)
    if reason is None:
        assert result is None
    else:
        assert result is not None and result.startswith(reason)


@pytest.mark.parametrize(
    "value,reason",
    [
        ("", None),
        ("main store", None),
        ("Ünïcödé ✓ and tab-free", None),
        ("x" * 128, None),
        ("\u0085 is a C1 control but PBS only bans ASCII controls", None),
        ("x" * 129, "may be at most 128 characters long"),
        ("line\nbreak", "must not contain control characters (found U+000A)"),
        ("tab\there", "must not contain control characters (found U+0009)"),
        ("del\x7f", "must not contain control characters (found U+007F)"),
        ("nul\x00", "must not contain control characters (found U+0000)"),
        (42, "must be a string, not int"),
    ],
)
def test_check_comment(value, reason):
    assert validate.check_comment(value) == reason


@pytest.mark.parametrize(
    "value,reason",
    [
        ("0123abcd-4567-89ab-cdef-0123456789ab", None),
        ("0123ABCD-4567-89ab-cdef-0123456789ab", "UUID must be written in lower case"),
        ("0123abcd456789abcdef0123456789ab", "is not a UUID like"),
        ("0123abcd-4567-89ab-cdef-0123456789a", "is not a UUID like"),
        ("0123abcd-4567-89ab-cdef-0123456789abc", "is not a UUID like"),
        ("0123abcg-4567-89ab-cdef-0123456789ab", "is not a UUID like"),
        ("{0123abcd-4567-89ab-cdef-0123456789ab}", "is not a UUID like"),
        ("", "is not a UUID like"),
        (None, "must be a string, not NoneType"),
    ],
)
def test_check_uuid_lower(value, reason):
    result = validate.check_uuid_lower(value)
    if reason is None:
        assert result is None
    else:
        assert reason in result
