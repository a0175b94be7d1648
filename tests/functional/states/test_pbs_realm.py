"""pbs_realm and pbs_webauthn states through Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import configure_pbs
from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

LDAP = {
    "type": "ldap",
    "server1": "ldap1.example.com",
    "base_dn": "ou=people,dc=example,dc=com",
    "user_attr": "uid",
    "bind_dn": "cn=pbs,dc=example,dc=com",
    "password": "bind-secret-1",
    "user_classes": ["posixAccount", "inetOrgPerson"],
    "sync_attributes": {"email": "mail", "firstname": "givenName"},
    "sync_defaults_options": {"enable_new": True, "remove_vanished": "acl;entry"},
    "comment": "Corporate",
}


def _realm(sim, name):
    return sim.state.file("domains.cfg").get(name)


def _writes(sim):
    return writes(sim.exchanges())


def test_ldap_realm_lifecycle(pbs_states, pbs_simulator):
    sim = pbs_simulator
    ret = pbs_states.pbs_realm.present(name="corp", **LDAP)
    assert ret.result is True, ret.comment
    assert ret.changes["new"]["password"] == "<hidden>"
    assert ret.changes["new"]["type"] == "ldap"
    stored = _realm(sim, "corp")
    assert stored["server1"] == "ldap1.example.com" and "password" not in stored
    (post,) = _writes(sim)
    assert post["body"]["user-classes"] == "inetOrgPerson,posixAccount"
    assert post["body"]["password"] == "bind-secret-1"

    sim.clear_exchanges()
    ret = pbs_states.pbs_realm.present(name="corp", **LDAP)
    assert ret.result is True and ret.changes == {}, ret.changes
    assert _writes(sim) == []

    ret = pbs_states.pbs_realm.present(name="corp", **{**LDAP, "server2": "ldap2.example.com"})
    assert ret.result is True, ret.comment
    assert ret.changes == {"server2": {"old": None, "new": "ldap2.example.com"}}
    assert _realm(sim, "corp")["server2"] == "ldap2.example.com"

    sim.clear_exchanges()
    ret = pbs_states.pbs_realm.present(name="corp", **{**LDAP, "password": "bind-secret-2"})
    assert ret.changes == {"password": {"old": "<hidden>", "new": "<hidden>"}}
    assert "bind-secret-2" not in repr(ret)

    sim.clear_exchanges()
    ret = pbs_states.pbs_realm.absent(name="corp", type="ldap", test=True)
    assert ret.result is None and _writes(sim) == []
    ret = pbs_states.pbs_realm.absent(name="corp", type="ldap")
    assert ret.result is True and _realm(sim, "corp") is None


def test_realm_default_survives_other_updates(pbs_states, pbs_simulator):
    sim = pbs_simulator
    props = {"type": "openid", "issuer_url": "https://id.example.com", "client_id": "pbs"}
    ret = pbs_states.pbs_realm.present(name="sso", default=True, **props)
    assert ret.result is True, ret.comment
    assert _realm(sim, "sso")["default"] is True
    ret = pbs_states.pbs_realm.present(name="sso", comment="SSO", **props)
    assert ret.changes == {"comment": {"old": None, "new": "SSO"}}
    assert _realm(sim, "sso").get("default") is True  # re-sent: PBS drops it otherwise


def test_openid_realm_and_create_only_claim(pbs_states, pbs_simulator):
    props = {
        "type": "openid",
        "issuer_url": "https://id.example.com/realms/main",
        "client_id": "pbs",
        "client_key": "oidc-key-1",
        "scopes": "email profile",
        "username_claim": "preferred_username",
        "autocreate": True,
    }
    ret = pbs_states.pbs_realm.present(name="sso", **props)
    assert ret.result is True, ret.comment
    assert ret.changes["new"]["client_key"] == "<hidden>"
    ret = pbs_states.pbs_realm.present(name="sso", **props)
    assert ret.result is True and ret.changes == {}
    ret = pbs_states.pbs_realm.present(name="sso", **{**props, "username_claim": "email"})
    assert ret.result is False and "'username_claim' cannot be changed" in ret.comment


def test_realm_bad_input(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_realm.present(name="corp", type="kerberos", server1="x")
    assert ret.result is False and "'type'" in ret.comment
    ret = pbs_states.pbs_realm.present(name="corp", type="ldap", server1="x", mode="tls")
    assert ret.result is False and "'mode'" in ret.comment
    ret = pbs_states.pbs_realm.present(name="corp", type="ldap", server1="x")
    assert ret.result is False and "base_dn" in ret.comment
    assert writes(pbs_simulator.exchanges()) == []


def test_realm_sync_waits_for_task(pbs_modules, pbs_simulator):
    pbs_modules.pbs_realm.create(
        "corp", type="ldap", server1="ldap1.example.com", base_dn="dc=example", user_attr="uid"
    )
    pbs_simulator.state.runtime["realm-directory"] = {
        "corp": [{"user": "alice", "email": "a@example.com"}]
    }
    status = pbs_modules.pbs_realm.sync("corp", enable_new=True)
    assert status["exitstatus"] == "OK"
    assert pbs_simulator.state.user("alice@corp")["email"] == "a@example.com"


# ----- WebAuthn ---------------------------------------------------------------------------
WEBAUTHN = {
    "rp": "pbs.example.com",
    "origin": "https://pbs.example.com:8007",
    "id": "pbs.example.com",
}


def _webauthn(sim):
    return sim.state.file("tfa.json").get("webauthn")


def test_webauthn_set_reapply_change(pbs_states, pbs_simulator):
    sim = pbs_simulator
    ret = pbs_states.pbs_webauthn.managed(name="wa", **WEBAUTHN, test=True)
    assert ret.result is None and _writes(sim) == []
    ret = pbs_states.pbs_webauthn.managed(name="wa", **WEBAUTHN)
    assert ret.result is True, ret.comment
    assert ret.changes["rp"] == {"old": None, "new": "pbs.example.com"}
    assert _webauthn(sim)["origin"] == "https://pbs.example.com:8007"

    sim.clear_exchanges()
    ret = pbs_states.pbs_webauthn.managed(
        name="wa", **{**WEBAUTHN, "origin": "https://PBS.example.com:8007/"}
    )
    assert ret.result is True and ret.changes == {} and _writes(sim) == []

    ret = pbs_states.pbs_webauthn.managed(name="wa", **WEBAUTHN, allow_subdomains=False)
    assert ret.changes == {"allow_subdomains": {"old": None, "new": False}}
    (put,) = _writes(sim)
    assert "digest" in put["body"]


def test_webauthn_refused_for_non_root(pbs_loaders, pbs_simulator, pbs_minion_config):
    sim = pbs_simulator
    sim.state.users.set("admin@pbs", "user", {"userid": "admin@pbs"})
    sim.state.set_password("admin@pbs", "admin-pass-1")
    sim.add_acl("/", "admin@pbs", "Admin")
    configure_pbs(
        pbs_loaders, {**pbs_minion_config, "username": "admin@pbs", "password": "admin-pass-1"}
    )
    ret = pbs_loaders.states.pbs_webauthn.managed(name="wa", **WEBAUTHN)
    assert ret.result is False and "only root@pam" in ret.comment
    assert _writes(sim) == []
