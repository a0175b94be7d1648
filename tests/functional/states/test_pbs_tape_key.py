"""pbs_tape_key states (and a media pool naming its key by hint) through Salt loaders
against the simulated PBS."""

import logging
import pathlib

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

PASSWORD = "tape-key-pass-1"
NEW_PASSWORD = "tape-key-pass-2"
HINT = "vault key 2026"
KEY_FILE = "tape-encryption-key-config.json"


def _keys(sim):
    return {fp: props.get("hint") for fp, props in sim.state.file(KEY_FILE).items()}


def _passwords(sim):
    return {fp: v["password"] for fp, v in sim.state.secret_store("tape-encryption-keys.json").items()}


def _our_log(caplog):
    # the test harness logs the arguments it calls a state with; Salt and we must not
    return "\n".join(r.getMessage() for r in caplog.records
                     if not r.name.startswith("saltfactories"))


def test_present_creates_then_keeps_the_key(pbs_states, pbs_simulator, caplog):
    st = pbs_states.pbs_tape_key
    with caplog.at_level(logging.DEBUG):
        dry = st.present(HINT, password=PASSWORD, test=True)
        assert dry["result"] is None
        assert dry["changes"] == {
            "old": None, "new": {"hint": HINT, "kdf": "scrypt", "password": "<hidden>"}
        }
        assert writes(pbs_simulator.exchanges()) == []
        done = st.present(HINT, password=PASSWORD)
        assert done["result"] is True, done["comment"]
        (fingerprint,) = _keys(pbs_simulator)
        assert done["changes"]["new"]["fingerprint"] == fingerprint
        assert _passwords(pbs_simulator)[fingerprint] == PASSWORD
        again = st.present(HINT, password=PASSWORD)
        assert again["result"] is True and again["changes"] == {}, again
        assert len(writes(pbs_simulator.exchanges())) == 1
        # a new password needs the one the key has now
        refused = st.present(HINT, password=NEW_PASSWORD)
        assert refused["result"] is False
        assert "password hint: vault key 2026" in refused["comment"]
        assert "current_password" in refused["comment"]
        assert _passwords(pbs_simulator)[fingerprint] == PASSWORD
        changed = st.present(HINT, password=NEW_PASSWORD, current_password=PASSWORD)
        assert changed["result"] is True, changed["comment"]
        assert changed["changes"] == {"password": {"old": "<hidden>", "new": "<hidden>"}}
        assert _passwords(pbs_simulator)[fingerprint] == NEW_PASSWORD
        # pinned by fingerprint, a new name is a new hint of the same key
        renamed = st.present("vault key 2027", password=NEW_PASSWORD, fingerprint=fingerprint,
                             kdf="pbkdf2")
        assert renamed["changes"] == {
            "hint": {"old": HINT, "new": "vault key 2027"},
            "kdf": {"old": "scrypt", "new": "pbkdf2"},
        }
        assert _keys(pbs_simulator) == {fingerprint: "vault key 2027"}
        results = [dry, done, again, refused, changed, renamed]
    for secret in (PASSWORD, NEW_PASSWORD):
        assert secret not in repr(results)
        assert secret not in _our_log(caplog)
        assert secret not in pathlib.Path(pbs_simulator.request_log).read_text(encoding="utf-8")


def test_adopted_key_is_checked_once_and_absent_deletes_it(pbs_states, pbs_modules,
                                                            pbs_simulator):
    fingerprint = pbs_modules.pbs_tape_key.create(PASSWORD, hint=HINT)
    st = pbs_states.pbs_tape_key
    wrong = st.present(HINT, password="not-the-password")
    assert wrong["result"] is False and "was not changed" in wrong["comment"]
    adopted = st.present(HINT, password=PASSWORD)
    assert adopted["result"] is True
    assert adopted["changes"] == {"password": {"old": "<hidden>", "new": "<hidden>"}}
    assert st.present(HINT, password=PASSWORD)["changes"] == {}
    assert st.present(HINT, password=PASSWORD, update_secret="on_create")["changes"] == {}
    assert st.present(HINT)["changes"] == {}  # the password is not managed
    dry = st.absent(HINT, test=True)
    assert dry["result"] is None
    assert dry["changes"] == {"old": {"fingerprint": fingerprint, "hint": HINT, "kdf": "scrypt"},
                              "new": None}
    assert st.absent(HINT)["result"] is True
    assert _keys(pbs_simulator) == {}
    assert st.absent(HINT)["changes"] == {}


def test_bad_input_fails_before_any_write(pbs_states, pbs_modules, pbs_simulator):
    st = pbs_states.pbs_tape_key
    short = st.present(HINT, password="abc")
    assert short["result"] is False and "'password'" in short["comment"]
    assert "abc" not in short["comment"]
    missing = st.present(HINT)
    assert missing["result"] is False and "creating one needs a password" in missing["comment"]
    unknown = st.present(HINT, password=PASSWORD, fingerprint=":".join(["cd"] * 32))
    assert unknown["result"] is False and "'fingerprint'" in unknown["comment"]
    bad_fp = st.present(HINT, password=PASSWORD, fingerprint="cd:cd")
    assert bad_fp["result"] is False and "'fingerprint'" in bad_fp["comment"]
    assert st.present(HINT, password=PASSWORD, kdf="none")["result"] is False
    assert st.present(HINT, password=PASSWORD, update_secret="sometimes")["result"] is False
    assert writes(pbs_simulator.exchanges()) == []
    pbs_modules.pbs_tape_key.create(PASSWORD, hint=HINT)
    pbs_modules.pbs_tape_key.create(PASSWORD, hint=HINT)
    twice = st.present(HINT, password=PASSWORD)
    assert twice["result"] is False and "name the key by its fingerprint" in twice["comment"]


def test_media_pool_names_its_key_by_hint(pbs_states, pbs_simulator):
    dry = pbs_states.pbs_media_pool.present("weekly", encrypt_key=HINT, test=True)
    assert dry["result"] is None and "may create it" in dry["comment"]
    refused = pbs_states.pbs_media_pool.present("weekly", encrypt_key=HINT)
    assert refused["result"] is False
    assert refused["comment"] == "Invalid value for 'encrypt_key': no tape encryption key has" \
        " the hint 'vault key 2026'"
    assert writes(pbs_simulator.exchanges()) == []
    pbs_states.pbs_tape_key.present(HINT, password=PASSWORD)
    (fingerprint,) = _keys(pbs_simulator)
    done = pbs_states.pbs_media_pool.present("weekly", encrypt_key=HINT)
    assert done["result"] is True, done["comment"]
    assert pbs_simulator.state.file("media-pool.cfg").props("weekly")["encrypt"] == fingerprint
    assert pbs_states.pbs_media_pool.present("weekly", encrypt_key=HINT)["changes"] == {}
    both = pbs_states.pbs_media_pool.present("weekly", encrypt_key=HINT, encrypt=fingerprint)
    assert both["result"] is False and "either encrypt or encrypt_key" in both["comment"]
