"""The host: APT repositories and changelogs, custom and ACME certificates, the proxy
restart (PBS src/api2/node/{apt,certificates,services}.rs)."""

import pytest

from tests.support.certs import make_cert

NODE = "/nodes/localhost"
MISMATCH = "detected modified configuration - file changed by other user? Try again."


def _ok(resp):
    assert resp.status_code == 200, resp.text
    return resp.json()["data"]


def _status(api, root, upid):
    return _ok(api.request("GET", f"{NODE}/tasks/{upid}/status", **root))


def _log(api, root, upid):
    return [line["t"] for line in _ok(api.request("GET", f"{NODE}/tasks/{upid}/log", **root))]


def test_proxy_restart_is_a_reload(api, root, pbs_simulator):
    upid = _ok(api.request("POST", f"{NODE}/services/proxmox-backup-proxy/restart", **root))
    assert ":srvreload:proxmox\\x2dbackup\\x2dproxy:" in upid
    upid = _ok(api.request("POST", f"{NODE}/services/sshd/restart", **root))
    assert ":srvrestart:sshd:" in upid


def test_repositories_add_change_and_digest(api, root):
    repos = _ok(api.request("GET", f"{NODE}/apt/repositories", **root))
    status = {r["handle"]: r.get("status") for r in repos["standard-repos"]}
    assert status == {"enterprise": True, "no-subscription": None, "test": None}
    digest = repos["digest"]
    _ok(api.request("PUT", f"{NODE}/apt/repositories",
                    json={"handle": "no-subscription", "digest": digest}, **root))
    after = _ok(api.request("GET", f"{NODE}/apt/repositories", **root))
    assert after["digest"] != digest
    files = {f["path"]: f for f in after["files"]}
    added = files["/etc/apt/sources.list.d/proxmox.sources"]["repositories"]
    assert added[0]["Components"] == ["pbs-no-subscription"] and added[0]["Enabled"] is True
    resp = api.request("POST", f"{NODE}/apt/repositories", json={
        "path": "/etc/apt/sources.list.d/pbs-enterprise.sources", "index": 0, "enabled": False,
        "digest": digest}, **root)
    assert (resp.status_code, resp.text) == (400, MISMATCH)
    _ok(api.request("POST", f"{NODE}/apt/repositories", json={
        "path": "/etc/apt/sources.list.d/pbs-enterprise.sources", "index": 0, "enabled": False},
        **root))
    status = {r["handle"]: r.get("status") for r in
              _ok(api.request("GET", f"{NODE}/apt/repositories", **root))["standard-repos"]}
    assert status == {"enterprise": False, "no-subscription": True, "test": None}
    # adding a configured but disabled repository enables it
    _ok(api.request("PUT", f"{NODE}/apt/repositories", json={"handle": "enterprise"}, **root))
    status = {r["handle"]: r.get("status") for r in
              _ok(api.request("GET", f"{NODE}/apt/repositories", **root))["standard-repos"]}
    assert status["enterprise"] is True


@pytest.mark.fidelity
def test_repository_refusals(api, root):
    cases = [
        ("PUT", {"handle": "ceph-squid-enterprise"},
         "no standard repository for handle 'ceph-squid-enterprise' on host product 'pbs' and"
         " suite 'trixie'"),
        ("POST", {"path": "/etc/apt/sources.list.d/nope.sources", "index": 0, "enabled": True},
         "invalid path - /etc/apt/sources.list.d/nope.sources"),
        ("POST", {"path": "/etc/apt/sources.list.d/pbs-enterprise.sources", "index": 3,
                  "enabled": True}, "invalid index - 3"),
    ]
    for method, body, text in cases:
        resp = api.request(method, f"{NODE}/apt/repositories", json=body, **root)
        assert (resp.status_code, resp.text) == (400, text)


def test_changelog(api, root):
    text = _ok(api.request("GET", f"{NODE}/apt/changelog", params={"name": "ifupdown2"}, **root))
    assert text.startswith("ifupdown2 (3.3.0-1+pmx9) trixie;")
    resp = api.request("GET", f"{NODE}/apt/changelog", params={"name": "nope"}, **root)
    assert resp.status_code == 400 and "No packages found" in resp.text


def test_custom_certificate_upload_info_delete(api, root, pbs_simulator):
    cert, key, fingerprint = make_cert()
    info = _ok(api.request("POST", f"{NODE}/certificates/custom",
                           json={"certificates": cert, "key": key}, **root))
    assert info[0]["fingerprint"] == fingerprint and info[0]["san"] == ["pbs.example.com"]
    assert _ok(api.request("GET", f"{NODE}/certificates/info", **root))[0]["fingerprint"] == (
        fingerprint)
    # without a key the stored one is used
    info = _ok(api.request("POST", f"{NODE}/certificates/custom", json={"certificates": cert},
                           **root))
    assert info[0]["fingerprint"] == fingerprint
    _ok(api.request("DELETE", f"{NODE}/certificates/custom", **root))
    assert _ok(api.request("GET", f"{NODE}/certificates/info", **root))[0]["fingerprint"] == (
        pbs_simulator.fingerprint)
    resp = api.request("POST", f"{NODE}/certificates/custom",
                       json={"certificates": "not pem", "key": key}, **root)
    assert resp.status_code == 400 and resp.text.startswith("failed to decode certificate chain")
    resp = api.request("POST", f"{NODE}/certificates/custom",
                       json={"certificates": cert, "key": "not a key"}, **root)
    assert resp.status_code == 400 and resp.text.startswith("failed to parse private key")


def test_acme_order_renew_and_ca_unreachable(api, root, pbs_simulator):
    # no domains: PBS's task succeeds with nothing ordered
    upid = _ok(api.request("POST", f"{NODE}/certificates/acme/certificate", json={}, **root))
    pbs_simulator.tasks.finish_all()
    assert _status(api, root, upid)["exitstatus"] == "OK"
    assert "No domains configured" in _log(api, root, upid)[0]
    _ok(api.request("PUT", f"{NODE}/config", json={
        "acme": "account=le", "acmedomain0": "pbs.example.com"}, **root))
    upid = _ok(api.request("POST", f"{NODE}/certificates/acme/certificate", json={}, **root))
    pbs_simulator.tasks.finish_all()
    assert _status(api, root, upid)["exitstatus"] == "acme account 'le' does not exist"
    pbs_simulator.state.file("acme/accounts").set("le", "account", {"directory": "x"})
    pbs_simulator.state.runtime["acme-ca-error"] = "error sending request for url"
    upid = _ok(api.request("POST", f"{NODE}/certificates/acme/certificate", json={}, **root))
    pbs_simulator.tasks.finish_all()
    assert _status(api, root, upid)["exitstatus"] == "error sending request for url"
    assert _ok(api.request("GET", f"{NODE}/certificates/info", **root))[0]["fingerprint"] == (
        pbs_simulator.fingerprint)
    del pbs_simulator.state.runtime["acme-ca-error"]
    upid = _ok(api.request("POST", f"{NODE}/certificates/acme/certificate", json={}, **root))
    assert ":acme-new-cert::root@pam:" in upid
    pbs_simulator.tasks.finish_all()
    assert _status(api, root, upid)["exitstatus"] == "OK"
    info = _ok(api.request("GET", f"{NODE}/certificates/info", **root))[0]
    assert info["san"] == ["pbs.example.com"] and info["fingerprint"] != pbs_simulator.fingerprint
    assert info["notafter"] - info["notbefore"] == 90 * 86400
    resp = api.request("PUT", f"{NODE}/certificates/acme/certificate", json={}, **root)
    assert (resp.status_code, resp.text) == (
        400, "Certificate does not expire within the next 30 days and 'force' is not set.")
    upid = _ok(api.request("PUT", f"{NODE}/certificates/acme/certificate",
                           json={"force": True}, **root))
    assert ":acme-renew-cert::" in upid
