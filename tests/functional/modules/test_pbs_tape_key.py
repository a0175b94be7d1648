"""pbs_tape_key through Salt's loaders against the simulated PBS."""

import logging

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_key_lifecycle_password_never_shown(pbs_modules, pbs_simulator, caplog):
    keys = pbs_modules.pbs_tape_key
    with caplog.at_level(logging.DEBUG):
        fingerprint = keys.create(password="tape-secret-1", hint="vault 2026")
        assert keys.get(fingerprint)["hint"] == "vault 2026"
        assert keys.find("vault 2026")["fingerprint"] == fingerprint
        with pytest.raises(CommandExecutionError, match="password hint: vault 2026"):
            keys.change_password(fingerprint, "wrong-pass", "tape-secret-2", "new")
        keys.change_password(fingerprint, "tape-secret-1", "tape-secret-2", "vault 2027")
        assert keys.list()[0]["hint"] == "vault 2027"
    assert "tape-secret" not in caplog.text
    with pytest.raises(SaltInvocationError, match="'password'"):
        keys.create(password="abc", hint="x")
    with pytest.raises(SaltInvocationError, match="'fingerprint'"):
        keys.get("nope")
    keys.delete(fingerprint)
    assert keys.get(fingerprint) is None


def test_change_password_keeps_the_kdf_and_root_may_force(pbs_modules, pbs_simulator):
    keys = pbs_modules.pbs_tape_key
    fingerprint = keys.create(password="tape-secret-1", hint="pb", kdf="pbkdf2")
    keys.change_password(fingerprint, "tape-secret-1", "tape-secret-2", "pb")
    # PBS would re-encrypt with scrypt when kdf is left out
    assert keys.get(fingerprint)["kdf"] == "pbkdf2"
    assert keys.change_password(fingerprint, new_password="tape-secret-3", hint="pb",
                                force=True) is True
    stored = pbs_simulator.state.secret_store("tape-encryption-keys.json")[fingerprint]
    assert stored["password"] == "tape-secret-3"
    with pytest.raises(SaltInvocationError, match="'password'"):
        keys.change_password(fingerprint, "tape-secret-3", "tape-secret-4", "pb", force=True)
    with pytest.raises(SaltInvocationError, match="'key'"):
        keys.create(password="tape-secret-1", key="{}")
