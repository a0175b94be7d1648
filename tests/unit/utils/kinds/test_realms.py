"""The realm and WebAuthn kinds: variants, list-like text, secrets, the resent ``default``
and the WebAuthn origin (no PBS needed)."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import realms
from tests.unit.utils.recorder import Recorder


def test_realm_variants_and_required_properties():
    assert set(realms.REALM.types) == {"ldap", "ad", "openid"}
    ldap = realms.REALM.variant("ldap")
    assert catalog.missing_required(ldap, {"server1": "x"}) == ["base_dn", "user_attr"]
    assert catalog.missing_required(realms.REALM.variant("ad"), {"server1": "x"}) == []
    with pytest.raises(SaltInvocationError, match="'type'"):
        realms.REALM.variant("kerberos")
    with pytest.raises(SaltInvocationError, match="Invalid Realm|Invalid LDAP realm name"):
        ldap.check_id("x")


def test_realm_lists_and_secrets():
    ldap = realms.REALM.variant("ldap")
    values = catalog.desired(ldap, {"user_classes": "b, a;a", "password": "bind"}, "create")
    assert values["user-classes"] == ["a", "b"]
    assert catalog.wire_body(ldap, values)["user-classes"] == "a,b"
    assert catalog.display(ldap, values)["password"] == catalog.HIDDEN
    assert ldap.prop("default").resend


def test_realm_default_resent_on_update():
    current = {"realm": "corp", "server1": "a", "default": True}
    client = Recorder(answers={"/config/access/ldap": [current]})
    ret = reconcile.present(
        realms.REALM,
        "corp",
        {"type": "ldap", "server1": "b"},
        opts={"test": False, "cachedir": "/nonexistent"},
        context={},
        client=client,
    )
    assert ret["result"] is True, ret["comment"]
    assert ret["changes"] == {"server1": {"old": "a", "new": "b"}}
    (put,) = [r for r in client.requests if r[0] == "PUT"]
    assert put[2]["default"] is True and put[2]["server1"] == "b"


def test_webauthn_origin_normalised_and_root_only():
    origin = realms.WEBAUTHN.prop("origin")
    assert origin.coerce("HTTPS://PBS.example.com:443/ui") == "https://pbs.example.com"
    assert origin.coerce("https://[::1]:8007") == "https://[::1]:8007"
    with pytest.raises(SaltInvocationError, match="'origin'"):
        origin.coerce("pbs.example.com")
    with pytest.raises(SaltInvocationError, match="only root@pam"):
        realms.root_only(Recorder(username=None, token_id="root@pam!t"))
    realms.root_only(Recorder())
