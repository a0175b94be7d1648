"""The stored hashes that decide when a write-only secret is sent again."""

import hashlib
import json
import os
import stat

import pytest

from saltext.pbs.utils import secrets

ARGS = ("https://pbs.example:8007", "remote", "pbs2", "password")


@pytest.fixture
def opts(tmp_path, monkeypatch):
    monkeypatch.setattr(secrets, "_KEYS", {})
    return {"cachedir": str(tmp_path / "cache"), "pki_dir": str(tmp_path / "pki")}


def _record(opts):
    with open(secrets._file(opts, *ARGS), encoding="utf-8") as fh:
        return json.load(fh)


def test_remembered_value_matches_and_another_does_not(opts):
    assert secrets.matches(opts, *ARGS, "s3cret") is None
    secrets.remember(opts, *ARGS, "s3cret")
    assert secrets.matches(opts, *ARGS, "s3cret") is True
    assert secrets.matches(opts, *ARGS, "other") is False
    assert secrets.needs_update(opts, *ARGS, "s3cret", "on_change") is False
    assert secrets.needs_update(opts, *ARGS, "other", "on_change") is True


def test_record_is_keyed_and_the_key_lives_outside_the_cache(opts):
    secrets.remember(opts, *ARGS, "s3cret")
    record = _record(opts)
    assert record["kdf"] == "hmac-sha256"
    assert "s3cret" not in json.dumps(record)
    key_file = os.path.join(opts["pki_dir"], secrets.KEY_FILE)
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert not key_file.startswith(opts["cachedir"])
    # Without the key, the record cannot be tested against a guess: a plain salted
    # SHA-256 of the right value does not reproduce it.
    salt = bytes.fromhex(record["salt"])
    assert record["hash"] != hashlib.sha256(salt + b"s3cret").hexdigest()


def test_same_secret_twice_gives_different_records(opts):
    secrets.remember(opts, *ARGS, "s3cret")
    first = _record(opts)
    secrets.remember(opts, *ARGS, "s3cret")
    assert _record(opts)["hash"] != first["hash"]


def test_key_survives_the_process(opts, monkeypatch):
    secrets.remember(opts, *ARGS, "s3cret")
    monkeypatch.setattr(secrets, "_KEYS", {})  # a new process reads the key file again
    assert secrets.matches(opts, *ARGS, "s3cret") is True


def test_lost_key_means_unknown_not_a_false_match(opts, monkeypatch):
    secrets.remember(opts, *ARGS, "s3cret")
    os.unlink(os.path.join(opts["pki_dir"], secrets.KEY_FILE))
    monkeypatch.setattr(secrets, "_KEYS", {})
    # a fresh key cannot vouch for the old record: the secret is sent once more
    assert secrets.matches(opts, *ARGS, "s3cret") is False
    assert secrets.needs_update(opts, *ARGS, "s3cret", "on_change") is True


def test_legacy_pbkdf2_record_is_read_and_upgraded(opts):
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", b"s3cret", salt, 60000)
    legacy = {"salt": salt.hex(), "hash": digest.hex()}
    path = secrets._file(opts, *ARGS)
    os.makedirs(os.path.dirname(path))
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(legacy, fh)
    assert secrets.matches(opts, *ARGS, "other") is False
    assert "kdf" not in _record(opts)  # a mismatch leaves the record as it was
    assert secrets.matches(opts, *ARGS, "s3cret") is True
    assert _record(opts)["kdf"] == "hmac-sha256"
    assert secrets.matches(opts, *ARGS, "s3cret") is True


def test_unwritable_pki_dir_falls_back_to_pbkdf2(opts, tmp_path, caplog):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    opts["pki_dir"] = str(blocker)
    secrets.remember(opts, *ARGS, "s3cret")
    assert _record(opts)["kdf"] == "pbkdf2-sha256"
    assert secrets.matches(opts, *ARGS, "s3cret") is True
    assert secrets.matches(opts, *ARGS, "other") is False
    assert "fall back to PBKDF2" in caplog.text
    assert "s3cret" not in caplog.text


def test_damaged_record_counts_as_unknown(opts):
    secrets.remember(opts, *ARGS, "s3cret")
    with open(secrets._file(opts, *ARGS), "w", encoding="utf-8") as fh:
        fh.write('{"kdf": "rot13", "salt": "00", "hash": "x"}')
    assert secrets.matches(opts, *ARGS, "s3cret") is None


def test_forget_drops_the_record(opts):
    secrets.remember(opts, *ARGS, "s3cret")
    assert secrets.known(opts, *ARGS)
    secrets.forget(opts, *ARGS)
    assert not secrets.known(opts, *ARGS)
    secrets.forget(opts, *ARGS)  # already gone: no error
