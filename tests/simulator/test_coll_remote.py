"""Remotes over HTTP: ``/config/remote`` and the scan endpoints."""

import pytest

BASE = "/config/remote"
PASSWORD = "remote-Pass+word/1"


def _create(api, root, name="pbs2", **extra):
    body = {"name": name, "host": "pbs2.example.com", "auth-id": "sync@pbs!puller",
            "password": PASSWORD, **extra}
    resp = api.request("POST", BASE, json=body, **root)
    assert (resp.status_code, resp.json()) == (200, {"data": None}), resp.text


def _get(api, root, name):
    resp = api.request("GET", f"{BASE}/{name}", **root)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_create_read_list_never_return_password(api, root, pbs_simulator):
    _create(api, root, port=8007, comment="  offsite  ", **{"use-node-proxy": True})
    body = _get(api, root, "pbs2")
    # create stores what was sent (the comment is only trimmed by update)
    assert body["data"] == {"name": "pbs2", "host": "pbs2.example.com",
                            "auth-id": "sync@pbs!puller", "port": 8007,
                            "comment": "  offsite  ", "use-node-proxy": True}
    cfg = pbs_simulator.state.file("remote.cfg")
    assert body["digest"] == cfg.digest()
    assert PASSWORD not in cfg.serialize()
    listing = api.request("GET", BASE, **root).json()
    assert [r["name"] for r in listing["data"]] == ["pbs2"]
    assert "password" not in listing["data"][0]
    with open(pbs_simulator.request_log, encoding="utf-8") as fh:
        assert PASSWORD not in fh.read()


def test_update_trims_comment_deletes_and_replaces_password(api, root, pbs_simulator):
    _create(api, root, port=8007, fingerprint=":".join(["ab"] * 32))
    digest = _get(api, root, "pbs2")["digest"]
    resp = api.request("PUT", f"{BASE}/pbs2",
                       json={"digest": digest, "delete": ["port", "fingerprint"],
                             "comment": "  spaced  ", "password": "new-pass",
                             "host": "2001:db8::5"}, **root)
    assert resp.status_code == 200, resp.text
    data = _get(api, root, "pbs2")["data"]
    assert data == {"name": "pbs2", "host": "2001:db8::5", "auth-id": "sync@pbs!puller",
                    "comment": "spaced"}
    assert pbs_simulator.state.secret_store("remote.cfg:remote")["pbs2"] == {
        "password": "new-pass"
    }
    resp = api.request("PUT", f"{BASE}/pbs2", json={"comment": "   "}, **root)
    assert resp.status_code == 200
    assert "comment" not in _get(api, root, "pbs2")["data"]
    resp = api.request("PUT", f"{BASE}/pbs2", json={"digest": digest, "port": 1}, **root)
    assert (resp.status_code, resp.text) == (
        400, "detected modified configuration - file changed by other user? Try again."
    )


def test_texts(api, root, pbs_simulator):
    _create(api, root)
    resp = api.request("POST", BASE, json={"name": "pbs2", "host": "h", "auth-id": "a@pam",
                                           "password": "x"}, **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'name': remote 'pbs2' already exists."
    )
    resp = api.request("GET", f"{BASE}/nope", **root)
    assert (resp.status_code, resp.text) == (400, "no such remote 'nope'")
    resp = api.request("DELETE", f"{BASE}/nope", **root)
    assert (resp.status_code, resp.text) == (404, "remote 'nope' does not exist.")
    pbs_simulator.state.file("sync.cfg").set(
        "job1", "sync", {"id": "job1", "store": "local", "remote": "pbs2", "remote-store": "r"}
    )
    resp = api.request("DELETE", f"{BASE}/pbs2", **root)
    assert (resp.status_code, resp.text) == (
        400,
        "parameter verification failed - 'name': remote 'pbs2' is used by sync job 'job1' "
        "(datastore 'local')",
    )
    pbs_simulator.state.file("sync.cfg").remove("job1")
    resp = api.request("DELETE", f"{BASE}/pbs2", **root)
    assert resp.status_code == 200
    assert "pbs2" not in pbs_simulator.state.secret_store("remote.cfg:remote")


@pytest.mark.fidelity
def test_invalid_requests(api, root):
    _create(api, root)
    cases = [
        ({"delete": ["password"]}, "parameter verification failed - 'delete/[0]': "
                                   "value 'password' is not defined in the enumeration."),
        ({"host": "https://x"},
         "parameter verification failed - 'host': value does not match the regex pattern"),
        ({"auth-id": "nobody"},
         "parameter verification failed - 'auth-id': value does not match the regex pattern"),
        ({"port": "8007"}, "parameter verification failed - 'port': Expected integer value."),
    ]
    for body, text in cases:
        resp = api.request("PUT", f"{BASE}/pbs2", json=body, **root)
        assert (resp.status_code, resp.text) == (400, text)


def test_scan_default_and_configured(api, root, pbs_simulator):
    _create(api, root)
    resp = api.request("GET", f"{BASE}/pbs2/scan", **root)
    assert resp.json()["data"] == [
        {"store": "store1", "mount-status": "nonremovable", "backend-type": "filesystem"}
    ]
    resp = api.request("GET", f"{BASE}/pbs2/scan/store1/namespaces", **root)
    assert resp.json()["data"] == [{"ns": ""}, {"ns": "prod"}]
    resp = api.request("GET", f"{BASE}/pbs2/scan/store1/groups", params={"namespace": "prod"},
                       **root)
    assert [(g["backup-type"], g["backup-id"]) for g in resp.json()["data"]] == [("vm", "100")]
    pbs_simulator.state.runtime["remote-scan"] = {
        "pbs2": {"stores": {"offsite": {"comment": "far", "namespaces": ["a", "a/b"],
                                        "groups": {"a/b": []}}}}
    }
    resp = api.request("GET", f"{BASE}/pbs2/scan", **root)
    assert resp.json()["data"] == [{"store": "offsite", "comment": "far",
                                    "mount-status": "nonremovable",
                                    "backend-type": "filesystem"}]
    resp = api.request("GET", f"{BASE}/pbs2/scan/offsite/namespaces", **root)
    assert resp.json()["data"] == [{"ns": ""}, {"ns": "a"}, {"ns": "a/b"}]
    resp = api.request("GET", f"{BASE}/pbs2/scan/offsite/groups", params={"namespace": "a/b"},
                       **root)
    assert resp.json()["data"] == []


def test_scan_errors(api, root, pbs_simulator):
    _create(api, root)
    resp = api.request("GET", f"{BASE}/nope/scan", **root)
    assert (resp.status_code, resp.text) == (400, "no such remote 'nope'")
    resp = api.request("GET", f"{BASE}/pbs2/scan/other/namespaces", **root)
    assert resp.status_code == 500
    assert resp.text == "failed to scan remote 'pbs2' - no such datastore 'other'"
    pbs_simulator.state.runtime["remote-scan"] = {"pbs2": {"error": "connection refused"}}
    resp = api.request("GET", f"{BASE}/pbs2/scan", **root)
    assert (resp.status_code, resp.text) == (
        500, "failed to scan remote 'pbs2' - connection refused"
    )


def test_permissions(api, root, pbs_simulator):
    _create(api, root, "pbs2")
    _create(api, root, "pbs3")
    pbs_simulator.state.users.set("ops@pbs", "user", {"userid": "ops@pbs"})
    secret = pbs_simulator.create_token("ops@pbs", "t")
    for auth_id in ("ops@pbs", "ops@pbs!t"):
        pbs_simulator.add_acl("/remote/pbs3", auth_id, "RemoteAudit")
    token = ("ops@pbs!t", secret)
    resp = api.request("GET", BASE, token=token)
    assert [r["name"] for r in resp.json()["data"]] == ["pbs3"]
    assert api.request("GET", f"{BASE}/pbs3/scan", token=token).status_code == 200
    resp = api.request("PUT", f"{BASE}/pbs3", json={"comment": "x"}, token=token)
    assert (resp.status_code, resp.text) == (403, "permission check failed")
