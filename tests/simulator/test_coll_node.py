"""Node settings: config, DNS, time, services, certificate info, subscription, APT."""

import pytest

NODE = "/nodes/localhost"
MISMATCH = "detected modified configuration - file changed by other user? Try again."


def _ok(resp):
    assert resp.status_code == 200, resp.text
    return resp.json()


def _status(api, root, upid):
    return _ok(api.request("GET", f"{NODE}/tasks/{upid}/status", **root))["data"]


def test_node_config_digest_delete_and_empty_digest(api, root, pbs_simulator):
    body = _ok(api.request("GET", f"{NODE}/config", **root))
    assert body["data"] == {}
    assert body["digest"] == pbs_simulator.state.file("node.cfg").digest()
    _ok(api.request("PUT", f"{NODE}/config", json={
        "digest": body["digest"], "email-from": "pbs@example.com", "acme": "account=default",
        "acmedomain0": "pbs.example.com,plugin=cf", "http-proxy": "http://proxy:3128",
        "default-lang": "de", "task-log-max-days": 30, "description": "line 1\nline 2"},
        **root))
    data = _ok(api.request("GET", f"{NODE}/config", **root))["data"]
    assert data == {"email-from": "pbs@example.com", "acme": "account=default",
                    "acmedomain0": "pbs.example.com,plugin=cf", "http-proxy": "http://proxy:3128",
                    "default-lang": "de", "task-log-max-days": 30,
                    "description": "line 1\nline 2"}
    resp = api.request("PUT", f"{NODE}/config", json={"digest": body["digest"],
                                                      "default-lang": "en"}, **root)
    assert (resp.status_code, resp.text) == (400, MISMATCH)
    # an empty digest skips the check
    _ok(api.request("PUT", f"{NODE}/config", json={"digest": "", "delete": ["http-proxy",
                                                                          "description"]},
                    **root))
    data = _ok(api.request("GET", f"{NODE}/config", **root))["data"]
    assert "http-proxy" not in data and "description" not in data and data["default-lang"] == "de"
    resp = api.request("PUT", f"{NODE}/config", json={"acmedomain1": "PBS.example.com"}, **root)
    assert (resp.status_code, resp.text) == (
        400, "duplicate domain 'PBS.example.com' in ACME config")


def test_dns_digest_inside_data_and_renumbering(api, root, pbs_simulator):
    resp = api.request("GET", f"{NODE}/dns", **root)
    body = _ok(resp)
    assert "digest" not in body
    data = body["data"]
    assert data["search"] == "simulated.lan" and data["dns1"] == "192.0.2.53"
    _ok(api.request("PUT", f"{NODE}/dns", json={"digest": data["digest"], "dns2": "2001:db8::53",
                                                "dns3": "198.51.100.1"}, **root))
    resp = api.request("PUT", f"{NODE}/dns", json={"digest": data["digest"], "dns1": "1.1.1.1"},
                       **root)
    assert (resp.status_code, resp.text) == (400, MISMATCH)
    _ok(api.request("PUT", f"{NODE}/dns", json={"delete": ["dns1"]}, **root))
    # resolv.conf has no slots: the remaining servers move up
    data = _ok(api.request("GET", f"{NODE}/dns", **root))["data"]
    assert {k: data[k] for k in data if k != "digest"} == {
        "search": "simulated.lan", "dns1": "2001:db8::53", "dns2": "198.51.100.1"}
    text = pbs_simulator.state.file("resolv.conf").get("resolv.conf")["text"]
    assert text == "search simulated.lan\nnameserver 2001:db8::53\nnameserver 198.51.100.1\n"


def test_time_and_timezone(api, root, pbs_simulator):
    data = _ok(api.request("GET", f"{NODE}/time", **root))["data"]
    assert data["timezone"] == "UTC" and data["localtime"] == data["time"]
    assert abs(data["time"] - pbs_simulator.clock.now()) < 5
    _ok(api.request("PUT", f"{NODE}/time", json={"timezone": "Asia/Kolkata"}, **root))
    data = _ok(api.request("GET", f"{NODE}/time", **root))["data"]
    assert data["timezone"] == "Asia/Kolkata"
    assert data["localtime"] - data["time"] == 5 * 3600 + 1800
    resp = api.request("PUT", f"{NODE}/time", json={"timezone": "Mars/Olympus"}, **root)
    assert (resp.status_code, resp.text) == (400, "No such timezone.")
    secret = pbs_simulator.create_token("root@pam", "t")
    # reading the time needs no privilege at all, setting it Sys.Modify on /system/time
    token = ("root@pam!t", secret)
    assert api.request("GET", f"{NODE}/time", token=token).status_code == 200
    resp = api.request("PUT", f"{NODE}/time", json={"timezone": "UTC"}, token=token)
    assert resp.status_code == 403


def test_services_list_state_and_commands(api, root, pbs_simulator):
    listing = _ok(api.request("GET", f"{NODE}/services", **root))["data"]
    assert [s["service"] for s in listing] == [
        "proxmox-backup", "proxmox-backup-proxy", "sshd", "systemd-journald", "cron", "postfix",
        "chrony"]
    assert listing[2] == {"service": "sshd", "name": "ssh.service",
                          "desc": "OpenBSD Secure Shell server", "state": "running",
                          "unit-state": "enabled"}
    upid = _ok(api.request("POST", f"{NODE}/services/chrony/stop", **root))["data"]
    assert ":srvstop:chrony:root@pam:" in upid
    pbs_simulator.tasks.finish_all()
    assert _status(api, root, upid)["exitstatus"] == "OK"
    state = _ok(api.request("GET", f"{NODE}/services/chrony/state", **root))["data"]
    assert state["state"] == "dead"
    upid = _ok(api.request("POST", f"{NODE}/services/chrony/reload", **root))["data"]
    assert ":srvreload:chrony:" in upid
    pbs_simulator.tasks.finish_all()
    assert _ok(api.request("GET", f"{NODE}/services/chrony/state", **root))["data"]["state"] == (
        "running")
    upid = _ok(api.request("POST", f"{NODE}/services/proxmox-backup/stop", **root))["data"]
    pbs_simulator.tasks.finish_all()
    assert _status(api, root, upid)["exitstatus"] == (
        "invalid service cmd 'proxmox-backup stop' cannot stop essential service!")
    upid = _ok(api.request("POST", f"{NODE}/services/nginx/start", **root))["data"]
    pbs_simulator.tasks.finish_all()
    assert _status(api, root, upid)["exitstatus"] == "systemctl start failed with exit status: 5"
    resp = api.request("GET", f"{NODE}/services/nginx/state", **root)
    assert (resp.status_code, resp.text) == (400, "unknown service name 'nginx'")


def test_certificate_info_is_the_served_certificate(api, root, pbs_simulator):
    info = _ok(api.request("GET", f"{NODE}/certificates/info", **root))["data"]
    assert len(info) == 1
    assert info[0]["fingerprint"] == pbs_simulator.fingerprint
    assert info[0]["filename"] == "proxy.pem"
    assert info[0]["san"] == ["localhost"]
    assert "CN = localhost" in info[0]["subject"]
    assert info[0]["notbefore"] < info[0]["notafter"]
    with open(pbs_simulator.ca_file, encoding="ascii") as fh:
        assert info[0]["pem"] == fh.read()


def test_subscription_and_apt(api, root, pbs_simulator):
    data = _ok(api.request("GET", f"{NODE}/subscription", **root))["data"]
    assert data["status"] == "notfound" and data["message"] == "There is no subscription key"
    assert len(data["serverid"]) == 32
    secret = pbs_simulator.create_token("root@pam", "t")
    data = _ok(api.request("GET", f"{NODE}/subscription", token=("root@pam!t", secret)))["data"]
    assert "serverid" not in data
    _ok(api.request("PUT", f"{NODE}/subscription", json={"key": "pbsc-0123456789"}, **root))
    data = _ok(api.request("GET", f"{NODE}/subscription", **root))["data"]
    assert data["status"] == "active" and data["key"] == "pbsc-0123456789"
    assert "Community" in data["productname"]
    pbs_simulator.state.runtime["subscription-shop"] = {
        "pbsc-0123456789": {"status": "suspended", "message": "suspended by the shop"}}
    _ok(api.request("POST", f"{NODE}/subscription", json={}, **root))
    assert _ok(api.request("GET", f"{NODE}/subscription", **root))["data"]["status"] == "active"
    _ok(api.request("POST", f"{NODE}/subscription", json={"force": True}, **root))
    data = _ok(api.request("GET", f"{NODE}/subscription", token=("root@pam!t", secret)))["data"]
    assert data == {"status": "suspended", "message": "suspended by the shop",
                    "url": "https://www.proxmox.com/en/proxmox-backup-server/pricing"}
    _ok(api.request("DELETE", f"{NODE}/subscription", **root))
    assert _ok(api.request("GET", f"{NODE}/subscription", **root))["data"]["status"] == (
        "notfound")
    assert _ok(api.request("GET", f"{NODE}/apt/update", **root))["data"] == []
    update = {"Package": "proxmox-backup-server", "Title": "Proxmox Backup Server daemon",
              "Arch": "amd64", "Description": "PBS", "Version": "4.2.4-1",
              "OldVersion": "4.2.3-1", "Origin": "Proxmox", "Priority": "optional",
              "Section": "admin"}
    pbs_simulator.state.runtime["apt-updates"] = [update]
    assert _ok(api.request("GET", f"{NODE}/apt/update", **root))["data"] == [update]
    upid = _ok(api.request("POST", f"{NODE}/apt/update", json={"quiet": True}, **root))["data"]
    assert ":aptupdate::root@pam:" in upid
    versions = _ok(api.request("GET", f"{NODE}/apt/versions", **root))["data"]
    version = _ok(api.request("GET", "/version", **root))["data"]
    assert versions[1]["Package"] == "proxmox-backup-server"
    assert versions[1]["ExtraInfo"] == f"running version: {version['version']}.{version['release']}"
    assert versions[0]["ExtraInfo"].startswith("running kernel: ")


@pytest.mark.fidelity
def test_invalid_node_requests(api, root):
    cases = [
        ("PUT", f"{NODE}/config", {"http-proxy": "https://proxy:3128"},
         "parameter verification failed - 'http-proxy': parse_proxy_url failed: unsupported "
         "proxy scheme 'https'"),
        ("PUT", f"{NODE}/config", {"default-lang": "xx"},
         "parameter verification failed - 'default-lang': value 'xx' is not defined in the "
         "enumeration."),
        ("PUT", f"{NODE}/config", {"acmedomain0": "bad_domain.example"},
         "parameter verification failed - 'acmedomain0/domain': value does not match the "
         "regex pattern"),
        ("PUT", f"{NODE}/dns", {"dns1": "dns.example.com"},
         "parameter verification failed - 'dns1': value does not match the regex pattern"),
        ("PUT", f"{NODE}/dns", {"delete": ["search"]},
         "parameter verification failed - 'delete/[0]': value 'search' is not defined in the "
         "enumeration."),
        ("PUT", f"{NODE}/time", {"timezone": "U"},
         "parameter verification failed - 'timezone': value must be at least 2 characters "
         "long"),
        ("PUT", f"{NODE}/subscription", {"key": "pbsx-0123456789"},
         "invalid subscription key: value does not match the regex pattern"),
        ("PUT", f"{NODE}/subscription", {"key": "pbsc-01"},
         "invalid subscription key: value must be at least 15 characters long"),
    ]
    for method, path, body, text in cases:
        resp = api.request(method, path, json=body, **root)
        assert (resp.status_code, resp.text) == (400, text)
