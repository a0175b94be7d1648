"""Datastores over HTTP against the simulator: async create/delete, digest, delete lists,
prune settings, side effects, status endpoints."""

import urllib.parse

import pytest

DS = "/config/datastore"


def _status(api, root, upid):
    path = f"/nodes/localhost/tasks/{urllib.parse.quote(upid, safe='')}/status"
    resp = api.request("GET", path, **root)
    assert resp.status_code == 200, resp.text
    return resp.json()["data"]


def _create(api, root, pbs_simulator, body):
    resp = api.request("POST", DS, json=body, **root)
    assert resp.status_code == 200, resp.text
    upid = resp.json()["data"]
    pbs_simulator.clock.advance(10)
    status = _status(api, root, upid)
    return upid, status


def test_create_is_asynchronous(api, root, pbs_simulator):
    resp = api.request("POST", DS, json={"name": "store1", "path": "/mnt/store1"}, **root)
    assert resp.status_code == 200, resp.text
    upid = resp.json()["data"]
    assert upid.startswith("UPID:") and ":create-datastore:store1:root@pam:" in upid
    # not there until the worker finishes
    resp = api.request("GET", f"{DS}/store1", **root)
    assert (resp.status_code, resp.text) == (400, "no such datastore 'store1'")
    assert _status(api, root, upid)["status"] == "running"
    pbs_simulator.clock.advance(10)
    status = _status(api, root, upid)
    assert (status["status"], status["exitstatus"]) == ("stopped", "OK")
    resp = api.request("GET", f"{DS}/store1", **root)
    body = resp.json()
    assert body["data"] == {"name": "store1", "path": "/mnt/store1"}
    assert body["digest"] == pbs_simulator.state.file("datastore.cfg").digest()


def test_create_failure_only_in_task(api, root, pbs_simulator):
    pbs_simulator.faults.fail_next_task("datastore path not empty")
    _upid, status = _create(api, root, pbs_simulator, {"name": "store2", "path": "/mnt/s2"})
    assert status["exitstatus"] == "datastore path not empty"
    assert pbs_simulator.state.file("datastore.cfg").get("store2") is None


def test_nested_path_fails_inside_worker(api, root, pbs_simulator):
    _create(api, root, pbs_simulator, {"name": "outer", "path": "/mnt/outer"})
    _upid, status = _create(api, root, pbs_simulator, {"name": "inner", "path": "/mnt/outer/x"})
    assert status["exitstatus"] == (
        "parameter verification failed - 'path': nested datastores not allowed: 'outer' "
        'already in "/mnt/outer"'
    )


@pytest.mark.fidelity
def test_create_errors(api, root, pbs_simulator):
    _create(api, root, pbs_simulator, {"name": "store1", "path": "/mnt/store1"})
    cases = [
        ({"name": "store1", "path": "/mnt/other"},
         "parameter verification failed - 'name': datastore 'store1' already exists."),
        ({"name": "rel", "path": "relative"},
         "parameter verification failed - 'path': expected an absolute path, 'relative' is not"),
        ({"name": "gcu", "path": "/mnt/gcu", "gc-on-unmount": True},
         "parameter verification failed - 'gc-on-unmount': only supported on removable datastores"),
        ({"name": "rmv", "path": "/abs", "backing-device": "0c3f8a2e-1b2c-4d5e-8f90-123456789abc"},
         "parameter verification failed - 'path': expected a relative on-device path, "
         "'/abs' is not"),
        ({"name": "sch", "path": "/mnt/sch", "gc-schedule": "Daily"},
         "parameter verification failed - 'gc-schedule': unable to parse calendar event at "
         "'Daily' - Context(\"weekday\")"),
        ({"name": "s3s", "path": "/mnt/s3", "backend": "type=s3,bucket=abc"},
         "parameter verification failed - 'backend': missing option client, required for "
         "backend type s3"),
        ({"name": "vfy", "path": "/mnt/v", "verify-new": "1"},
         "parameter verification failed - 'verify-new': Expected boolean value."),
    ]
    for body, text in cases:
        resp = api.request("POST", DS, json=body, **root)
        assert (resp.status_code, resp.text) == (400, text), body


@pytest.mark.fidelity
def test_keep_options_become_prune_job(api, root, pbs_simulator):
    body = {"name": "store1", "path": "/mnt/store1", "keep-last": 3, "prune-schedule": "daily"}
    _create(api, root, pbs_simulator, body)
    jobs = pbs_simulator.state.file("prune.cfg").items("prune")
    assert len(jobs) == 1
    job_id, job = jobs[0]
    assert job_id.startswith("default-store1-") and len(job_id) == 32
    assert job["keep-last"] == 3 and job["schedule"] == "daily" and job["store"] == "store1"
    data = api.request("GET", f"{DS}/store1", **root).json()["data"]
    assert "keep-last" not in data and "prune-schedule" not in data
    resp = api.request("PUT", f"{DS}/store1", json={"keep-last": 2}, **root)
    assert (resp.status_code, resp.text) == (
        400,
        "parameter verification failed - 'keep-last': datastore prune settings have been "
        "replaced by prune jobs",
    )
    resp = api.request("PUT", f"{DS}/store1", json={"delete": ["keep-last"]}, **root)
    assert resp.status_code == 200, resp.text


@pytest.mark.fidelity
def test_update_digest_delete_and_normalisation(api, root, pbs_simulator):
    _create(api, root, pbs_simulator, {"name": "store1", "path": "/mnt/s1", "comment": "x"})
    _create(api, root, pbs_simulator, {"name": "store2", "path": "/mnt/s2"})
    digest = api.request("GET", f"{DS}/store1", **root).json()["digest"]
    # edit another entry of datastore.cfg: the held digest is stale now
    resp = api.request("PUT", f"{DS}/store2", json={"comment": "other"}, **root)
    assert resp.status_code == 200
    resp = api.request("PUT", f"{DS}/store1", json={"comment": "y", "digest": digest}, **root)
    assert (resp.status_code, resp.text) == (
        400, "detected modified configuration - file changed by other user? Try again."
    )
    body = {"delete": ["comment"], "comment": "  kept  ",
            "maintenance-mode": "type=read-only,message=backup window",
            "tuning": "chunk-order=none,sync-level=file"}
    resp = api.request("PUT", f"{DS}/store1", json=body, **root)
    assert resp.status_code == 200, resp.text
    data = api.request("GET", f"{DS}/store1", **root).json()["data"]
    assert data["comment"] == "kept"
    assert data["maintenance-mode"] == "read-only,message=backup window"
    assert data["tuning"] == "chunk-order=none,sync-level=file"
    resp = api.request("PUT", f"{DS}/store1", json={"path": "/elsewhere"}, **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'path': schema does not allow additional properties"
    )
    resp = api.request("PUT", f"{DS}/store1", json={"delete": ["path"]}, **root)
    assert resp.text == ("parameter verification failed - 'delete/[0]': value 'path' is not "
                         "defined in the enumeration.")
    resp = api.request("PUT", f"{DS}/nope", json={"comment": "x"}, **root)
    assert (resp.status_code, resp.text) == (400, "no such datastore 'nope'")


def test_delete_async_with_side_effects(api, root, pbs_simulator):
    _create(api, root, pbs_simulator, {"name": "store1", "path": "/mnt/s1"})
    state = pbs_simulator.state
    state.file("sync.cfg").set("s-1", "sync", {"id": "s-1", "store": "store1",
                                               "remote-store": "x"})
    state.file("verification.cfg").set("v-1", "verification", {"id": "v-1", "store": "store1"})
    state.file("verification.cfg").set("v-2", "verification", {"id": "v-2", "store": "other"})
    state.acl_add("/datastore/store1", "root@pam", "Audit")
    resp = api.request("DELETE", f"{DS}/store1", params={"digest": "0" * 64}, **root)
    assert resp.status_code == 400 and resp.text.startswith("detected modified configuration")
    resp = api.request("DELETE", f"{DS}/store1", **root)
    assert resp.status_code == 200
    upid = resp.json()["data"]
    assert ":delete-datastore:store1:" in upid
    # jobs and ACLs are gone at once; the entry stays in maintenance mode "delete"
    assert state.file("sync.cfg").get("s-1") is None
    assert state.file("verification.cfg").get("v-1") is None
    assert state.file("verification.cfg").get("v-2") is not None
    assert not [e for e in state.acl_entries() if e[0] == "/datastore/store1"]
    data = api.request("GET", f"{DS}/store1", **root).json()["data"]
    assert data["maintenance-mode"] == "delete"
    resp = api.request("PUT", f"{DS}/store1", json={"maintenance-mode": "offline"}, **root)
    assert (resp.status_code, resp.text) == (400, "datastore is being deleted")
    pbs_simulator.clock.advance(10)
    assert _status(api, root, upid)["exitstatus"] == "OK"
    resp = api.request("GET", f"{DS}/store1", **root)
    assert resp.text == "no such datastore 'store1'"
    resp = api.request("DELETE", f"{DS}/store1", **root)
    assert (resp.status_code, resp.text) == (404, "datastore 'store1' does not exist.")


def test_delete_keep_job_configs(api, root, pbs_simulator):
    _create(api, root, pbs_simulator, {"name": "store1", "path": "/mnt/s1"})
    pbs_simulator.state.file("prune.cfg").set("p-1", "prune", {"id": "p-1", "store": "store1",
                                                                "schedule": "daily"})
    resp = api.request("DELETE", f"{DS}/store1", params={"keep-job-configs": "1"}, **root)
    assert resp.status_code == 200
    assert pbs_simulator.state.file("prune.cfg").get("p-1") is not None


@pytest.mark.fidelity
def test_json_delete_ignores_query(api, root, pbs_simulator):
    _create(api, root, pbs_simulator, {"name": "store1", "path": "/mnt/s1"})
    # JSON mode: query string ignored, so the wrong digest is not even seen
    resp = api.request("DELETE", f"{DS}/store1?digest={'0' * 64}", json={}, **root)
    assert resp.status_code == 200, resp.text


def test_status_usage_gc(api, root, pbs_simulator):
    _create(api, root, pbs_simulator, {"name": "store1", "path": "/mnt/s1", "comment": "c"})
    status = api.request("GET", "/admin/datastore/store1/status", **root).json()["data"]
    assert status["total"] == status["used"] + status["avail"]
    assert status["backend-type"] == "filesystem"
    listing = api.request("GET", "/admin/datastore", **root).json()["data"]
    assert listing == [{"store": "store1", "comment": "c", "mount-status": "nonremovable",
                        "backend-type": "filesystem"}]
    usage = api.request("GET", "/status/datastore-usage", **root).json()["data"]
    assert usage[0]["store"] == "store1" and "avail" in usage[0]
    resp = api.request("POST", "/admin/datastore/store1/gc", **root)
    upid = resp.json()["data"]
    assert ":garbage_collection:store1:" in upid
    pbs_simulator.clock.advance(10)
    gc = api.request("GET", "/admin/datastore/store1/gc", **root).json()["data"]
    assert gc["upid"] == upid and gc["store"] == "store1" and gc["last-run-state"] == "OK"
    for path in ("verify", "prune-datastore"):
        resp = api.request("POST", f"/admin/datastore/store1/{path}", **root)
        assert resp.status_code == 200 and resp.json()["data"].startswith("UPID:")
    resp = api.request("GET", "/admin/datastore/nope/status", **root)
    assert (resp.status_code, resp.text) == (400, "no such datastore 'nope'")
    api.request("PUT", f"{DS}/store1", json={"maintenance-mode": "offline,message=m"}, **root)
    resp = api.request("POST", "/admin/datastore/store1/gc", **root)
    assert resp.text == "datastore 'store1' is unavailable: offline maintenance mode: m"


def test_list_filtered_for_token(api, root, pbs_simulator):
    _create(api, root, pbs_simulator, {"name": "store1", "path": "/mnt/s1"})
    _create(api, root, pbs_simulator, {"name": "store2", "path": "/mnt/s2"})
    secret = pbs_simulator.create_token("root@pam", "ci")
    token = ("root@pam!ci", secret)
    resp = api.request("GET", DS, token=token)
    assert resp.status_code == 200 and resp.json()["data"] == []
    pbs_simulator.add_acl("/datastore/store2", "root@pam!ci", "DatastoreAudit")
    names = [d["name"] for d in api.request("GET", DS, token=token).json()["data"]]
    assert names == ["store2"]
    resp = api.request("GET", f"{DS}/store1", token=token)
    assert (resp.status_code, resp.text) == (403, "permission check failed")


def test_node_status_fingerprint(api, root, pbs_simulator):
    data = api.request("GET", "/nodes/localhost/status", **root).json()["data"]
    assert data["info"]["fingerprint"] == pbs_simulator.fingerprint
    assert api.request("GET", "/nodes", **root).json()["data"] == [{"node": "localhost"}]


def test_removable_mount_unmount(api, root, pbs_simulator):
    body = {"name": "usb1", "path": "backups", "gc-on-unmount": True,
            "backing-device": "0c3f8a2e-1b2c-4d5e-8f90-123456789abc"}
    _create(api, root, pbs_simulator, body)
    data = api.request("GET", f"{DS}/usb1", **root).json()["data"]
    assert data["path"] == "backups" and data["gc-on-unmount"] is True
    listing = api.request("GET", "/admin/datastore", **root).json()["data"]
    assert listing[0]["mount-status"] == "mounted"
    upid = api.request("POST", "/admin/datastore/usb1/unmount", **root).json()["data"]
    assert ":unmount-device:usb1:" in upid
    assert api.request("GET", f"{DS}/usb1", **root).json()["data"]["maintenance-mode"] == "unmount"
    pbs_simulator.clock.advance(10)
    listing = api.request("GET", "/admin/datastore", **root).json()["data"]
    assert listing[0]["mount-status"] == "notmounted" and "maintenance" not in listing[0]
    resp = api.request("GET", "/admin/datastore/usb1/status", **root)
    assert (resp.status_code, resp.text) == (400, "datastore 'usb1' is not mounted")
    resp = api.request("DELETE", f"{DS}/usb1", params={"destroy-data": 1}, **root)
    assert (resp.status_code, resp.text) == (
        400, "cannot destroy data on 'usb1' unless the datastore is mounted"
    )
    api.request("POST", "/admin/datastore/usb1/mount", **root)
    pbs_simulator.clock.advance(10)
    assert api.request("GET", "/admin/datastore/usb1/status", **root).status_code == 200
    _create(api, root, pbs_simulator, {"name": "fixed", "path": "/mnt/fixed"})
    resp = api.request("POST", "/admin/datastore/fixed/mount", **root)
    assert (resp.status_code, resp.text) == (400, "datastore 'fixed' is not removable")
