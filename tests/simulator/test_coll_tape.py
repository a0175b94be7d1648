"""Tape drives, changers, media pools and tape backup jobs over HTTP."""

import pytest

MISMATCH = "detected modified configuration - file changed by other user? Try again."


def _ok(resp):
    assert resp.status_code == 200, resp.text
    return resp.json()


def _post(api, root, path, body):
    assert _ok(api.request("POST", path, json=body, **root)) == {"data": None}


def test_drives_and_changers_share_tape_cfg(api, root, pbs_simulator):
    _post(api, root, "/config/changer", {"name": "sl3", "path": "/dev/sg4",
                                         "export-slots": "1,2"})
    _post(api, root, "/config/drive", {"name": "lto9", "path": "/dev/sg0", "changer": "sl3",
                                       "changer-drivenum": 1})
    drive = _ok(api.request("GET", "/config/drive/lto9", **root))
    assert drive["data"] == {"name": "lto9", "path": "/dev/sg0", "changer": "sl3",
                             "changer-drivenum": 1}
    cfg = pbs_simulator.state.file("tape.cfg")
    assert drive["digest"] == cfg.digest()
    changer = _ok(api.request("GET", "/config/changer/sl3", **root))
    assert changer["digest"] == drive["digest"]
    assert _ok(api.request("GET", "/config/changer", **root))["data"] == [changer["data"]]
    # one name space across both section types
    resp = api.request("POST", "/config/drive", json={"name": "sl3", "path": "/dev/sg1"}, **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'name': Entry 'sl3' already exists")
    resp = api.request("GET", "/config/drive/sl3", **root)
    assert (resp.status_code, resp.text) == (400, "got unexpected type 'changer' for lto 'sl3'")
    # a changer update invalidates the digest held for the drive
    _ok(api.request("PUT", "/config/changer/sl3", json={"export-slots": "10,2,3"}, **root))
    assert _ok(api.request("GET", "/config/changer/sl3", **root))["data"]["export-slots"] == (
        "10,2,3")
    resp = api.request("PUT", "/config/drive/lto9", json={"digest": drive["digest"],
                                                          "changer-drivenum": 2}, **root)
    assert (resp.status_code, resp.text) == (400, MISMATCH)
    resp = api.request("DELETE", "/config/changer/sl3", **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'name': Delete changer 'sl3' failed - used by "
        "drive 'lto9'")
    # deleting the changer of a drive drops its drive number too
    _ok(api.request("PUT", "/config/drive/lto9", json={"delete": ["changer"]}, **root))
    assert _ok(api.request("GET", "/config/drive/lto9", **root))["data"] == {
        "name": "lto9", "path": "/dev/sg0"}
    resp = api.request("PUT", "/config/drive/lto9", json={"changer-drivenum": 3}, **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'changer': Option 'changer-drivenum' requires "
        "option 'changer'.")
    resp = api.request("PUT", "/config/drive/lto9", json={"changer": "nope"}, **root)
    assert (resp.status_code, resp.text) == (400, "no such changer 'nope'")
    _ok(api.request("DELETE", "/config/changer/sl3", **root))
    resp = api.request("DELETE", "/config/changer/lto9", **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'name': Entry 'lto9' exists, but is not a changer "
        "device")
    _ok(api.request("DELETE", "/config/drive/lto9", **root))
    resp = api.request("DELETE", "/config/drive/lto9", **root)
    assert (resp.status_code, resp.text) == (404, "Delete drive 'lto9' failed - no such drive")
    resp = api.request("DELETE", "/config/changer/sl3", **root)
    assert (resp.status_code, resp.text) == (404, "Delete changer 'sl3' failed - no such entry")


def test_device_paths(api, root, pbs_simulator):
    resp = api.request("POST", "/config/drive", json={"name": "drive1", "path": "/dev/st0"}, **root)
    assert (resp.status_code, resp.text) == (
        400, "path '/dev/st0' is not a lto SCSI-generic tape device")
    _post(api, root, "/config/drive", {"name": "drive1", "path": "/dev/sg0"})
    resp = api.request("POST", "/config/drive", json={"name": "drive2", "path": "/dev/sg0"},
                       **root)
    assert (resp.status_code, resp.text) == (
        400,
        "parameter verification failed - 'path': Path '/dev/sg0' already used in drive 'drive1'",
    )
    pbs_simulator.state.runtime["tape-devices"] = {"drives": [{"path": "/dev/sg7"}]}
    _ok(api.request("PUT", "/config/drive/drive1", json={"path": "/dev/sg7"}, **root))


def test_media_pools(api, root, pbs_simulator):
    _post(api, root, "/config/media-pool", {"name": "weekly", "allocation": "sat 02:00",
                                            "retention": "4 weeks 2d", "template": "%Y-%W",
                                            "comment": "Weekly"})
    body = _ok(api.request("GET", "/config/media-pool/weekly", **root))
    # no digest on item reads of media pools
    assert body == {"data": {"name": "weekly", "allocation": "sat 02:00",
                             "retention": "4 weeks 2d", "template": "%Y-%W",
                             "comment": "Weekly"}}
    listing = _ok(api.request("GET", "/config/media-pool", **root))
    assert listing["digest"] == pbs_simulator.state.file("media-pool.cfg").digest()
    _ok(api.request("PUT", "/config/media-pool/weekly", json={
        "delete": ["template"], "retention": "keep", "comment": "  "}, **root))
    assert _ok(api.request("GET", "/config/media-pool/weekly", **root))["data"] == {
        "name": "weekly", "allocation": "sat 02:00", "retention": "keep"}
    resp = api.request("POST", "/config/media-pool", json={"name": "weekly"}, **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'name': Media pool 'weekly' already exists")
    _ok(api.request("DELETE", "/config/media-pool/weekly", **root))
    resp = api.request("DELETE", "/config/media-pool/weekly", **root)
    assert (resp.status_code, resp.text) == (404, "delete pool 'weekly' failed - no such pool")


def test_tape_backup_jobs(api, root, pbs_simulator):
    datastores = pbs_simulator.state.file("datastore.cfg")
    datastores.set("store1", "datastore", {"path": "/mnt/store1"})
    datastores.set("s3store", "datastore", {"path": "/mnt/cache",
                                            "backend": "type=s3,client=s3a,bucket=pbs"})
    job = {"id": "nightly", "store": "store1", "pool": "weekly", "drive": "lto9",
           "schedule": "daily", "group-filter": ["type:vm"], "latest-only": True}
    _post(api, root, "/config/tape-backup-job", job)
    body = _ok(api.request("GET", "/config/tape-backup-job/nightly", **root))
    assert body["data"] == job
    assert body["digest"] == pbs_simulator.state.file("tape-job.cfg").digest()
    assert "tape-backup-job/nightly" in pbs_simulator.state.runtime["jobstates"]
    _ok(api.request("PUT", "/config/tape-backup-job/nightly", json={
        "digest": body["digest"], "delete": ["group-filter", "latest-only"],
        "comment": " tape ", "worker-threads": 4, "schedule": "daily"}, **root))
    assert _ok(api.request("GET", "/config/tape-backup-job/nightly", **root))["data"] == {
        "id": "nightly", "store": "store1", "pool": "weekly", "drive": "lto9",
        "schedule": "daily", "comment": "tape", "worker-threads": 4}
    resp = api.request("PUT", "/config/tape-backup-job/nightly",
                       json={"digest": body["digest"], "pool": "p2"}, **root)
    assert (resp.status_code, resp.text) == (400, MISMATCH)
    # the job is looked up before the digest is compared
    resp = api.request("PUT", "/config/tape-backup-job/other",
                       json={"digest": body["digest"], "pool": "p2"}, **root)
    assert (resp.status_code, resp.text) == (400, "no such backup 'other'")
    resp = api.request("POST", "/config/tape-backup-job", json=dict(job, store="s3store"),
                       **root)
    assert (resp.status_code, resp.text) == (400, "direct s3/tape operations are not supported")
    resp = api.request("POST", "/config/tape-backup-job", json=dict(job, id="job2", store="nope"),
                       **root)
    assert (resp.status_code, resp.text) == (400, "no such datastore 'nope'")
    resp = api.request("POST", "/config/tape-backup-job", json=job, **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'id': job 'nightly' already exists.")
    _ok(api.request("DELETE", "/config/tape-backup-job/nightly",
                    params={"digest": pbs_simulator.state.file("tape-job.cfg").digest()}, **root))
    assert "tape-backup-job/nightly" not in pbs_simulator.state.runtime["jobstates"]
    resp = api.request("DELETE", "/config/tape-backup-job/nightly", **root)
    assert (resp.status_code, resp.text) == (404, "job 'nightly' does not exist.")


def test_tape_permissions_filter_lists(api, root, pbs_simulator):
    _post(api, root, "/config/media-pool", {"name": "p1"})
    _post(api, root, "/config/media-pool", {"name": "p2"})
    secret = pbs_simulator.create_token("root@pam", "t")
    token = ("root@pam!t", secret)
    pbs_simulator.add_acl("/tape/pool/p2", "root@pam!t", "TapeAudit")
    listing = _ok(api.request("GET", "/config/media-pool", token=token))["data"]
    assert listing == [{"name": "p2"}]
    assert api.request("GET", "/config/media-pool/p1", token=token).status_code == 403
    resp = api.request("PUT", "/config/media-pool/p2", json={"comment": "x"}, token=token)
    assert resp.status_code == 403


def test_scan_devices_root_only(api, root, pbs_simulator):
    drives = _ok(api.request("GET", "/tape/scan-drives", **root))["data"]
    assert [d["path"] for d in drives] == ["/dev/tape/by-id/scsi-10WT065325-sg",
                                          "/dev/tape/by-id/scsi-10WT065326-sg"]
    assert drives[0]["kind"] == "tape" and drives[0]["major"] == 21
    changers = _ok(api.request("GET", "/tape/scan-changers", **root))["data"]
    assert changers[0]["kind"] == "changer"
    # a scanned path and its /dev/sgN alias are the same device
    _post(api, root, "/config/drive", {"name": "lto9", "path": drives[0]["path"]})
    resp = api.request("POST", "/config/drive", json={"name": "lto8", "path": "/dev/sg3"},
                       **root)
    assert resp.status_code == 400
    secret = pbs_simulator.create_token("root@pam", "t")
    pbs_simulator.add_acl("/", "root@pam!t", "Admin")
    resp = api.request("GET", "/tape/scan-drives", token=("root@pam!t", secret))
    assert (resp.status_code, resp.text) == (403, "permission check failed")


KEYS = "/config/tape-encryption-keys"


def test_tape_encryption_keys(api, root, pbs_simulator):
    resp = api.request("POST", KEYS, json={"password": "tape-pass-1"}, **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'hint': Please specify either a hint or a key")
    fingerprint = _ok(api.request("POST", KEYS, json={"password": "tape-pass-1",
                                                      "hint": "the usual"}, **root))["data"]
    assert len(fingerprint) == 95
    listing = _ok(api.request("GET", KEYS, **root))
    assert listing["digest"] == pbs_simulator.state.file("tape-encryption-key-config.json").digest()
    info = _ok(api.request("GET", f"{KEYS}/{fingerprint.upper()}", **root))["data"]
    assert info["fingerprint"] == fingerprint and info["kdf"] == "scrypt"
    assert info["hint"] == "the usual" and "password" not in info
    assert listing["data"] == [info]
    resp = api.request("PUT", f"{KEYS}/{fingerprint}", json={
        "password": "wrong-pass", "new-password": "tape-pass-2", "hint": "new"}, **root)
    assert (resp.status_code, resp.text) == (
        400, "Unable to decrypt key (password hint: the usual)")
    _ok(api.request("PUT", f"{KEYS}/{fingerprint}", json={
        "password": "tape-pass-1", "new-password": "tape-pass-2", "hint": "new",
        "digest": listing["digest"]}, **root))
    info = _ok(api.request("GET", f"{KEYS}/{fingerprint}", **root))["data"]
    assert info["hint"] == "new" and info["modified"] >= info["created"]
    with open(pbs_simulator.request_log, encoding="utf-8") as fh:
        assert "tape-pass-1" not in fh.read()
    resp = api.request("DELETE", f"{KEYS}/{fingerprint}", params={"digest": listing["digest"]},
                       **root)
    assert (resp.status_code, resp.text) == (400, MISMATCH)
    _ok(api.request("DELETE", f"{KEYS}/{fingerprint}", **root))
    resp = api.request("GET", f"{KEYS}/{fingerprint}", **root)
    assert (resp.status_code, resp.text) == (
        404, f"tape encryption key '{fingerprint}' does not exist.")


@pytest.mark.fidelity
def test_invalid_tape_requests(api, root, pbs_simulator):
    _post(api, root, "/config/media-pool", {"name": "p1"})
    cases = [
        ("DELETE", "/config/drive/xx1", {"digest": "0" * 64},
         "parameter verification failed - 'digest': schema does not allow additional "
         "properties."),
        ("DELETE", "/config/media-pool/p1", {"digest": "0" * 64},
         "parameter verification failed - 'digest': schema does not allow additional "
         "properties."),
        ("PUT", "/config/media-pool/p1", {"digest": "0" * 64},
         "parameter verification failed - 'digest': schema does not allow additional "
         "properties"),
        ("POST", "/config/media-pool", {"name": "p2", "retention": "forever"},
         "parameter verification failed - 'retention': unable to parse time span at 'forever'"),
        ("POST", "/config/changer", {"name": "chg1", "path": "/dev/sg4", "export-slots": "0"},
         "parameter verification failed - 'export-slots': unable to parse array element: value "
         "must have a minimum value of 1 (got 0)"),
        ("POST", "/config/drive", {"name": "drive1", "path": "/dev/sg0", "changer-drivenum": 256},
         "parameter verification failed - 'changer-drivenum': value must have a maximum value "
         "of 255 (got 256)"),
    ]
    for method, path, body, text in cases:
        kwargs = {"params": body} if method in ("GET", "DELETE") else {"json": body}
        resp = api.request(method, path, **kwargs, **root)
        assert (resp.status_code, resp.text) == (400, text)


def test_tape_backup_status_and_run(api, root, pbs_simulator):
    pbs_simulator.state.file("datastore.cfg").set("store1", "datastore", {"path": "/mnt/s1"})
    _post(api, root, "/config/media-pool", {"name": "weekly"})
    _post(api, root, "/config/tape-backup-job", {"id": "nightly", "store": "store1",
                                                 "pool": "weekly", "drive": "lto9",
                                                 "schedule": "daily"})
    status = _ok(api.request("GET", "/tape/backup", **root))["data"]
    assert [job["id"] for job in status] == ["nightly"]
    assert status[0]["next-run"] > pbs_simulator.clock.now()
    resp = api.request("POST", "/tape/backup/nightly", json={}, **root)
    assert (resp.status_code, resp.text) == (400, "no such drive 'lto9'")
    _post(api, root, "/config/drive", {"name": "lto9", "path": "/dev/sg0"})
    upid = _ok(api.request("POST", "/tape/backup/nightly", json={}, **root))["data"]
    assert ":tape-backup-job:store1\\x3aweekly\\x3alto9\\x3anightly:root@pam:" in upid
    pbs_simulator.tasks.finish_all()
    status = _ok(api.request("GET", "/tape/backup", **root))["data"][0]
    assert status["last-run-upid"] == upid and status["last-run-state"] == "OK"
    secret = pbs_simulator.create_token("root@pam", "t")
    pbs_simulator.add_acl("/tape", "root@pam!t", "TapeOperator")
    token = ("root@pam!t", secret)
    assert [j["id"] for j in _ok(api.request("GET", "/tape/backup", token=token))["data"]] == [
        "nightly"]
    resp = api.request("POST", "/tape/backup/nightly", json={}, token=token)
    assert (resp.status_code, resp.text) == (
        400, "missing permissions 'Datastore.Read' on '/datastore/store1'")
