"""
Tests for saltext.pbs.utils.validate: webhook header/secret entries.

Every case states why it is interesting; invalid inputs also pin the reason text (or a
distinctive part of it), because these texts reach users.
"""

import base64

import pytest

from saltext.pbs.utils import validate

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
