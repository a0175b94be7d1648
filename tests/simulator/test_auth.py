"""Authentication as PBS does it: tickets, CSRF, API tokens, 401 texts and delays."""

import re
import urllib.parse

import pytest

from saltext.pbs.simulator import server as sim_server

TICKET_RE = re.compile(r"^PBS:root@pam:[0-9A-F]{8}::[A-Za-z0-9+/]+$")
CSRF_RE = re.compile(r"^[0-9A-F]{8}:[A-Za-z0-9+/]+$")


def test_login_by_form_and_json(pbs_simulator, api):
    for kwargs in (
        {"data": {"username": "root@pam", "password": pbs_simulator.password}},
        {"json": {"username": "root@pam", "password": pbs_simulator.password}},
    ):
        resp = api.request("POST", "/access/ticket", **kwargs)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["success"] is True and body["status"] == 200
        assert set(body["data"]) == {"username", "ticket", "CSRFPreventionToken"}
        assert body["data"]["username"] == "root@pam"
        assert TICKET_RE.match(body["data"]["ticket"])
        assert CSRF_RE.match(body["data"]["CSRFPreventionToken"])
        stamp = int(body["data"]["ticket"].split(":")[2], 16)
        assert abs(stamp - pbs_simulator.clock.now()) < 5


@pytest.mark.fidelity
def test_login_failure(pbs_simulator, api):
    for username, password in (("root@pam", "wrong"), ("nobody@pbs", "x"), ("root@pve", "x")):
        resp = api.request("POST", "/access/ticket",
                           data={"username": username, "password": password})
        assert (resp.status_code, resp.text) == (401, "permission check failed.")
        assert resp.headers["Set-Cookie"].startswith("__Host-PBSAuthCookie=;")
    resp = api.request("POST", "/access/ticket", data={"username": "x", "password": "y"})
    assert resp.status_code == 400
    assert resp.text.startswith("parameter verification failed - 'username': ")


def test_ticket_cookie_and_csrf(pbs_simulator, api):
    ticket, csrf = api.login()
    for name in ("PBSAuthCookie", "__Host-PBSAuthCookie"):
        assert api.request("GET", "/version", ticket=ticket, cookie_name=name).status_code == 200
    # __Host- wins when both are present
    both = f"__Host-PBSAuthCookie={urllib.parse.quote(ticket)}; PBSAuthCookie=garbage"
    assert api.request("GET", "/version", headers={"Cookie": both}).status_code == 200
    both = f"__Host-PBSAuthCookie=garbage; PBSAuthCookie={urllib.parse.quote(ticket)}"
    assert api.request("GET", "/version", headers={"Cookie": both}).status_code == 401
    # raw (not percent-encoded) cookie values work too
    assert api.request("GET", "/version",
                       headers={"Cookie": f"PBSAuthCookie={ticket}"}).status_code == 200


@pytest.mark.fidelity
def test_csrf_required_on_every_non_get(pbs_simulator, api):
    ticket, csrf = api.login()
    resp = api.request("DELETE", "/nodes/localhost/tasks/UPID:x", ticket=ticket)
    assert (resp.status_code, resp.text) == (401, "authentication failed")
    resp = api.request("POST", "/tape/restore", ticket=ticket, csrf="00000000:bad")
    assert resp.status_code == 401
    # with the token the request gets past authentication to parameter checks
    resp = api.request("POST", "/tape/restore", ticket=ticket, csrf=csrf)
    assert resp.status_code == 400 and "parameter verification failed" in resp.text


def test_ticket_expires_after_two_hours_of_simulator_time(pbs_simulator, api):
    ticket, _ = api.login()
    pbs_simulator.clock.advance(7190)
    assert api.request("GET", "/version", ticket=ticket).status_code == 200
    pbs_simulator.clock.advance(20)
    resp = api.request("GET", "/version", ticket=ticket)
    assert (resp.status_code, resp.text) == (401, "authentication failed")
    # a fresh login works on the advanced clock
    assert api.request("GET", "/version", ticket=api.login()[0]).status_code == 200


def test_ticket_refresh_by_posting_the_ticket(pbs_simulator, api):
    ticket, _ = api.login()
    pbs_simulator.clock.advance(3600)
    resp = api.request("POST", "/access/ticket", data={"username": "root@pam", "password": ticket})
    assert resp.status_code == 200, resp.text
    fresh = resp.json()["data"]["ticket"]
    assert fresh != ticket
    pbs_simulator.clock.advance(3700)
    assert api.request("GET", "/version", ticket=ticket).status_code == 401
    assert api.request("GET", "/version", ticket=fresh).status_code == 200


@pytest.mark.fidelity
def test_refresh_with_expired_or_foreign_ticket_fails(pbs_simulator, api):
    ticket, _ = api.login()
    resp = api.request("POST", "/access/ticket", data={"username": "admin@pbs", "password": ticket})
    assert resp.status_code == 401
    pbs_simulator.clock.advance(7300)
    resp = api.request("POST", "/access/ticket", data={"username": "root@pam", "password": ticket})
    assert (resp.status_code, resp.text) == (401, "permission check failed.")


def test_http_only_login_sets_the_cookie(pbs_simulator, api):
    resp = api.request("POST", "/access/ticket", json={
        "username": "root@pam", "password": pbs_simulator.password, "http-only": True})
    assert resp.status_code == 200
    data = resp.json()["data"]
    assert "ticket" not in data and data["ticket-info"].startswith("PBS:root@pam:")
    cookie = resp.headers["Set-Cookie"]
    assert cookie.startswith("__Host-PBSAuthCookie=PBS:root@pam:") and "HttpOnly" in cookie
    ticket = cookie.split(";")[0].split("=", 1)[1]
    assert api.request("GET", "/version", ticket=ticket).status_code == 200


def test_logout(pbs_simulator, api):
    resp = api.request("DELETE", "/access/ticket")
    assert resp.status_code == 200
    assert resp.json() == {"data": {}, "status": 200, "success": True}
    assert resp.headers["Set-Cookie"].startswith("__Host-PBSAuthCookie=;")


@pytest.mark.parametrize("sep", ["=", " "])
def test_token_header_forms(pbs_simulator, api, sep):
    secret = pbs_simulator.create_token("root@pam", "ci")
    header = f"PBSAPIToken{sep}root@pam!ci:{secret}"
    resp = api.request("GET", "/version", headers={"Authorization": header})
    assert resp.status_code == 200


@pytest.mark.fidelity
def test_bad_token_headers_are_401(pbs_simulator, api):
    secret = pbs_simulator.create_token("root@pam", "ci")
    for header in (
        f"PVEAPIToken=root@pam!ci={secret}",
        f"PVEAPIToken=root@pam!ci:{secret}",
        f"PBSAPIToken=root@pam!ci:{secret}x",
        f"PBSAPIToken=root@pam!other:{secret}",
        f"pbsapitoken=root@pam!ci:{secret}",
        f"PBSAPIToken=root@pam:{secret}",
        f"PBSAPIToken:root@pam!ci:{secret}",
    ):
        resp = api.request("GET", "/version", headers={"Authorization": header})
        assert (resp.status_code, resp.text) == (401, "authentication failed"), header
        assert "Content-Type" not in resp.headers


def test_token_secret_is_percent_decoded(pbs_simulator, api):
    secret = pbs_simulator.create_token("root@pam", "ci")
    encoded = "".join(f"%{ord(c):02X}" for c in secret)
    resp = api.request("GET", "/version", headers={"Authorization": f"PBSAPIToken=root@pam!ci:{encoded}"})
    assert resp.status_code == 200


def test_tokens_need_no_csrf_and_have_no_rights_without_acl(pbs_simulator, api):
    secret = pbs_simulator.create_token("root@pam", "ci")
    token = ("root@pam!ci", secret)
    # authenticated (any user may read /version) ...
    assert api.request("GET", "/version", token=token).status_code == 200
    # ... but a token of root@pam is no superuser: the task list is filtered to nothing
    pbs_simulator.tasks.spawn("testjob", None, "root@pam", duration=0)
    root_view = api.request("GET", "/nodes/localhost/tasks", **api.root()).json()["data"]
    token_view = api.request("GET", "/nodes/localhost/tasks", token=token).json()["data"]
    assert len(root_view) == 1 and token_view == []


def test_cookie_wins_over_authorization_header(pbs_simulator, api):
    secret = pbs_simulator.create_token("root@pam", "ci")
    resp = api.request("GET", "/version", ticket="PBS:root@pam:00000000::bad",
                       token=("root@pam!ci", secret))
    assert resp.status_code == 401


@pytest.mark.fidelity
def test_disabled_or_expired_user_is_rejected_on_every_request(pbs_simulator, api):
    ticket, _ = api.login()
    secret = pbs_simulator.create_token("root@pam", "ci")
    entry = dict(pbs_simulator.state.user("root@pam"))
    entry["enable"] = False
    pbs_simulator.state.users.set("root@pam", "user", entry)
    assert api.request("GET", "/version", ticket=ticket).status_code == 401
    assert api.request("GET", "/version", token=("root@pam!ci", secret)).status_code == 401
    resp = api.request("POST", "/access/ticket",
                       data={"username": "root@pam", "password": pbs_simulator.password})
    assert (resp.status_code, resp.text) == (401, "permission check failed.")
    entry["enable"] = True
    entry["expire"] = int(pbs_simulator.clock.now()) - 1
    pbs_simulator.state.users.set("root@pam", "user", entry)
    assert api.request("GET", "/version", ticket=ticket).status_code == 401


def test_world_endpoints_need_no_credentials(pbs_simulator, api):
    assert api.request("GET", "/ping").json() == {"data": {"pong": True}}
    # a broken cookie does not matter on a world endpoint
    assert api.request("GET", "/ping", ticket="garbage").status_code == 200


@pytest.mark.fidelity
def test_auth_delay_applies_to_401_only(pbs_simulator, api, monkeypatch):
    slept = []
    monkeypatch.setattr(sim_server.time, "sleep", slept.append)
    pbs_simulator.auth_delay = 2.5
    assert api.request("GET", "/version").status_code == 401
    assert api.request("POST", "/access/ticket",
                       data={"username": "root@pam", "password": "nope"}).status_code == 401
    assert slept == [2.5, 2.5]
    api.login()
    assert api.request("GET", "/ping").status_code == 200
    assert slept == [2.5, 2.5]


def test_other_admin_user(tmp_path):
    from saltext.pbs.simulator import Simulator  # pylint: disable=import-outside-toplevel
    from tests.simulator.conftest import Api  # pylint: disable=import-outside-toplevel

    with Simulator(password="pw-admin", user="admin@pbs", cert_dir=str(tmp_path)) as sim:
        api = Api(sim)
        ticket, csrf = api.login("admin@pbs", "pw-admin")
        assert sim.state.privileges("admin@pbs", "/datastore")
        assert api.request("GET", "/config/datastore", ticket=ticket).status_code == 200
        # root@pam exists but has no password here
        resp = api.request("POST", "/access/ticket",
                           data={"username": "root@pam", "password": "pw-admin"})
        assert resp.status_code == 401


@pytest.mark.fidelity
def test_cookie_header_with_a_bare_pair_is_ignored(pbs_simulator, api):
    ticket, _ = api.login()
    cookie = f"PBSAuthCookie={urllib.parse.quote(ticket)}; justaname"
    assert api.request("GET", "/version", headers={"Cookie": cookie}).status_code == 401
    cookie = f"other=1; PBSAuthCookie={urllib.parse.quote(ticket)}"
    assert api.request("GET", "/version", headers={"Cookie": cookie}).status_code == 200
