"""Parameter verification of the simulator: PBS's typing rules and texts."""

import pytest

from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import ParamError

TUNING = s.prop_string(
    {
        "chunk-order": s.enum("none", "inode"),
        "sync-level": s.enum("none", "file", "filesystem"),
        "gc-atime-cutoff": s.integer(minimum=1, maximum=2880),
    }
)
SCHEMA = {
    "name": s.safe_id().req(),
    "enable": s.boolean(),
    "count": s.integer(minimum=1, maximum=10),
    "delete": s.array(s.enum("comment", "tuning")),
    "comment": s.COMMENT,
    "tuning": TUNING,
    "schedule": s.CALENDAR_EVENT,
    "rate": s.HUMAN_BYTE,
}


def _err(raw, mode="json", schema=None):
    with pytest.raises(ParamError) as exc:
        s.parse_params(raw, SCHEMA if schema is None else schema, mode)
    return exc.value


def test_json_strict_types():
    err = _err({"name": "abc", "enable": "1", "count": "5"})
    assert err.status == 400
    assert err.errors == {"count": "Expected integer value.", "enable": "Expected boolean value."}
    assert str(err) == (
        "parameter verification failed:\n- 'count': Expected integer value.\n"
        "- 'enable': Expected boolean value."
    )


def test_json_integer_one_is_not_boolean_and_float_is_not_integer():
    assert _err({"name": "abc", "enable": 1}).errors == {"enable": "Expected boolean value."}
    assert _err({"name": "abc", "count": 5.0}).errors == {"count": "Expected integer value."}
    assert _err({"name": "abc", "count": True}).errors == {"count": "Expected integer value."}


def test_json_null_is_a_wrong_type_not_absent():
    err = _err({"name": "abc", "comment": None})
    assert str(err) == "parameter verification failed - 'comment': Expected string value."
    err = _err({"name": None})
    assert err.errors["name"] == "Expected string value."


def test_delete_enum_and_scalar():
    err = _err({"name": "abc", "delete": ["comment", "x"]})
    assert str(err) == (
        "parameter verification failed - 'delete/[1]': value 'x' is not defined in the enumeration."
    )
    err = _err({"name": "abc", "delete": "comment"})
    assert err.errors == {"delete": "Expected array - got scalar value."}


def test_unknown_and_missing_json_vs_form():
    err = _err({"foo": 1})
    assert err.errors == {
        "foo": "schema does not allow additional properties",
        "name": "property is missing and it is not optional",
    }
    err = _err({"foo": "1"}, mode="form")
    # form mode checks required parameters only when nothing else failed
    assert err.errors == {"foo": "schema does not allow additional properties."}
    err = _err({}, mode="form")
    assert err.errors == {"name": "parameter is missing and it is not optional."}


def test_lengths_patterns_ranges():
    err = _err({"name": "x", "count": 11})
    assert err.errors == {
        "count": "value must have a maximum value of 10 (got 11)",
        "name": "value must be at least 3 characters long",
    }
    assert _err({"name": "-bad"}).errors == {"name": "value does not match the regex pattern"}
    assert _err({"name": "abc", "comment": "a\nb"}).errors == {
        "comment": "value does not match the regex pattern"
    }


def test_form_mode_coercion_and_arrays():
    out = s.parse_params(
        {"name": "abc", "enable": "yes", "count": "3", "delete": ["comment", "tuning"]},
        SCHEMA,
        "form",
    )
    assert out == {"name": "abc", "enable": True, "count": 3, "delete": ["comment", "tuning"]}
    # a comma list is one (invalid) item, reported under the bare name in form mode
    err = _err({"name": "abc", "delete": "comment,tuning"}, mode="form")
    assert err.errors == {"delete": "value 'comment,tuning' is not defined in the enumeration."}
    assert _err({"name": "abc", "enable": "maybe"}, mode="form").errors == {
        "enable": "Unable to parse boolean option."
    }
    assert _err({"name": "abc", "count": "x"}, mode="form").errors == {
        "count": "invalid digit found in string"
    }
    assert _err({"name": ["abc", "abd"]}, mode="form").errors == {"name": "duplicate parameter."}


def test_property_string_nested_errors():
    err = _err({"name": "abc", "tuning": "chunk-order=bad,foo=1"})
    assert err.errors == {
        "tuning/chunk-order": "value 'bad' is not defined in the enumeration.",
        "tuning/foo": "schema does not allow additional properties",
    }
    tuning = "chunk-order=none,gc-atime-cutoff=5"
    ok = s.parse_params({"name": "abc", "tuning": tuning}, SCHEMA, "json")
    assert ok["tuning"] == tuning  # stored as sent
    parsed = s.parse_property_value(TUNING, ok["tuning"])
    assert parsed == {"chunk-order": "none", "gc-atime-cutoff": 5}


def test_calendar_and_human_byte_formats():
    err = _err({"name": "abc", "schedule": "every day"})
    assert str(err) == (
        "parameter verification failed - 'schedule': unable to parse calendar event at 'every'"
        ' - Context("weekday")'
    )
    err = _err({"name": "abc", "rate": "-10"})
    assert err.errors == {"rate": "byte-size parse error for '-10': byte size may not be negative"}


def test_no_params_schema_and_non_object_body():
    with pytest.raises(ParamError) as exc:
        s.parse_params({"x": 1}, None, "json")
    assert exc.value.errors == {"x": "schema does not allow additional properties"}
    with pytest.raises(ApiError) as exc:
        s.parse_params([1], SCHEMA, "json")
    assert str(exc.value) == "Expected object - got array."


def test_uppercase_digest_is_rejected():
    schema = {"digest": s.DIGEST}
    with pytest.raises(ParamError) as exc:
        s.parse_params({"digest": "A" * 64}, schema, "json")
    assert exc.value.errors == {"digest": "value does not match the regex pattern"}
    assert s.parse_params({"digest": "a" * 64}, schema, "json") == {"digest": "a" * 64}
