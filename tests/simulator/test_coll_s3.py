"""S3 endpoints over HTTP: ``/config/s3`` and list-buckets."""

import pytest

BASE = "/config/s3"
SECRET = "s3-Secret+Key/123"


def _create(api, root, entry_id="s3one", **extra):
    body = {
        "id": entry_id,
        "endpoint": "{{bucket}}.s3.{{region}}.example.com",
        "access-key": "AKIAEXAMPLE",
        "secret-key": SECRET,
        **extra,
    }
    resp = api.request("POST", BASE, json=body, **root)
    assert (resp.status_code, resp.json()) == (200, {"data": None}), resp.text
    return resp


def _get(api, root, entry_id):
    resp = api.request("GET", f"{BASE}/{entry_id}", **root)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_create_read_list_hide_secret_and_normalise(api, root, pbs_simulator):
    _create(api, root, **{"rate-in": "10M", "burst-in": "2kib", "port": 9000,
                          "region": "eu-1", "path-style": True, "put-rate-limit": 50,
                          "provider-quirks": ["skip-if-none-match-header"]})
    body = _get(api, root, "s3one")
    assert body["data"] == {
        "id": "s3one",
        "endpoint": "{{bucket}}.s3.{{region}}.example.com",
        "access-key": "AKIAEXAMPLE",
        "rate-in": "10 MB",
        "burst-in": "2 KiB",
        "port": 9000,
        "region": "eu-1",
        "path-style": True,
        "put-rate-limit": 50,
        "provider-quirks": ["skip-if-none-match-header"],
    }
    cfg = pbs_simulator.state.file("s3.cfg")
    assert body["digest"] == cfg.digest()
    assert SECRET not in cfg.serialize()
    assert pbs_simulator.state.secret_store("s3.cfg:s3-endpoint")["s3one"] == {
        "secret-key": SECRET
    }
    listing = api.request("GET", BASE, **root).json()
    assert listing["digest"] == cfg.digest()
    assert [e["id"] for e in listing["data"]] == ["s3one"]
    assert all("secret-key" not in e for e in listing["data"])
    with open(pbs_simulator.request_log, encoding="utf-8") as fh:
        assert SECRET not in fh.read()


def test_update_digest_delete_and_secret(api, root, pbs_simulator):
    _create(api, root, **{"port": 9000, "rate-out": "1G", "put-rate-limit": 10})
    digest = _get(api, root, "s3one")["digest"]
    resp = api.request(
        "PUT",
        f"{BASE}/s3one",
        json={"digest": digest, "delete": ["port", "rate-out"], "region": "us-east-1",
              "secret-key": "new-secret", "put-rate-limit": 99},
        **root,
    )
    assert resp.status_code == 200, resp.text
    data = _get(api, root, "s3one")["data"]
    assert "port" not in data and "rate-out" not in data
    assert data["region"] == "us-east-1"
    # PBS 4.2 ignores put-rate-limit on update
    assert data["put-rate-limit"] == 10
    assert pbs_simulator.state.secret_store("s3.cfg:s3-endpoint")["s3one"] == {
        "secret-key": "new-secret"
    }
    # the old digest is stale now
    resp = api.request("PUT", f"{BASE}/s3one", json={"digest": digest, "port": 1}, **root)
    assert (resp.status_code, resp.text) == (
        400,
        "detected modified configuration - file changed by other user? Try again.",
    )


def test_put_rate_limit_not_added_by_update(api, root):
    _create(api, root)
    resp = api.request("PUT", f"{BASE}/s3one", json={"put-rate-limit": 5}, **root)
    assert resp.status_code == 200, resp.text
    assert "put-rate-limit" not in _get(api, root, "s3one")["data"]


def test_digest_covers_other_entries(api, root):
    _create(api, root, "s3one")
    digest = _get(api, root, "s3one")["digest"]
    _create(api, root, "s3two")
    resp = api.request("DELETE", f"{BASE}/s3one", params={"digest": digest}, **root)
    assert resp.status_code == 400
    assert resp.text.startswith("detected modified configuration")


def test_texts_duplicate_missing_and_in_use(api, root, pbs_simulator):
    _create(api, root)
    resp = api.request("POST", BASE, json={"id": "s3one", "endpoint": "1.2.3.4",
                                           "access-key": "a", "secret-key": "b"}, **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'id': s3 client config 's3one' already exists."
    )
    resp = api.request("GET", f"{BASE}/nope", **root)
    assert (resp.status_code, resp.text) == (400, "no such s3-endpoint 'nope'")
    resp = api.request("PUT", f"{BASE}/nope", json={"port": 1}, **root)
    assert (resp.status_code, resp.text) == (400, "no such s3-endpoint 'nope'")
    resp = api.request("DELETE", f"{BASE}/nope", **root)
    assert (resp.status_code, resp.text) == (404, "s3 client config 'nope' do not exist.")
    pbs_simulator.state.file("datastore.cfg").set(
        "cloud", "datastore",
        {"path": "/mnt/cache", "backend": "type=s3,client=s3one,bucket=pbs-bucket"},
    )
    resp = api.request("DELETE", f"{BASE}/s3one", **root)
    assert (resp.status_code, resp.text) == (400, "in-use by datastore cloud")
    pbs_simulator.state.file("datastore.cfg").remove("cloud")
    resp = api.request("DELETE", f"{BASE}/s3one", **root)
    assert resp.status_code == 200, resp.text
    assert pbs_simulator.state.file("s3.cfg").get("s3one") is None
    assert "s3one" not in pbs_simulator.state.secret_store("s3.cfg:s3-endpoint")


@pytest.mark.fidelity
def test_invalid_requests(api, root):
    _create(api, root)
    cases = [
        ("PUT", {"delete": ["secret-key"]},
         "parameter verification failed - 'delete/[0]': "
         "value 'secret-key' is not defined in the enumeration."),
        ("PUT", {"region": "EU"},
         "parameter verification failed - 'region': value does not match the regex pattern"),
        ("PUT", {"port": 70000},
         "parameter verification failed - 'port': "
         "value must have a maximum value of 65535 (got 70000)"),
    ]
    for method, body, text in cases:
        resp = api.request(method, f"{BASE}/s3one", json=body, **root)
        assert (resp.status_code, resp.text) == (400, text)
    resp = api.request("POST", BASE, json={"id": "bad", "endpoint": "https://s3.example.com",
                                           "access-key": "a", "secret-key": "b"}, **root)
    assert resp.text == (
        "parameter verification failed - 'endpoint': value does not match the regex pattern"
    )


def test_list_filtered_by_privilege(api, pbs_simulator, root):
    _create(api, root, "s3one")
    _create(api, root, "s3two")
    pbs_simulator.state.users.set("ci@pbs", "user", {"userid": "ci@pbs"})
    secret = pbs_simulator.create_token("ci@pbs", "tok")
    pbs_simulator.add_acl("/system/s3-endpoint/s3two", "ci@pbs", "Audit")
    pbs_simulator.add_acl("/system/s3-endpoint/s3two", "ci@pbs!tok", "Audit")
    resp = api.request("GET", BASE, token=("ci@pbs!tok", secret))
    assert [e["id"] for e in resp.json()["data"]] == ["s3two"]
    resp = api.request("GET", f"{BASE}/s3one", token=("ci@pbs!tok", secret))
    assert (resp.status_code, resp.text) == (403, "permission check failed")


def test_list_buckets(api, root, pbs_simulator):
    _create(api, root)
    resp = api.request("GET", f"{BASE}/s3one/list-buckets", **root)
    assert resp.json()["data"] == [{"name": "pbs-backups"}]
    pbs_simulator.state.runtime["s3-buckets"] = {"s3one": ["alpha", "beta"]}
    resp = api.request("GET", f"{BASE}/s3one/list-buckets", **root)
    assert resp.json()["data"] == [{"name": "alpha"}, {"name": "beta"}]
    pbs_simulator.state.runtime["s3-buckets"]["s3one"] = {"error": "403 Forbidden"}
    resp = api.request("GET", f"{BASE}/s3one/list-buckets", **root)
    assert (resp.status_code, resp.text) == (400, "failed to list buckets")
    resp = api.request("GET", f"{BASE}/nope/list-buckets", **root)
    assert (resp.status_code, resp.text) == (400, "config lookup failed")


def test_admin_check_and_reset_counters(api, root, pbs_simulator):
    _create(api, root)
    resp = api.request("PUT", "/admin/s3/s3one/check", json={"bucket": "any-bucket"}, **root)
    assert resp.status_code == 200, resp.text
    pbs_simulator.state.runtime["s3-buckets"] = {"s3one": ["alpha"]}
    resp = api.request("PUT", "/admin/s3/s3one/check", json={"bucket": "beta"}, **root)
    assert (resp.status_code, resp.text) == (400, "head object failed")
    resp = api.request("PUT", "/admin/s3/nope/check", json={"bucket": "alpha"}, **root)
    assert (resp.status_code, resp.text) == (400, "config lookup failed")
    resp = api.request("PUT", "/admin/s3/s3one/reset-counters",
                       json={"bucket": "alpha", "store-prefix": "cloud"}, **root)
    assert (resp.status_code, resp.text) == (
        400, "Cannot find s3 counters file "
             "'\"/var/lib/proxmox-backup/s3-statistics/s3one-alpha-cloud.shmem\"'"
    )
    pbs_simulator.state.file("datastore.cfg").set(
        "cloud", "datastore", {"path": "/mnt/c", "backend": "type=s3,client=s3one,bucket=alpha"}
    )
    resp = api.request("PUT", "/admin/s3/s3one/reset-counters",
                       json={"bucket": "alpha", "store-prefix": "cloud"}, **root)
    assert resp.status_code == 200, resp.text


@pytest.mark.fidelity
def test_admin_check_bucket_names(api, root):
    _create(api, root)
    resp = api.request("PUT", "/admin/s3/s3one/check", json={"bucket": "xn--bucket"}, **root)
    assert resp.text == (
        "parameter verification failed - 'bucket': Bucket name cannot start with 'xn--'"
    )
