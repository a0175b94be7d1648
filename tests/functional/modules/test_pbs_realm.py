"""pbs_realm execution module against the simulated PBS."""

import pytest

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_realm_functions(pbs_modules, pbs_simulator):
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
