"""The simulated second factors against PBS's rules (PBS src/api2/access/tfa.rs,
proxmox-tfa api/methods.rs and api/mod.rs, proxmox-auth-api api/access.rs): texts and
codes of refusals, the caller's password, the partial ticket and the lock-outs."""

import base64
import json
import urllib.parse

import pytest

from saltext.pbs.simulator.endpoints import tfa as sim_tfa

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
URI = f"otpauth://totp/PBS:carol%40pbs?secret={SECRET}&digits=6&algorithm=SHA1&period=30"


def _code(sim, offset=0):
    totp = {"secret": base64.b32decode(SECRET), "digits": 6, "algorithm": "sha1", "period": 30}
    return sim_tfa.totp_code(totp, int(sim.clock.now()) // 30 + offset)


@pytest.fixture
def carol(api, pbs_simulator):
    root = api.root()
    resp = api.request("POST", "/access/users", json={"userid": "carol@pbs",
                                                       "password": "carol-password"}, **root)
    assert resp.status_code == 200, resp.text
    return root


def _login(api, password, challenge=None, user="carol@pbs"):
    data = {"username": user, "password": password}
    if challenge:
        data["tfa-challenge"] = challenge
    return api.request("POST", "/access/ticket", data=data)


@pytest.mark.fidelity
def test_add_refusals(api, pbs_simulator, carol):
    def post(body, **auth):
        return api.request("POST", "/access/tfa/carol@pbs", json=body, **(auth or carol))

    cases = [
        ({"type": "totp", "totp": URI, "value": _code(pbs_simulator)},
         "'description' is required for new entries"),
        ({"type": "totp", "description": "x"},
         "'totp' type requires both 'totp' and 'value' parameters"),
        ({"type": "totp", "description": "x", "totp": "http://x", "value": "1"},
         "not an otpauth uri"),
        ({"type": "totp", "description": "x", "totp": URI + "&foo=1", "value": "1"},
         "unknown otpauth uri parameter: 'foo'"),
        ({"type": "totp", "description": "x", "totp": URI, "value": "000000x"},
         "failed to verify TOTP challenge"),
        ({"type": "recovery", "value": "1"},
         "generating recovery tokens does not allow additional parameters"),
        ({"type": "webauthn", "totp": URI}, "'totp' parameter is invalid for 'webauthn' entries"),
    ]
    for body, text in cases:
        resp = post(body)
        assert (resp.status_code, resp.text) == (400, text), body
    resp = api.request("POST", "/access/tfa/ghost@pbs", json={"type": "recovery"}, **carol)
    assert (resp.status_code, resp.text) == (401, "user 'ghost@pbs' does not exists.")
    ticket, csrf = api.login("carol@pbs", "carol-password")
    own = {"ticket": ticket, "csrf": csrf}
    resp = post({"type": "recovery"}, **own)
    assert (resp.status_code, resp.text) == (401, "missing password")
    resp = post({"type": "recovery", "password": "wrong"}, **own)
    assert resp.status_code == 401
    resp = post({"type": "recovery", "password": "carol-password"}, **own)
    assert resp.status_code == 200 and len(resp.json()["data"]["recovery"]) == 10
    resp = post({"type": "recovery"})
    assert (resp.status_code, resp.text) == (400, "user already has recovery keys")


@pytest.mark.fidelity
def test_item_texts(api, carol):
    resp = api.request("GET", "/access/tfa/carol@pbs/nope", **carol)
    assert (resp.status_code, resp.text) == (404, "no such tfa entry: carol@pbs/nope")
    resp = api.request("DELETE", "/access/tfa/carol@pbs/nope", **carol)
    assert (resp.status_code, resp.text) == (404, "no such tfa entry: carol@pbs/nope")
    # logged in before her first factor: this ticket stays valid
    ticket, csrf = api.login("carol@pbs", "carol-password")
    api.request("POST", "/access/tfa/carol@pbs", json={"type": "recovery"}, **carol)
    resp = api.request("PUT", "/access/tfa/carol@pbs/recovery", json={"enable": False}, **carol)
    assert (resp.status_code, resp.text) == (404, "no such entry: carol@pbs/recovery")
    # a user may not read another user's factors without Permissions.Modify
    resp = api.request("GET", "/access/tfa/root@pam", ticket=ticket)
    assert resp.status_code == 403
    assert api.request("GET", "/access/tfa", ticket=ticket).json()["data"][0]["userid"] == (
        "carol@pbs")


@pytest.mark.fidelity
def test_partial_ticket_and_lockouts(api, pbs_simulator, carol):
    resp = api.request("POST", "/access/tfa/carol@pbs", json={
        "type": "totp", "description": "phone", "totp": URI, "value": _code(pbs_simulator)},
        **carol)
    assert resp.status_code == 200 and set(resp.json()["data"]) == {"id"}
    data = _login(api, "carol-password").json()["data"]
    assert data["CSRFPreventionToken"] == "invalid"
    prefix, payload = data["ticket"].split(":")[:2]
    assert prefix == "PBS" and payload.startswith("!tfa!")
    assert json.loads(urllib.parse.unquote(payload)[5:]) == {"totp": True}
    # a partial ticket is no login
    assert api.request("GET", "/version", ticket=data["ticket"]).status_code == 401
    # nor is it valid for another user
    assert _login(api, "totp:" + _code(pbs_simulator), data["ticket"],
                  user="root@pam").status_code == 401
    for _ in range(sim_tfa.TOTP_FAILURE_LIMIT):
        assert _login(api, "totp:000000", data["ticket"]).status_code == 401
    # locked: even the right code fails now
    assert _login(api, "totp:" + _code(pbs_simulator), data["ticket"]).status_code == 401
    (user,) = [u for u in api.request("GET", "/access/users", **carol).json()["data"]
               if u["userid"] == "carol@pbs"]
    assert user["totp-locked"] is True
    resp = api.request("PUT", "/access/users/carol@pbs/unlock-tfa", **carol)
    assert resp.json()["data"] is True
    assert _login(api, "totp:" + _code(pbs_simulator), data["ticket"]).status_code == 200
    # a code is not accepted twice
    assert _login(api, "totp:" + _code(pbs_simulator), data["ticket"]).status_code == 401
    pbs_simulator.state.secret_store("tfa")["carol@pbs"]["tfa-failures"] = 99
    assert _login(api, "totp:000000", data["ticket"]).status_code == 401
    (entry,) = api.request("GET", "/access/tfa", **carol).json()["data"]
    assert entry["tfa-locked-until"] > pbs_simulator.clock.now()
    # the partial ticket expires after 10 minutes
    pbs_simulator.clock.advance(601)
    api.request("PUT", "/access/users/carol@pbs/unlock-tfa", **api.root())
    assert _login(api, "totp:" + _code(pbs_simulator), data["ticket"]).status_code == 401


def test_deleting_the_user_removes_the_factors(api, pbs_simulator, carol):
    api.request("POST", "/access/tfa/carol@pbs", json={"type": "recovery"}, **carol)
    assert api.request("DELETE", "/access/users/carol@pbs", **carol).status_code == 200
    assert api.request("GET", "/access/tfa", **carol).json()["data"] == []
