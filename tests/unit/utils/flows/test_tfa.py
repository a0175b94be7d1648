"""TOTP codes, secrets and sinks of second factors (saltext.pbs.utils.flows.tfa)."""

import base64
import os
import stat

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.flows import tfa

# RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" (8-digit values there; the
# last 6 digits are the 6-digit code of the same counter)
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    "at, code", [(59, "287082"), (1111111109, "081804"), (1234567890, "005924"),
                 (2000000000, "279037")],
)
def test_totp_code_matches_rfc_6238(at, code):
    assert tfa.totp_code(RFC_SECRET, at) == code


def test_uri_carries_pbs_parameters():
    uri = tfa.totp_uri("alice@pbs", RFC_SECRET.rstrip("="))
    assert uri.startswith("otpauth://totp/Proxmox%20Backup%20Server%3Aalice%40pbs?secret=")
    assert "&digits=6&algorithm=SHA1&period=30" in uri


@pytest.mark.parametrize("value, reason", [
    ("", "expected a base32"), ("ABC1", "not base32"), ("MFRGG", "too short"), (None, "base32"),
])
def test_check_secret_names_the_field_not_the_value(value, reason):
    with pytest.raises(SaltInvocationError, match=f"'secret': .*{reason}") as err:
        tfa.check_secret(value)
    if value:
        assert value not in str(err.value)


def test_check_secret_normalises():
    assert tfa.check_secret(" mfrg gzdf mztw q2lk ") == "MFRGGZDFMZTWQ2LK"
    assert len(tfa.check_secret(tfa.new_secret())) == 32


def test_recovery_sink_round_trip(tmp_path):
    sink = tfa.FactorSink.from_args(secret_file=str(tmp_path / "d" / "r"))
    keys = [f"{i:04x}-0000-0000-0000" for i in range(10)]
    sink.write("recovery of 'a@pbs'", tfa.recovery_text("a@pbs", keys))
    assert stat.S_IMODE(os.stat(tmp_path / "d" / "r").st_mode) == 0o600
    assert tfa.recovery_keys(sink.read("recovery")) == keys


def test_sink_arguments():
    with pytest.raises(SaltInvocationError, match="for the second factor, not both"):
        tfa.FactorSink.from_args("/x", "sdb://a/b")
    assert tfa.FactorSink.from_args() is None


class _Client:
    def __init__(self, auth_id, token_id=None, password=None):
        self.auth_id, self.token_id = auth_id, token_id
        self.conf = {"password": password} if password else {}


def test_caller_password_rules():
    assert tfa.caller_password(_Client("root@pam", password="pw"), None) is None
    assert tfa.caller_password(_Client("root@pam!ci", "root@pam!ci"), "x") is None
    assert tfa.caller_password(_Client("a@pbs", password="own"), None) == "own"
    assert tfa.caller_password(_Client("a@pbs!t", "a@pbs!t"), "given") == "given"
    with pytest.raises(SaltInvocationError, match="the password of a@pbs"):
        tfa.caller_password(_Client("a@pbs!t", "a@pbs!t"), None)
