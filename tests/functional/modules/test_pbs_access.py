"""pbs_user, pbs_token, pbs_acl, pbs_realm and pbs_webauthn execution modules against the
simulated PBS (results checked in the simulator's state)."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


@pytest.fixture
def user(pbs_modules):
    pbs_modules.pbs_user.create("backup@pbs", comment="c", password="backup-pass-1")
    return "backup@pbs"


def test_user_functions(pbs_modules, pbs_simulator, user):
    assert pbs_modules.pbs_user.get(user)["comment"] == "c"
    assert pbs_modules.pbs_user.get("ghost@pbs") is None
    assert user in [u["userid"] for u in pbs_modules.pbs_user.list()]
    pbs_modules.pbs_user.update(user, password="backup-pass-2")
    assert pbs_simulator.state.check_password(user, "backup-pass-2")
    updated = pbs_modules.pbs_user.update(user, comment=None, enable=False)
    assert "comment" not in updated and updated["enable"] is False
    with pytest.raises(SaltInvocationError, match="'password'"):
        pbs_modules.pbs_user.create("alice@pam", password="whatever-1")
    pbs_modules.pbs_user.delete(user)
    assert pbs_simulator.state.user(user) is None


def test_token_functions(pbs_modules, pbs_simulator, user, tmp_path):
    sink = tmp_path / "t.token"
    out = pbs_modules.pbs_token.create("backup@pbs!t1", secret_file=str(sink), comment="one")
    assert out == {"tokenid": "backup@pbs!t1", "secret_written_to": f"file {sink}"}
    secret = pbs_simulator.state.secret_store("token.shadow")["backup@pbs!t1"]
    assert sink.read_text() == f"backup@pbs!t1:{secret}\n"

    assert pbs_modules.pbs_token.get("backup@pbs!t1")["comment"] == "one"
    assert [t["tokenid"] for t in pbs_modules.pbs_token.list(userid=user)] == ["backup@pbs!t1"]
    assert "backup@pbs!t1" in [t["tokenid"] for t in pbs_modules.pbs_token.list()]
    assert pbs_modules.pbs_token.update("backup@pbs!t1", enable=False)["enable"] is False

    out = pbs_modules.pbs_token.regenerate("backup@pbs!t1", secret_file=str(sink))
    assert "secret" not in out
    new = pbs_simulator.state.secret_store("token.shadow")["backup@pbs!t1"]
    assert new != secret and sink.read_text() == f"backup@pbs!t1:{new}\n"
    shown = pbs_modules.pbs_token.regenerate("backup@pbs!t1", return_secret=True)
    assert shown["secret"] == pbs_simulator.state.secret_store("token.shadow")["backup@pbs!t1"]

    pbs_modules.pbs_token.delete("backup@pbs!t1")
    assert pbs_modules.pbs_token.get("backup@pbs!t1") is None


def test_token_create_without_sink_sends_nothing(pbs_modules, pbs_simulator, user):
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match="secret_file"):
        pbs_modules.pbs_token.create("backup@pbs!t2")
    assert writes(pbs_simulator.exchanges()) == []


def test_acl_functions(pbs_modules, pbs_simulator, user):
    created = pbs_modules.pbs_acl.create("/datastore/s1", user, "DatastoreBackup", propagate=False)
    assert created == {
        "path": "/datastore/s1",
        "auth_id": user,
        "role": "DatastoreBackup",
        "propagate": False,
    }
    assert ("/datastore/s1", user, "DatastoreBackup", False) in pbs_simulator.state.acl_entries()
    pbs_simulator.add_acl("/datastore/s1/ns", user, "DatastoreAudit")
    assert len(pbs_modules.pbs_acl.list(path="/datastore/s1")) == 1
    assert len(pbs_modules.pbs_acl.list(path="/datastore/s1", exact=False)) == 2
    assert len(pbs_modules.pbs_acl.list(auth_id=user)) == 2
    roles = {r["roleid"]: r["privs"] for r in pbs_modules.pbs_acl.roles()}
    assert roles["DatastoreBackup"] == ["Datastore.Backup"]
    perms = pbs_modules.pbs_acl.permissions(user, path="/datastore/s1")
    assert perms["effective"] == {"/datastore/s1": {"Datastore.Backup": False}}
    pbs_modules.pbs_acl.delete("/datastore/s1", user, "DatastoreBackup")
    assert (
        "/datastore/s1",
        user,
        "DatastoreBackup",
        False,
    ) not in pbs_simulator.state.acl_entries()
    with pytest.raises(CommandExecutionError, match="no such user"):
        pbs_modules.pbs_acl.create("/", "ghost@pbs", "Audit")


def test_realm_and_webauthn_functions(pbs_modules, pbs_simulator):
    pbs_modules.pbs_realm.create(
        "sso", type="openid", issuer_url="https://id.example.com", client_id="pbs", default=True
    )
    assert {"realm": "sso", "type": "openid", "default": True} in pbs_modules.pbs_realm.list(
        type="openid"
    )
    updated = pbs_modules.pbs_realm.update("sso", type="openid", comment="SSO")
    assert updated["comment"] == "SSO" and updated["default"] is True
    assert pbs_modules.pbs_realm.get("sso", type="openid")["client-id"] == "pbs"
    pbs_modules.pbs_realm.delete("sso", type="openid")
    assert pbs_modules.pbs_realm.get("sso", type="openid") is None

    assert pbs_modules.pbs_webauthn.get() is None
    done = pbs_modules.pbs_webauthn.update(
        rp="pbs", id="pbs.example.com", origin="https://pbs.example.com"
    )
    assert done == {"rp": "pbs", "id": "pbs.example.com", "origin": "https://pbs.example.com"}
