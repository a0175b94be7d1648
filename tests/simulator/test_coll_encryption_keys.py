"""Sync encryption keys over HTTP: ``/config/encryption-keys`` (PBS
src/api2/config/encryption_keys.rs, pbs-config encryption_keys.rs)."""

import base64
import json

BASE = "/config/encryption-keys"


def _call(api, root, method, path, **kwargs):
    resp = api.request(method, path, **root, **kwargs)
    return resp.status_code, resp.json() if resp.status_code == 200 else resp.text


def _key_text(raw, **extra):
    return json.dumps({"kdf": None, "created": "2026-01-02T03:04:05+00:00",
                       "modified": "2026-01-02T03:04:05+00:00",
                       "data": base64.b64encode(raw).decode(), **extra})


def test_generate_list_archive_delete(api, root, pbs_simulator):
    status, body = _call(api, root, "POST", BASE, json={"id": "k-one"})
    assert status == 200
    config = body["data"]
    assert config["kdf"] is None and len(base64.b64decode(config["data"])) == 32
    status, body = _call(api, root, "GET", BASE)
    (listed,) = body["data"]
    assert listed["id"] == "k-one" and listed["fingerprint"] == config["fingerprint"]
    assert "data" not in listed and listed["kdf"] == "none" and "digest" in body
    status, text = _call(api, root, "POST", BASE, json={"id": "k-one"})
    assert (status, text.strip()) == (400, "key with id 'k-one' already exists.")
    status, text = _call(api, root, "DELETE", f"{BASE}/k-one")
    assert status == 400 and "only possible for archived keys" in text
    assert _call(api, root, "POST", f"{BASE}/k-one")[0] == 200  # archive
    assert _call(api, root, "GET", BASE)[1]["data"] == []
    (archived,) = _call(api, root, "GET", BASE, params={"include-archived": "true"})[1]["data"]
    assert isinstance(archived["archived-at"], int)
    assert _call(api, root, "DELETE", f"{BASE}/k-one")[0] == 200
    assert _call(api, root, "DELETE", f"{BASE}/k-one")[0] == 200  # nothing left: no error
    # the key material never reaches the request-log file
    with open(pbs_simulator.request_log, encoding="utf-8") as fh:
        assert config["data"] not in fh.read()


def test_import_checks(api, root):
    raw = bytes(range(32))
    status, body = _call(api, root, "POST", BASE, json={"id": "k-imp", "key": _key_text(raw)})
    assert status == 200 and base64.b64decode(body["data"]["data"]) == raw
    status, text = _call(api, root, "POST", BASE,
                         json={"id": "k-prot", "key": _key_text(raw, kdf={"Scrypt": {}})})
    assert (status, text.strip()) == (400, "protected keys not supported")
    status, text = _call(api, root, "POST", BASE,
                         json={"id": "k-fp", "key": _key_text(raw, fingerprint="00:" * 31 + "00")})
    assert status == 400 and "KeyConfig contains wrong fingerprint" in text
    status, text = _call(api, root, "POST", BASE, json={"id": "k-bad", "key": "nope"})
    assert status == 400 and text.startswith("failed to parse provided key")


def test_key_in_use_by_a_sync_job(api, root, pbs_simulator):
    _call(api, root, "POST", BASE, json={"id": "k-used"})
    _call(api, root, "POST", BASE, json={"id": "k-assoc"})
    pbs_simulator.state.file("sync.cfg").set("job-a", "sync", {
        "store": "s1", "remote-store": "r1", "sync-direction": "push",
        "active-encryption-key": "k-used", "associated-key": ["k-assoc"]})
    status, text = _call(api, root, "POST", f"{BASE}/k-used")
    assert (status, text.strip()) == (400, "encryption key in use by sync job: 'job-a'")
    # an associated key may be archived, but not deleted
    assert _call(api, root, "POST", f"{BASE}/k-assoc")[0] == 200
    status, text = _call(api, root, "DELETE", f"{BASE}/k-assoc")
    assert (status, text.strip()) == (400, "encryption key in use by sync job: 'job-a'")
