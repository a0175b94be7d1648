"""ACME accounts (worker tasks), plugins (standalone built in, base64 data) and helpers."""

import base64

PLUGINS = "/config/acme/plugins"
ACCOUNTS = "/config/acme/account"
CF_DATA = "CF_Token=secret-token\nCF_Account_ID=abc"


def _ok(resp):
    assert resp.status_code == 200, resp.text
    return resp.json()


def _b64(text):
    return base64.b64encode(text.encode()).decode()


def _status(api, root, upid):
    return _ok(api.request("GET", f"/nodes/localhost/tasks/{upid}/status", **root))["data"]


def test_plugins_standalone_create_read_update_delete(api, root, pbs_simulator):
    listing = _ok(api.request("GET", PLUGINS, **root))
    assert listing["data"] == [{"plugin": "standalone", "type": "standalone"}]
    assert _ok(api.request("POST", PLUGINS, json={
        "id": "cf", "type": "dns", "api": "cf", "data": _b64(CF_DATA),
        "validation-delay": 60}, **root)) == {"data": None}
    item = _ok(api.request("GET", f"{PLUGINS}/cf", **root))
    # data is sent base64-encoded and returned decoded
    assert item["data"] == {"plugin": "cf", "type": "dns", "api": "cf", "data": CF_DATA,
                            "validation-delay": 60}
    assert item["digest"] == pbs_simulator.state.file("acme/plugins.cfg").digest()
    _ok(api.request("PUT", f"{PLUGINS}/cf", json={
        "digest": item["digest"], "delete": ["validation-delay"], "disable": True,
        "data": _b64("CF_Token=new")}, **root))
    assert _ok(api.request("GET", f"{PLUGINS}/cf", **root))["data"] == {
        "plugin": "cf", "type": "dns", "api": "cf", "data": "CF_Token=new", "disable": True}
    resp = api.request("PUT", f"{PLUGINS}/cf", json={"digest": item["digest"], "api": "x"},
                       **root)
    assert (resp.status_code, resp.text) == (
        400, "detected modified configuration - file changed by other user? Try again.")
    _ok(api.request("DELETE", f"{PLUGINS}/cf", **root))
    resp = api.request("DELETE", f"{PLUGINS}/cf", **root)
    assert (resp.status_code, resp.text) == (404, "no such plugin")
    resp = api.request("GET", f"{PLUGINS}/cf", **root)
    assert (resp.status_code, resp.text) == (404, "no such plugin")
    # the built-in plugin comes back after a delete
    _ok(api.request("DELETE", f"{PLUGINS}/standalone", **root))
    assert [p["plugin"] for p in _ok(api.request("GET", PLUGINS, **root))["data"]] == [
        "standalone"]


def test_plugin_rules(api, root):
    resp = api.request("POST", PLUGINS, json={"id": "standalone", "type": "dns", "api": "cf",
                                              "data": _b64("a=b")}, **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'id': ACME plugin ID \"standalone\" already exists")
    resp = api.request("POST", PLUGINS, json={"id": "web", "type": "standalone", "api": "x",
                                              "data": _b64("a=b")}, **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'type': invalid ACME plugin type: \"standalone\"")
    resp = api.request("POST", PLUGINS, json={"id": "cf", "type": "dns", "api": "cf",
                                              "data": "CF_Token=x"}, **root)
    assert (resp.status_code, resp.text) == (400, "Invalid symbol 95, offset 2.")
    resp = api.request("PUT", f"{PLUGINS}/standalone", json={"disable": True}, **root)
    assert (resp.status_code, resp.text) == (400, 'cannot update plugin of type "standalone"')


def test_plugin_delete_rejects_digest_and_permissions(api, root, pbs_simulator):
    with pbs_simulator.fidelity():
        resp = api.request("DELETE", f"{PLUGINS}/standalone", params={"digest": "0" * 64}, **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'digest': schema does not allow additional "
        "properties.")
    secret = pbs_simulator.create_token("root@pam", "t")
    token = ("root@pam!t", secret)
    pbs_simulator.add_acl("/system/certificates", "root@pam!t", "Audit")
    # even reads need Sys.Modify on /system/certificates
    assert api.request("GET", PLUGINS, token=token).status_code == 403
    assert api.request("GET", "/config/acme/directories", token=token).status_code == 200


def test_account_register_read_update_deactivate(api, root, pbs_simulator):
    assert _ok(api.request("GET", ACCOUNTS, **root))["data"] == []
    tos = _ok(api.request("GET", "/config/acme/tos", **root))["data"]
    assert tos.startswith("https://letsencrypt.org/")
    upid = _ok(api.request("POST", ACCOUNTS, json={
        "contact": "admin@example.com,ops@example.com", "tos_url": tos,
        "directory": "https://acme-staging-v02.api.letsencrypt.org/directory"}, **root))["data"]
    assert ":acme-register:default:root@pam:" in upid
    pbs_simulator.tasks.finish_all()
    assert _status(api, root, upid)["exitstatus"] == "OK"
    assert _ok(api.request("GET", ACCOUNTS, **root))["data"] == [{"name": "default"}]
    info = _ok(api.request("GET", f"{ACCOUNTS}/default", **root))["data"]
    assert info["account"] == {"status": "valid", "termsOfServiceAgreed": True,
                               "contact": ["mailto:admin@example.com", "mailto:ops@example.com"]}
    assert info["directory"] == "https://acme-staging-v02.api.letsencrypt.org/directory"
    assert info["location"].startswith("https://acme-staging-v02.api.letsencrypt.org/acct/")
    assert info["tos"] == tos
    resp = api.request("POST", ACCOUNTS, json={"contact": "x@example.com"}, **root)
    assert (resp.status_code, resp.text) == (400, "account default already exists")
    upid = _ok(api.request("PUT", f"{ACCOUNTS}/default", json={"contact": "new@example.com"},
                           **root))["data"]
    pbs_simulator.tasks.finish_all()
    assert _status(api, root, upid)["exitstatus"] == "OK"
    info = _ok(api.request("GET", f"{ACCOUNTS}/default", **root))["data"]
    assert info["account"]["contact"] == ["mailto:new@example.com"]
    upid = _ok(api.request("DELETE", f"{ACCOUNTS}/default", **root))["data"]
    assert ":acme-deactivate:default:" in upid
    pbs_simulator.tasks.finish_all()
    assert _ok(api.request("GET", ACCOUNTS, **root))["data"] == []
    resp = api.request("GET", f"{ACCOUNTS}/default", **root)
    assert (resp.status_code, resp.text) == (400, "acme account 'default' does not exist")
    stored = pbs_simulator.state.file("acme/accounts").get("_deactivated_default_0")
    assert stored["account"]["status"] == "deactivated"


def test_account_task_failures_and_eab(api, root, pbs_simulator):
    resp = api.request("POST", ACCOUNTS, json={"contact": "a@example.com", "eab_kid": "kid"},
                       **root)
    assert (resp.status_code, resp.text) == (
        400, "either both or none of 'eab_kid' and 'eab_hmac_key' have to be set.")
    upid = _ok(api.request("PUT", f"{ACCOUNTS}/nope", json={}, **root))["data"]
    pbs_simulator.tasks.finish_all()
    assert _status(api, root, upid)["exitstatus"] == "acme account 'nope' does not exist"
    upid = _ok(api.request("POST", ACCOUNTS, json={
        "name": "eab", "contact": "a@example.com", "eab_kid": "kid-1",
        "eab_hmac_key": "hmac-SECRET"}, **root))["data"]
    pbs_simulator.tasks.finish_all()
    info = _ok(api.request("GET", f"{ACCOUNTS}/eab", **root))["data"]
    assert set(info["account"]["externalAccountBinding"]) == {"protected", "payload", "signature"}
    assert "hmac-SECRET" not in str(info)
    with open(pbs_simulator.request_log, encoding="utf-8") as fh:
        assert "hmac-SECRET" not in fh.read()
    pbs_simulator.state.runtime["acme-ca-error"] = "urn:ietf:params:acme:error:serverInternal"
    upid = _ok(api.request("DELETE", f"{ACCOUNTS}/eab", **root))["data"]
    pbs_simulator.tasks.finish_all()
    assert _status(api, root, upid)["exitstatus"] == "urn:ietf:params:acme:error:serverInternal"
    assert _ok(api.request("GET", ACCOUNTS, **root))["data"] == [{"name": "eab"}]
    upid = _ok(api.request("DELETE", f"{ACCOUNTS}/eab", params={"force": 1}, **root))["data"]
    pbs_simulator.tasks.finish_all()
    assert _status(api, root, upid)["exitstatus"] == "OK"
    assert _ok(api.request("GET", ACCOUNTS, **root))["data"] == []


def test_static_helpers(api, root):
    dirs = _ok(api.request("GET", "/config/acme/directories", **root))["data"]
    assert dirs[0] == {"name": "Let's Encrypt V2",
                       "url": "https://acme-v02.api.letsencrypt.org/directory"}
    schemas = _ok(api.request("GET", "/config/acme/challenge-schema", **root))["data"]
    assert {"cf", "acmedns"} <= {entry["id"] for entry in schemas}
    assert all(entry["type"] == "dns" for entry in schemas)


def test_plugin_credentials_never_reach_the_request_log_file(api, root, pbs_simulator):
    _ok(api.request("POST", PLUGINS, json={
        "id": "cf", "type": "dns", "api": "cf", "data": _b64(CF_DATA)}, **root))
    _ok(api.request("GET", f"{PLUGINS}/cf", **root))
    _ok(api.request("GET", PLUGINS, **root))
    _ok(api.request("PUT", f"{PLUGINS}/cf", json={"data": _b64(CF_DATA)}, **root))
    text = open(pbs_simulator.request_log, encoding="utf-8").read()
    assert "secret-token" not in text and _b64(CF_DATA) not in text
    # the unmasked exchanges still hold them, for the contract checks
    assert any("secret-token" in str(e["response"]) for e in pbs_simulator.exchanges())
