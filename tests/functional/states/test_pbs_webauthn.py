"""pbs_webauthn states through Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import configure_pbs
from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _writes(sim):
    return writes(sim.exchanges())


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
