"""pbs_tfa and pbs_user.unlock_tfa through Salt loaders against the simulated PBS: every
operation under /access/tfa and unlock-tfa, the login that asks for (and no longer asks
for) a second factor, and secrets that go only to their sink."""

import os
import stat

import pytest
import requests
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.flows import tfa as tfa_flows
from tests.support.helpers import configure_pbs
from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

USER = "alice@pbs"
USER_PASSWORD = "alice-password-1"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def alice(pbs_modules):
    pbs_modules.pbs_user.create(USER, password=USER_PASSWORD)
    return USER


def _login(sim, userid, password, challenge=None):
    """POST /access/ticket as a browser would: the answer's data."""
    form = {"username": userid, "password": password}
    if challenge is not None:
        form["tfa-challenge"] = challenge
    resp = requests.post(
        sim.url + "/api2/json/access/ticket", data=form, verify=sim.ca_file, timeout=30
    )
    return resp.status_code, (resp.json()["data"] if resp.status_code == 200 else resp.text)


def _asks_second_factor(data):
    return data["CSRFPreventionToken"] == "invalid" and data["ticket"].startswith("PBS:!tfa!")


def test_recovery_keys_from_the_sink_then_removed_login_asks_no_more(
    pbs_modules, pbs_simulator, alice, tmp_path
):
    sink = tmp_path / "tfa" / "alice.recovery"
    added = pbs_modules.pbs_tfa.add(alice, "recovery", secret_file=str(sink))
    assert added == {"userid": alice, "id": "recovery", "type": "recovery",
                     "secret_written_to": f"file {sink}"}
    assert stat.S_IMODE(os.stat(sink).st_mode) == 0o600
    keys = tfa_flows.recovery_keys(sink.read_text(encoding="utf-8"))
    assert len(keys) == 10 and all(len(k) == 19 for k in keys)
    assert not any(k in repr(added) for k in keys)
    (entry,) = pbs_modules.pbs_tfa.list(userid=alice)
    assert entry["type"] == "recovery" and entry["id"] == "recovery"
    assert pbs_modules.pbs_tfa.get(alice, "recovery")["created"] == entry["created"]

    status, data = _login(pbs_simulator, alice, USER_PASSWORD)
    assert status == 200 and _asks_second_factor(data)
    # a key read from the sink completes the login, once
    status, full = _login(pbs_simulator, alice, "recovery:" + keys[0], data["ticket"])
    assert status == 200 and full["CSRFPreventionToken"] != "invalid"
    _, data = _login(pbs_simulator, alice, USER_PASSWORD)
    assert _login(pbs_simulator, alice, "recovery:" + keys[0], data["ticket"])[0] == 401

    assert pbs_modules.pbs_tfa.delete(alice, "recovery") is True
    assert pbs_modules.pbs_tfa.list(userid=alice) == []
    assert pbs_modules.pbs_tfa.delete(alice, "recovery") is False
    status, data = _login(pbs_simulator, alice, USER_PASSWORD)
    assert status == 200 and not _asks_second_factor(data)
    # recovery keys appear only masked in the request-log file
    log_text = open(pbs_simulator.request_log, encoding="utf-8").read()
    assert not any(k in log_text for k in keys)


def test_totp_add_update_login_lockout_unlock(pbs_modules, pbs_simulator, alice):
    added = pbs_modules.pbs_tfa.add(alice, "totp", description="phone", secret=SECRET)
    assert added["type"] == "totp" and added["secret_written_to"] is None
    entry_id = added["id"]
    (post,) = [w for w in writes(pbs_simulator.exchanges()) if w["path"].endswith("/tfa/" + alice)
               or w["path"].endswith("/tfa/alice%40pbs")]
    assert post["body"]["totp"].startswith("otpauth://totp/") and "password" not in post["body"]
    assert pbs_modules.pbs_tfa.get(alice, entry_id)["description"] == "phone"
    listed = pbs_modules.pbs_tfa.list()
    assert [u["userid"] for u in listed] == [alice]

    _, data = _login(pbs_simulator, alice, USER_PASSWORD)
    assert _asks_second_factor(data)
    for _ in range(tfa_flows_limit()):
        assert _login(pbs_simulator, alice, "totp:000000", data["ticket"])[0] == 401
    (locked,) = pbs_modules.pbs_tfa.list()
    assert locked["totp-locked"] is True
    assert pbs_modules.pbs_user.unlock_tfa(alice) is True
    assert pbs_modules.pbs_user.unlock_tfa(alice) is False
    assert "totp-locked" not in pbs_modules.pbs_tfa.list()[0]
    code = tfa_flows.totp_code(SECRET)
    status, full = _login(pbs_simulator, alice, "totp:" + code, data["ticket"])
    assert status == 200 and full["CSRFPreventionToken"] != "invalid"

    updated = pbs_modules.pbs_tfa.update(alice, entry_id, enable=False, description="old phone")
    assert updated["enable"] is False and updated["description"] == "old phone"
    _, data = _login(pbs_simulator, alice, USER_PASSWORD)
    assert not _asks_second_factor(data)  # every factor disabled
    assert pbs_modules.pbs_tfa.delete(alice, entry_id) is True
    assert pbs_modules.pbs_tfa.get(alice, entry_id) is None


def tfa_flows_limit():
    from saltext.pbs.simulator.endpoints import tfa  # pylint: disable=import-outside-toplevel

    return tfa.TOTP_FAILURE_LIMIT


def test_generated_totp_secret_goes_to_the_sink(pbs_modules, pbs_simulator, alice, tmp_path):
    sink = tmp_path / "alice.totp"
    added = pbs_modules.pbs_tfa.add(alice, "totp", description="laptop", secret_file=str(sink))
    uri = sink.read_text(encoding="utf-8").strip()
    assert uri.startswith("otpauth://totp/") and uri not in repr(added)
    secret = uri.split("secret=", 1)[1].split("&", 1)[0]
    _, data = _login(pbs_simulator, alice, USER_PASSWORD)
    code = tfa_flows.totp_code(secret)
    assert _login(pbs_simulator, alice, "totp:" + code, data["ticket"])[0] == 200
    assert added["secret_written_to"] == f"file {sink}"


def test_a_user_changes_their_own_factors_with_their_password(
    pbs_modules, pbs_loaders, pbs_minion_config, pbs_simulator, alice, tmp_path
):
    configure_pbs(pbs_loaders, {**pbs_minion_config, "username": alice,
                                "password": USER_PASSWORD})
    added = pbs_modules.pbs_tfa.add(alice, "recovery", secret_file=str(tmp_path / "r"))
    post = [w for w in pbs_simulator.exchanges() if w["method"] == "POST"
            and "/access/tfa/" in w["path"]][-1]
    assert post["body"]["password"] == USER_PASSWORD  # PBS asks for it
    assert added["id"] == "recovery"
    assert pbs_modules.pbs_tfa.list() == [
        {"userid": alice, "entries": pbs_modules.pbs_tfa.list(userid=alice)}]
    assert pbs_modules.pbs_tfa.delete(alice, "recovery") is True


def test_a_token_of_another_user_needs_a_password(
    pbs_modules, pbs_loaders, pbs_minion_config, pbs_simulator, alice
):
    pbs_modules.pbs_user.create("admin@pbs", password="admin-password-1")
    secret = pbs_simulator.create_token("admin@pbs", "ops")
    pbs_simulator.add_acl("/access/users", "admin@pbs", "Admin")
    pbs_simulator.add_acl("/access/users", "admin@pbs!ops", "Admin")
    block = {k: v for k, v in pbs_minion_config.items() if k not in ("username", "password")}
    configure_pbs(pbs_loaders, {**block, "token_id": "admin@pbs!ops", "token_secret": secret})
    before = len(writes(pbs_simulator.exchanges()))
    with pytest.raises(SaltInvocationError, match="give 'password' \\(the password of admin@pbs"):
        pbs_modules.pbs_tfa.add(alice, "totp", description="phone", secret=SECRET)
    assert len(writes(pbs_simulator.exchanges())) == before
    with pytest.raises(CommandExecutionError) as err:
        pbs_modules.pbs_tfa.add(alice, "totp", description="phone", secret=SECRET,
                                password="wrong-password")
    assert "wrong-password" not in str(err.value) and SECRET not in str(err.value)
    assert "PBS refused the change to the second factors of 'alice@pbs'" in str(err.value)
    added = pbs_modules.pbs_tfa.add(alice, "totp", description="phone", secret=SECRET,
                                    password="admin-password-1")
    assert pbs_modules.pbs_tfa.get(alice, added["id"])["type"] == "totp"
    assert pbs_modules.pbs_user.unlock_tfa(alice) is False


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"type": "webauthn", "description": "key"}, "'type': 'webauthn' needs a browser"),
        ({"type": "u2f", "description": "key"}, "'type': 'u2f' needs a browser"),
        ({"type": "yubico", "description": "key"}, "'type': 'yubico' needs a YubiKey"),
        ({"type": "sms"}, "'type': 'sms' is not one of totp, recovery"),
        ({"type": "totp", "secret": SECRET}, "'description': required"),
        ({"type": "totp", "description": "x", "secret": "not base32!1"}, "'secret': not base32"),
        ({"type": "totp", "description": "x", "secret": "JBSW"}, "'secret': too short"),
        ({"type": "totp", "description": "x"}, "needs 'secret'"),
        ({"type": "recovery"}, "PBS shows them only once"),
        ({"type": "recovery", "secret": SECRET, "secret_file": "/nonexistent/r"}, "'secret'"),
        ({"type": "totp", "description": "x" * 256, "secret": SECRET}, "'description'"),
    ],
)
def test_bad_input_refused_before_any_request(pbs_modules, pbs_simulator, alice, kwargs, match):
    before = len(writes(pbs_simulator.exchanges()))
    with pytest.raises(SaltInvocationError, match=match) as err:
        pbs_modules.pbs_tfa.add(alice, **kwargs)
    assert SECRET not in str(err.value)
    assert len(writes(pbs_simulator.exchanges())) == before


def test_unknown_user_and_entry(pbs_modules, pbs_simulator):
    with pytest.raises(SaltInvocationError, match="'userid': the user 'nobody@pbs' does not"):
        pbs_modules.pbs_tfa.add("nobody@pbs", "totp", description="x", secret=SECRET)
    assert writes(pbs_simulator.exchanges()) == []
    assert pbs_modules.pbs_tfa.list(userid="nobody@pbs") == []
    assert pbs_modules.pbs_tfa.get("root@pam", "no-such-id") is None
    with pytest.raises(SaltInvocationError, match="Invalid root@pam name|Invalid User name"):
        pbs_modules.pbs_tfa.list(userid="not a user")
    with pytest.raises(SaltInvocationError, match="'id': PBS cannot update recovery keys"):
        pbs_modules.pbs_tfa.update("root@pam", "recovery", enable=False)
    with pytest.raises(CommandExecutionError, match="no such entry: root@pam/nope"):
        pbs_modules.pbs_tfa.update("root@pam", "nope", enable=False)
