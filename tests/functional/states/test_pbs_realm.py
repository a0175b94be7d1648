"""pbs_realm states through Salt loaders against the simulated PBS."""

import pytest

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
