"""Key material checks of utils/flows/encryption_keys.py: every refusal names the argument
and never quotes the key."""

import base64
import json

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.flows import encryption_keys as keys

RAW = bytes(range(7, 39))
DATA = base64.b64encode(RAW).decode()
GOOD = {"kdf": None, "created": "2026-01-02T03:04:05+00:00",
        "modified": "2026-01-02T03:04:05+00:00", "data": DATA}


def test_good_key_text_and_mapping():
    text, fingerprint = keys.parse_key(json.dumps(GOOD))
    assert json.loads(text) == GOOD and fingerprint == keys.fingerprint(RAW)
    assert keys.parse_key({**GOOD, "fingerprint": fingerprint})[1] == fingerprint
    assert len(fingerprint.split(":")) == 32


@pytest.mark.parametrize(
    "value,reason",
    [
        ("", "expected a PBS key config"),
        ("[1, 2]", "no 'data'"),
        ("{not json", "not JSON"),
        (json.dumps({**GOOD, "kdf": {"PBKDF2": {}}}), "password-protected"),
        (json.dumps({**GOOD, "created": None}), "no 'created' time"),
        (json.dumps({**GOOD, "data": DATA + "!"}), "not base64"),
        (json.dumps({**GOOD, "data": base64.b64encode(RAW[:16]).decode()}), "16 bytes"),
        (json.dumps({**GOOD, "fingerprint": keys.fingerprint(bytes(32))}), "does not match"),
    ],
)
def test_refusals_name_the_field_never_the_key(value, reason):
    with pytest.raises(SaltInvocationError, match=reason) as excinfo:
        keys.parse_key(value, "key_file")
    assert "'key_file'" in str(excinfo.value) and DATA not in str(excinfo.value)


def test_sources_and_sinks(tmp_path):
    path = tmp_path / "k.json"
    path.write_text(json.dumps(GOOD))
    assert keys.read_source(key_file=str(path))[1] == keys.fingerprint(RAW)
    assert keys.read_source() == (None, None)
    with pytest.raises(SaltInvocationError, match="either 'key' or 'key_file'"):
        keys.read_source(key=json.dumps(GOOD), key_file=str(path))
    with pytest.raises(SaltInvocationError, match="'key_file'.*cannot read"):
        keys.read_source(key_file=str(tmp_path / "missing"))
    with pytest.raises(SaltInvocationError, match="'secret_file'.*absolute"):
        keys.check_sink(secret_file="relative.key")
    with pytest.raises(SaltInvocationError, match="'secret_sdb'"):
        keys.check_sink(secret_sdb="vault/x")
    with pytest.raises(SaltInvocationError, match="'id'"):
        keys.check_id("x")
