"""The node's network over HTTP: ``/nodes/{node}/network`` (staged until reload)."""

BASE = "/nodes/localhost/network"


def _ok(resp):
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_writes_stage_and_the_list_carries_the_diff(api, root, pbs_simulator):
    listing = _ok(api.request("GET", BASE, **root))
    assert "changes" not in listing and "digest" not in listing
    assert {i["iface"] for i in listing["data"]} == {"eno1", "eno2", "eno3"}
    digest = listing["data"][0]["digest"]
    assert all(i["digest"] == digest for i in listing["data"])
    _ok(api.request("POST", BASE, json={"iface": "vmbr1", "type": "bridge",
                                        "bridge_ports": "eno2", "cidr": "192.0.2.1/24"}, **root))
    listing = _ok(api.request("GET", BASE, **root))
    assert listing["changes"].startswith("--- /etc/network/interfaces\n+++ "
                                         "/etc/network/interfaces.new\n")
    item = _ok(api.request("GET", f"{BASE}/vmbr1", **root))["data"]
    assert item["method"] == "static" and item["bridge_ports"] == ["eno2"]
    assert item["digest"] != digest
    _ok(api.request("DELETE", BASE, **root))  # revert
    assert "changes" not in _ok(api.request("GET", BASE, **root))
    assert api.request("GET", f"{BASE}/vmbr1", **root).text.find("does not exist") >= 0
    assert pbs_simulator.state.runtime["network"]["staged"] is None


def test_pbs_texts(api, root):
    resp = api.request("POST", BASE, json={"iface": "eno2", "type": "bridge"}, **root)
    assert (resp.status_code, resp.text.strip()) == (400, "interface 'eno2' already exists")
    resp = api.request("POST", BASE, json={"iface": "x1", "type": "eth"}, **root)
    assert "creating network interface type 'Eth' is not supported" in resp.text
    resp = api.request("PUT", f"{BASE}/eno2", json={"type": "bridge"}, **root)
    assert "got unexpected interface type (Bridge != Eth)" in resp.text
    resp = api.request("PUT", f"{BASE}/eno2", json={"digest": "0" * 64, "mtu": 9000}, **root)
    assert resp.status_code == 400 and "detected modified configuration" in resp.text
    resp = api.request("PUT", f"{BASE}/eno2", json={"slaves": "eno3"}, **root)
    assert "interface 'eno2' is no bond (type is Eth)" in resp.text
    resp = api.request("POST", BASE, json={"iface": "vlan5", "type": "vlan"}, **root)
    assert "vlan-raw-device must be set" in resp.text
    resp = api.request("POST", BASE, json={"iface": "bond0", "type": "bond", "slaves": "eno2",
                                           "bond-primary": "eno2", "bond_mode": "802.3ad"},
                       **root)
    assert "bond-primary is only valid with Active/Backup mode" in resp.text


def test_reload_is_a_task_and_needs_ifupdown2(api, root, pbs_simulator):
    _ok(api.request("POST", BASE, json={"iface": "vmbr2", "type": "bridge"}, **root))
    upid = _ok(api.request("PUT", BASE, **root))["data"]
    assert ":srvreload:networking:root@pam:" in upid
    net = pbs_simulator.state.runtime["network"]
    assert net["staged"] is None and "vmbr2" in net["running"]
    pbs_simulator.state.runtime["network-no-ifupdown2"] = True
    resp = api.request("PUT", BASE, **root)
    assert (resp.status_code, resp.text.strip()) == (400, "ifupdown2 is not installed.")


def test_privileges(api, root, pbs_simulator):
    _ok(api.request("POST", "/access/users", json={"userid": "net@pbs", "password": "net-pass-1"},
                    **root))
    ticket, csrf = api.login("net@pbs", "net-pass-1")
    user = {"ticket": ticket, "csrf": csrf}
    assert api.request("GET", BASE, **user).status_code == 403
    _ok(api.request("PUT", "/access/acl", json={"path": "/system/network/interfaces",
                                                "role": "Audit", "auth-id": "net@pbs"}, **root))
    assert api.request("GET", BASE, **user).status_code == 200
    resp = api.request("POST", BASE, json={"iface": "vmbr3", "type": "bridge"}, **user)
    assert resp.status_code == 403
