"""
Tests for saltext.pbs.utils.validate: property strings.

Every case states why it is interesting; invalid inputs also pin the reason text (or a
distinctive part of it), because these texts reach users.
"""

import pytest

from saltext.pbs.utils import validate

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
