"""Realms (LDAP, AD, OpenID, pam, pbs), realm sync and WebAuthn settings over HTTP."""

import pytest

LDAP = "/config/access/ldap"
AD = "/config/access/ad"
OPENID = "/config/access/openid"
MISMATCH = "detected modified configuration - file changed by other user? Try again."
BIND_PW = "bind-Secret+1/="


def _ok(resp):
    assert resp.status_code == 200, resp.text
    return resp.json()


def _ldap(api, root, realm="corp", **extra):
    body = {"realm": realm, "server1": "ldap1.example.com", "base-dn": "dc=example,dc=com",
            "user-attr": "uid", **extra}
    assert _ok(api.request("POST", LDAP, json=body, **root)) == {"data": None}


def test_ldap_create_read_list_password_write_only(api, root, pbs_simulator):
    _ldap(api, root, **{"bind-dn": "cn=sync,dc=example,dc=com", "password": BIND_PW,
                        "mode": "ldaps", "port": 636, "verify": True,
                        "sync-attributes": "email=mail,firstname=givenName",
                        "sync-defaults-options": "enable-new=1,remove-vanished=acl;entry",
                        "user-classes": "person,user"})
    body = _ok(api.request("GET", f"{LDAP}/corp", **root))
    assert body["data"] == {
        "realm": "corp", "server1": "ldap1.example.com", "base-dn": "dc=example,dc=com",
        "user-attr": "uid", "bind-dn": "cn=sync,dc=example,dc=com", "mode": "ldaps",
        "port": 636, "verify": True, "sync-attributes": "email=mail,firstname=givenName",
        "sync-defaults-options": "enable-new=1,remove-vanished=acl;entry",
        "user-classes": "person,user",
    }
    cfg = pbs_simulator.state.file("domains.cfg")
    assert body["digest"] == cfg.digest()
    assert "password" not in cfg.get("corp")
    assert _ok(api.request("GET", LDAP, **root))["data"] == [body["data"]]
    domains = _ok(api.request("GET", "/access/domains"))["data"]
    assert {"realm": "corp", "type": "ldap"} in domains
    with open(pbs_simulator.request_log, encoding="utf-8") as fh:
        assert BIND_PW not in fh.read()


def test_default_realm_and_update_clearing_default(api, root, pbs_simulator):
    cfg = pbs_simulator.state.file("domains.cfg")
    assert cfg.get("pam")["default"] is True
    _ldap(api, root, default=True)
    assert "default" not in cfg.get("pam")
    assert cfg.get("corp")["default"] is True
    # an update that does not repeat default=true clears it (PBS's update handlers)
    _ok(api.request("PUT", f"{LDAP}/corp", json={"comment": "  Corp  "}, **root))
    data = _ok(api.request("GET", f"{LDAP}/corp", **root))["data"]
    assert data["comment"] == "Corp" and "default" not in data
    _ok(api.request("PUT", "/config/access/pbs", json={"default": True}, **root))
    pbs = _ok(api.request("GET", "/config/access/pbs", **root))["data"]
    assert pbs == {"realm": "pbs", "type": "pbs", "default": True,
                   "comment": "Proxmox Backup authentication server"}


def test_shared_digest_and_name_space(api, root):
    pam = _ok(api.request("GET", "/config/access/pam", **root))
    assert pam["data"]["realm"] == "pam" and pam["data"]["type"] == "pam"
    _ok(api.request("POST", OPENID, json={"realm": "sso", "issuer-url": "https://id.example",
                                          "client-id": "pbs"}, **root))
    resp = api.request("PUT", "/config/access/pam", json={"digest": pam["digest"],
                                                          "comment": "x"}, **root)
    assert (resp.status_code, resp.text) == (400, MISMATCH)
    for base, body in ((LDAP, {"server1": "a", "base-dn": "b", "user-attr": "uid"}),
                       (AD, {"server1": "dc1.example.com"}),
                       (OPENID, {"issuer-url": "https://x", "client-id": "c"})):
        resp = api.request("POST", base, json={"realm": "pam", **body}, **root)
        assert (resp.status_code, resp.text) == (
            400, "parameter verification failed - 'realm': realm 'pam' already exists."
        )
    resp = api.request("GET", f"{LDAP}/sso", **root)
    assert (resp.status_code, resp.text) == (400, "got unexpected type 'openid' for ldap 'sso'")


def test_delete_any_type_and_missing(api, root, pbs_simulator):
    _ok(api.request("POST", OPENID, json={"realm": "sso", "issuer-url": "https://id.example",
                                          "client-id": "pbs"}, **root))
    resp = api.request("DELETE", f"{AD}/nope", **root)
    assert (resp.status_code, resp.text) == (404, "realm 'nope' does not exist.")
    digest = _ok(api.request("GET", OPENID, **root))["digest"]
    # the handlers remove the section by name, whatever its type
    _ok(api.request("DELETE", f"{LDAP}/sso", params={"digest": digest}, **root))
    assert pbs_simulator.state.file("domains.cfg").get("sso") is None


def test_bind_check_hook(api, root, pbs_simulator):
    runtime = pbs_simulator.state.runtime
    runtime["ldap-unreachable"] = {"ldap1.example.com": "connection refused (os error 111)"}
    body = {"realm": "corp", "server1": "ldap1.example.com", "base-dn": "dc=x",
            "user-attr": "uid"}
    resp = api.request("POST", LDAP, json=body, **root)
    assert (resp.status_code, resp.text) == (400, "connection refused (os error 111)")
    # a reachable fallback server is enough
    _ok(api.request("POST", LDAP, json=dict(body, server2="ldap2.example.com"), **root))
    resp = api.request("PUT", f"{LDAP}/corp", json={"bind-dn": "cn=admin"}, **root)
    assert (resp.status_code, resp.text) == (400, "Missing bind password for cn=admin")
    runtime["ldap-bind-passwords"] = {"cn=admin": "right"}
    resp = api.request("PUT", f"{LDAP}/corp", json={"bind-dn": "cn=admin", "password": "wrong"},
                       **root)
    assert resp.status_code == 400
    assert resp.text.startswith("LDAP bind failed, bind_dn or password could be incorrect")
    _ok(api.request("PUT", f"{LDAP}/corp", json={"bind-dn": "cn=admin", "password": "right"},
                    **root))
    assert pbs_simulator.state.secret_store("domains.cfg:bind-password")["corp"] == {
        "password": "right"
    }
    # the stored password is used by later updates; deleting it makes the check fail
    _ok(api.request("PUT", f"{LDAP}/corp", json={"filter": "(memberOf=pbs)"}, **root))
    resp = api.request("PUT", f"{LDAP}/corp", json={"delete": ["password"]}, **root)
    assert (resp.status_code, resp.text) == (400, "Missing bind password for cn=admin")
    _ok(api.request("PUT", f"{LDAP}/corp", json={"delete": ["password", "bind-dn"]}, **root))
    assert "corp" not in pbs_simulator.state.secret_store("domains.cfg:bind-password")


def test_ad_base_dn_from_server_and_capath_ignored_on_update(api, root, pbs_simulator):
    _ok(api.request("POST", AD, json={"realm": "win", "server1": "dc1.ad.example.com",
                                      "capath": "/etc/ssl/certs"}, **root))
    data = _ok(api.request("GET", f"{AD}/win", **root))["data"]
    assert data == {"realm": "win", "server1": "dc1.ad.example.com",
                    "base-dn": "DC=ad,DC=example,DC=com", "capath": "/etc/ssl/certs"}
    _ok(api.request("PUT", f"{AD}/win", json={"capath": "/other", "port": 3269}, **root))
    data = _ok(api.request("GET", f"{AD}/win", **root))["data"]
    assert data["capath"] == "/etc/ssl/certs" and data["port"] == 3269
    pbs_simulator.state.runtime["ldap-unreachable"] = {"dc9.example.com": "timed out"}
    resp = api.request("POST", AD, json={"realm": "win2", "server1": "dc9.example.com"}, **root)
    assert (resp.status_code, resp.text) == (400, "failed to determine base_dn: timed out")


def test_openid_client_key_returned_and_delete(api, root):
    _ok(api.request("POST", OPENID, json={
        "realm": "sso", "issuer-url": "https://id.example", "client-id": "pbs",
        "client-key": "ck", "scopes": "email profile openid", "username-claim": "email",
        "autocreate": True}, **root))
    data = _ok(api.request("GET", f"{OPENID}/sso", **root))["data"]
    assert data["client-key"] == "ck" and data["username-claim"] == "email"
    _ok(api.request("PUT", f"{OPENID}/sso", json={"delete": ["client-key", "autocreate"],
                                                  "prompt": "login"}, **root))
    data = _ok(api.request("GET", f"{OPENID}/sso", **root))["data"]
    assert data == {"realm": "sso", "issuer-url": "https://id.example", "client-id": "pbs",
                    "scopes": "email profile openid", "username-claim": "email",
                    "prompt": "login"}


def test_realm_permissions(api, root, pbs_simulator):
    _ldap(api, root)
    secret = pbs_simulator.create_token("root@pam", "audit")
    token = ("root@pam!audit", secret)
    pbs_simulator.add_acl("/access/domains", "root@pam!audit", "Audit")
    assert api.request("GET", f"{LDAP}/corp", token=token).status_code == 200
    # listing needs Realm.Allocate, like changes
    assert api.request("GET", LDAP, token=token).status_code == 403
    assert api.request("PUT", f"{LDAP}/corp", json={"comment": "x"}, token=token).status_code == 403


def _task_status(api, root, upid):
    return _ok(api.request("GET", f"/nodes/localhost/tasks/{upid}/status", **root))["data"]


def test_realm_sync_task(api, root, pbs_simulator):
    _ldap(api, root, **{"sync-defaults-options": "remove-vanished=entry"})
    users = pbs_simulator.state.users
    users.set("gone@corp", "user", {"userid": "gone@corp"})
    users.set("bob@corp", "user", {"userid": "bob@corp", "email": "old@example.com"})
    pbs_simulator.state.runtime["realm-directory"] = {"corp": [
        {"user": "alice", "email": "alice@example.com", "firstname": "Alice"},
        {"user": "bob", "email": "bob@example.com"},
    ]}
    upid = _ok(api.request("POST", "/access/domains/corp/sync", json={"dry-run": True},
                           **root))["data"]
    assert upid.startswith("UPID:localhost:") and ":realm-sync:corp:root@pam:" in upid
    pbs_simulator.tasks.finish_all()
    assert _task_status(api, root, upid)["exitstatus"] == "OK"
    assert users.get("alice@corp") is None and users.get("gone@corp") is not None
    upid = _ok(api.request("POST", "/access/domains/corp/sync",
                           json={"enable-new": False}, **root))["data"]
    resp = api.request("POST", "/access/domains/corp/sync", json={}, **root)
    assert (resp.status_code, resp.text) == (400, "realm sync already running")
    pbs_simulator.tasks.finish_all()
    assert _task_status(api, root, upid)["exitstatus"] == "OK"
    # synced users get an explicit expire 0 and enable from enable-new
    assert users.get("alice@corp") == {"type": "user", "userid": "alice@corp", "enable": False,
                                       "expire": 0, "email": "alice@example.com",
                                       "firstname": "Alice"}
    assert users.get("bob@corp")["email"] == "bob@example.com"
    assert users.get("gone@corp") is None
    log = _ok(api.request("GET", f"/nodes/localhost/tasks/{upid}/log", **root))["data"]
    assert any("creating user alice@corp" in line["t"] for line in log)


def test_realm_sync_errors(api, root, pbs_simulator):
    resp = api.request("POST", "/access/domains/nope/sync", json={}, **root)
    assert (resp.status_code, resp.text) == (400, "unable to find realm nope")
    upid = _ok(api.request("POST", "/access/domains/pbs/sync", json={}, **root))["data"]
    pbs_simulator.tasks.finish_all()
    assert _task_status(api, root, upid)["exitstatus"] == "cannot sync realm pbs of type pbs"
    secret = pbs_simulator.create_token("root@pam", "t")
    resp = api.request("POST", "/access/domains/pbs/sync", json={}, token=("root@pam!t", secret))
    assert resp.status_code == 403


def test_webauthn_root_only_first_put_and_digest(api, root, pbs_simulator):
    resp = api.request("GET", "/config/access/tfa/webauthn", **root)
    assert resp.json() == {"data": None}
    resp = api.request("PUT", "/config/access/tfa/webauthn", json={"rp": "PBS"}, **root)
    assert (resp.status_code, resp.text) == (400, "missing property: 'id'")
    pbs_simulator.state.users.set("admin@pbs", "user", {"userid": "admin@pbs"})
    pbs_simulator.state.set_password("admin@pbs", "admin-pw-123")
    pbs_simulator.add_acl("/", "admin@pbs", "Admin")
    ticket, csrf = api.login("admin@pbs", "admin-pw-123")
    resp = api.request("PUT", "/config/access/tfa/webauthn", json={"rp": "PBS", "id": "x"},
                       ticket=ticket, csrf=csrf)
    assert (resp.status_code, resp.text) == (403, "permission check failed")
    _ok(api.request("PUT", "/config/access/tfa/webauthn", json={
        "rp": "PBS", "id": "pbs.example.com", "origin": "HTTPS://pbs.example.com:443/ui",
        "allow-subdomains": False}, **root))
    body = _ok(api.request("GET", "/config/access/tfa/webauthn", ticket=ticket))
    assert body["data"] == {"rp": "PBS", "id": "pbs.example.com",
                            "origin": "https://pbs.example.com", "allow-subdomains": False}
    stale = body["digest"]
    _ok(api.request("PUT", "/config/access/tfa/webauthn",
                    json={"digest": stale, "delete": ["allow-subdomains"],
                          "origin": "https://pbs.example.com:8007"}, **root))
    resp = api.request("PUT", "/config/access/tfa/webauthn", json={"digest": stale, "rp": "X"},
                       **root)
    assert (resp.status_code, resp.text) == (400, MISMATCH)
    assert _ok(api.request("GET", "/config/access/tfa/webauthn", **root))["data"] == {
        "rp": "PBS", "id": "pbs.example.com", "origin": "https://pbs.example.com:8007"}


@pytest.mark.fidelity
def test_invalid_realm_requests(api, root):
    base = {"server1": "s", "base-dn": "b", "user-attr": "uid"}
    cases = [
        (LDAP, dict(base, realm="c"),
         "parameter verification failed - 'realm': value must be at least 2 characters long"),
        (LDAP, dict(base, realm="corp", mode="tls"),
         "parameter verification failed - 'mode': value 'tls' is not defined in the "
         "enumeration."),
        (LDAP, dict(base, realm="corp", **{"sync-defaults-options": "remove-vanished=all"}),
         "parameter verification failed - 'sync-defaults-options/remove-vanished': unable to "
         "parse array element: value 'all' is not defined in the enumeration."),
        (LDAP, {"realm": "corp", "server1": "s", "base-dn": "b"},
         "parameter verification failed - 'user-attr': property is missing and it is not "
         "optional"),
        (OPENID, {"realm": "sso", "issuer-url": "u", "client-id": "c", "scopes": "a b!"},
         "parameter verification failed - 'scopes': unable to parse array element: value does "
         "not match the regex pattern"),
    ]
    for path, body, text in cases:
        resp = api.request("POST", path, json=body, **root)
        assert (resp.status_code, resp.text) == (400, text)
    _ok(api.request("POST", OPENID, json={"realm": "sso", "issuer-url": "u", "client-id": "c"},
                    **root))
    resp = api.request("PUT", f"{OPENID}/sso", json={"username-claim": "x"}, **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'username-claim': schema does not allow "
        "additional properties"
    )
    resp = api.request("PUT", "/config/access/tfa/webauthn",
                       json={"rp": "a", "id": "b", "origin": "pbs.example.com"}, **root)
    assert (resp.status_code, resp.text) == (400, "relative URL without a base")


def test_realm_faults_digest_race_lock_and_failing_sync(api, root, pbs_simulator):
    _ldap(api, root)
    digest = _ok(api.request("GET", f"{LDAP}/corp", **root))["digest"]
    pbs_simulator.faults.digest_race("domains.cfg")
    resp = api.request("PUT", f"{LDAP}/corp", json={"digest": digest, "comment": "x"}, **root)
    assert (resp.status_code, resp.text) == (400, MISMATCH)
    pbs_simulator.faults.lock_contention(path_prefix="/config/access")
    resp = api.request("PUT", "/config/access/pbs", json={"comment": "y"}, **root)
    assert (resp.status_code, resp.text) == (
        400, 'Unable to acquire lock "/etc/proxmox-backup/.domains.lck" - Interrupted system '
        "call (os error 4)")
    pbs_simulator.faults.fail_next_task("LDAP server unavailable", worker_type="realm-sync")
    upid = _ok(api.request("POST", "/access/domains/corp/sync", json={}, **root))["data"]
    pbs_simulator.tasks.finish_all()
    assert _task_status(api, root, upid)["exitstatus"] == "LDAP server unavailable"


def test_realms_acme_tape_and_node_settings_survive_a_restart(tmp_path):
    from saltext.pbs.simulator import Simulator  # pylint: disable=import-outside-toplevel

    from tests.simulator.conftest import Api  # pylint: disable=import-outside-toplevel

    state_file = str(tmp_path / "state.json")
    cert_dir = str(tmp_path / "cert")
    with Simulator(password="restart-pw-1", state_file=state_file, cert_dir=cert_dir) as sim:
        api = Api(sim)
        root = api.root()
        _ldap(api, root, **{"bind-dn": "cn=sync", "password": BIND_PW})
        _ok(api.request("PUT", "/config/access/tfa/webauthn",
                        json={"rp": "PBS", "id": "pbs.example.com"}, **root))
        _ok(api.request("POST", "/config/acme/account", json={"contact": "a@example.com"},
                        **root))
        sim.tasks.finish_all()
        _ok(api.request("POST", "/config/media-pool", json={"name": "weekly"}, **root))
        _ok(api.request("PUT", "/nodes/localhost/dns", json={"dns2": "192.0.2.99"}, **root))
        _ok(api.request("PUT", "/nodes/localhost/time", json={"timezone": "Europe/Berlin"},
                        **root))
    with Simulator(password="restart-pw-1", state_file=state_file, cert_dir=cert_dir) as sim:
        api = Api(sim)
        root = api.root()
        assert _ok(api.request("GET", f"{LDAP}/corp", **root))["data"]["bind-dn"] == "cn=sync"
        assert sim.state.secret_store("domains.cfg:bind-password")["corp"] == {
            "password": BIND_PW}
        assert _ok(api.request("GET", "/config/access/tfa/webauthn", **root))["data"]["rp"] == (
            "PBS")
        assert _ok(api.request("GET", "/config/acme/account", **root))["data"] == [
            {"name": "default"}]
        assert _ok(api.request("GET", "/config/media-pool/weekly", **root))["data"] == {
            "name": "weekly"}
        assert _ok(api.request("GET", "/nodes/localhost/dns", **root))["data"]["dns2"] == (
            "192.0.2.99")
        assert _ok(api.request("GET", "/nodes/localhost/time", **root))["data"]["timezone"] == (
            "Europe/Berlin")
