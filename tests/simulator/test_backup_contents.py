"""Backup contents in the simulator: listings, notes, protection, owner, delete, and prune
by PBS's keep rules (pbs-datastore prune.rs) on a history worked out by hand."""

import calendar
import time

import pytest

BASE = "/admin/datastore/store1"


def _t(text):
    """Epoch of a UTC time ``YYYY-MM-DD HH:MM``."""
    return calendar.timegm(time.strptime(text, "%Y-%m-%d %H:%M"))


@pytest.fixture
def root(api, pbs_simulator):
    root = api.root()
    resp = api.request("POST", "/config/datastore", json={"name": "store1", "path": "/mnt/s1"},
                       **root)
    assert resp.status_code == 200, resp.text
    pbs_simulator.tasks.finish_all()
    return root


# vm/100: Z is a Sunday in ISO week 2023-W52; A..E fall in 2024-W01, F..H in 2024-W02.
HISTORY = {
    "Z": "2023-12-31 20:00",
    "A": "2024-01-01 10:00",
    "B": "2024-01-01 22:00",
    "C": "2024-01-02 03:00",
    "D": "2024-01-03 12:00",  # protected
    "E": "2024-01-03 18:00",
    "F": "2024-01-08 09:00",
    "G": "2024-01-09 09:00",
    "H": "2024-01-09 15:00",
}


@pytest.fixture
def history(root, pbs_simulator):
    from saltext.pbs.simulator import backups  # pylint: disable=import-outside-toplevel

    info = pbs_simulator.state.runtime["datastores"]["store1"]
    group = backups.add_group(info, "", "vm", "100")
    for name, when in HISTORY.items():
        backups.add_snapshot(group, _t(when), protected=name == "D")
    return root


def test_prune_dry_run_matches_hand_worked_answer(api, history):
    # keep-last 2 keeps H, G. keep-daily 2 skips 01-09 (already kept), keeps F (01-08) and
    # E (newest of 01-03), marks D protected, stops at C (two days counted). keep-weekly 2
    # skips C, B, A (week 2024-W01 already has E) and keeps Z, the only snapshot of
    # 2023-W52. Left: C, B, A are removed.
    body = {"backup-type": "vm", "backup-id": "100", "dry-run": True, "keep-last": 2,
            "keep-daily": 2, "keep-weekly": 2}
    resp = api.request("POST", BASE + "/prune", json=body, **history)
    assert resp.status_code == 200, resp.text
    by_time = {item["backup-time"]: item for item in resp.json()["data"]}
    verdict = {name: by_time[_t(when)]["keep"] for name, when in HISTORY.items()}
    assert verdict == {"Z": True, "A": False, "B": False, "C": False, "D": True, "E": True,
                       "F": True, "G": True, "H": True}
    assert [i["backup-time"] for i in resp.json()["data"]] == sorted(by_time)  # oldest first
    assert [n for n, w in HISTORY.items() if by_time[_t(w)]["protected"]] == ["D"]
    # a dry run removes nothing
    snaps = api.request("GET", BASE + "/snapshots", **history).json()["data"]
    assert len(snaps) == len(HISTORY)


def test_prune_removes_and_later_reads_agree(api, history):
    body = {"backup-type": "vm", "backup-id": "100", "keep-last": 1}
    resp = api.request("POST", BASE + "/prune", json=body, **history)
    assert resp.status_code == 200, resp.text
    snaps = api.request("GET", BASE + "/snapshots", **history).json()["data"]
    assert sorted(s["backup-time"] for s in snaps) == [_t(HISTORY["D"]), _t(HISTORY["H"])]
    groups = api.request("GET", BASE + "/groups", **history).json()["data"]
    assert [(g["backup-count"], g["last-backup"]) for g in groups] == [(2, _t(HISTORY["H"]))]


def test_notes_protection_owner_delete(api, history, pbs_simulator):
    snap = {"backup-type": "vm", "backup-id": "100", "backup-time": _t(HISTORY["H"])}
    group = {"backup-type": "vm", "backup-id": "100"}
    assert api.request("PUT", BASE + "/notes", json=dict(snap, notes="first\nsecond"),
                       **history).status_code == 200
    assert api.request("GET", BASE + "/notes", params=snap, **history).json()["data"] == (
        "first\nsecond")
    api.request("PUT", BASE + "/group-notes", json=dict(group, notes="db"), **history)
    groups = api.request("GET", BASE + "/groups", **history).json()["data"]
    assert groups[0]["comment"] == "db"
    listed = api.request("GET", BASE + "/snapshots", **history).json()["data"]
    newest = next(s for s in listed if s["backup-time"] == snap["backup-time"])
    assert newest["comment"] == "first"
    assert {f["filename"] for f in newest["files"]} >= {"index.json.blob"}
    assert newest["size"] == sum(f["size"] for f in newest["files"])

    api.request("PUT", BASE + "/protected", json=dict(snap, protected=True), **history)
    assert api.request("GET", BASE + "/protected", params=snap, **history).json()["data"] is True
    resp = api.request("DELETE", BASE + "/snapshots", params=snap, **history)
    assert (resp.status_code, resp.text) == (
        400, "failed to delete snapshot - cannot remove protected snapshot")

    resp = api.request("POST", BASE + "/change-owner", json=dict(group, **{"new-owner": "x@pbs"}),
                       **history)
    assert (resp.status_code, resp.text) == (400, "user 'x@pbs' is inactive or non-existent")

    resp = api.request("DELETE", BASE + "/groups", params=group, **history)
    assert (resp.status_code, resp.text) == (
        400, "group only partially deleted due to protected snapshots")
    left = api.request("GET", BASE + "/snapshots", **history).json()["data"]
    assert sorted(s["backup-time"] for s in left) == sorted(
        [_t(HISTORY["D"]), _t(HISTORY["H"])])
    info = pbs_simulator.state.runtime["datastores"]["store1"]
    assert (info["groups"][0]["snapshots"], info["groups"][0]["protected"]) == (2, 2)


@pytest.mark.fidelity
def test_missing_snapshot_and_owner_limits(api, history, pbs_simulator):
    snap = {"backup-type": "vm", "backup-id": "100", "backup-time": 1}
    resp = api.request("GET", BASE + "/notes", params=snap, **history)
    assert resp.status_code == 400
    assert resp.text == ("unable to load blob '\"/mnt/s1/vm/100/1970-01-01T00:00:01Z/"
                         "index.json.blob\"' - No such file or directory (os error 2)")
    secret = pbs_simulator.create_token("root@pam", "ro")
    token = ("root@pam!ro", secret)
    resp = api.request("GET", BASE + "/snapshots", token=token)
    assert (resp.status_code, resp.text) == (
        403, "permission check failed - missing Datastore.Audit|Datastore.Backup on "
             "/datastore/store1")
    pbs_simulator.add_acl("/datastore/store1", "root@pam!ro", "DatastoreBackup")
    # only Datastore.Backup: groups owned by root@pam are not the token's
    assert api.request("GET", BASE + "/snapshots", token=token).json()["data"] == []


def test_seed_history(api, root, pbs_simulator):
    made = pbs_simulator.seed_backups("store1", days=3, per_day=1, ns="prod", start_hour=0)
    assert made == 9  # three groups, one snapshot a day at 00:00, today's included
    groups = api.request("GET", BASE + "/groups", params={"ns": "prod"}, **root).json()["data"]
    assert sorted(f"{g['backup-type']}/{g['backup-id']}" for g in groups) == [
        "ct/200", "host/backup-host", "vm/100"]
    assert {g["backup-count"] for g in groups} == {3}
    assert {g["last-backup"] % 86400 for g in groups} == {0}
    with pytest.raises(ValueError, match="does not exist"):
        pbs_simulator.seed_backups("nope")


def test_seed_through_the_admin_side_channel(api, root, pbs_simulator):
    headers = {"X-Sim-Admin": pbs_simulator.password}
    url = pbs_simulator.url + "/_sim/backups"
    resp = api.request("POST", url, headers=headers,
                       json={"store": "store1", "days": 2, "groups_spec": ["ct/201"],
                             "start_hour": 0, "verify_state": "failed"})
    assert (resp.status_code, resp.json()) == (200, {"data": 2})
    snaps = api.request("GET", BASE + "/snapshots", **root).json()["data"]
    assert {(s["backup-id"], s["verification"]["state"]) for s in snaps} == {("201", "failed")}
    resp = api.request("POST", url, headers=headers, json={"store": "store1", "dayz": 2})
    assert (resp.status_code, resp.text) == (400, "ValueError: unknown seed option(s): dayz")


@pytest.mark.fidelity
def test_download_content_type_errors_and_privilege(api, history, pbs_simulator):
    snap = {"backup-type": "vm", "backup-id": "100", "backup-time": _t(HISTORY["H"])}
    resp = api.request("GET", BASE + "/download", params=dict(snap, **{"file-name":
                                                                       "qemu-server.conf.blob"}),
                       **history)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/octet-stream"
    assert resp.content.startswith(bytes([66, 171, 56, 7, 190, 131, 112, 161]))
    resp = api.request("GET", BASE + "/download", params=dict(snap, **{"file-name": "nope.blob"}),
                       **history)
    assert (resp.status_code, resp.text) == (
        400, "File open failed: No such file or directory (os error 2)")
    secret = pbs_simulator.create_token("root@pam", "audit")
    pbs_simulator.add_acl("/datastore/store1", "root@pam!audit", "DatastoreAudit")
    resp = api.request("GET", BASE + "/download", token=("root@pam!audit", secret),
                       params=dict(snap, **{"file-name": "index.json.blob"}))
    assert (resp.status_code, resp.text) == (
        403, "permission check failed - missing Datastore.Read|Datastore.Backup on "
             "/datastore/store1")


def test_namespace_delete_and_snapshot_listing_agree(api, root, pbs_simulator):
    from saltext.pbs.simulator import backups  # pylint: disable=import-outside-toplevel

    api.request("POST", BASE + "/namespace", json={"name": "prod"}, **root)
    info = pbs_simulator.state.runtime["datastores"]["store1"]
    group = backups.add_group(info, "prod", "ct", "200")
    for hour in (1, 2, 3):
        backups.add_snapshot(group, _t(f"2024-01-01 0{hour}:00"), protected=hour == 2)
    resp = api.request("DELETE", BASE + "/namespace",
                       params={"ns": "prod", "delete-groups": True, "error-on-protected": False},
                       **root)
    assert resp.json()["data"] == {"removed-groups": 0, "protected-snapshots": 1,
                                   "removed-snapshots": 2}
    snaps = api.request("GET", BASE + "/snapshots", params={"ns": "prod"}, **root).json()["data"]
    assert [s["backup-time"] for s in snaps] == [_t("2024-01-01 02:00")]


# ----- catalog, decoded and pxar downloads, client log upload (datastore.rs catalog,
# download_file_decoded, pxar_file_download, upload_backup_log) -----------------------------
def _blob(payload):
    import struct  # pylint: disable=import-outside-toplevel
    import zlib  # pylint: disable=import-outside-toplevel

    magic = bytes([66, 171, 56, 7, 190, 131, 112, 161])
    return magic + struct.pack("<I", zlib.crc32(payload) & 0xFFFFFFFF) + payload


@pytest.fixture
def host(root, pbs_simulator):
    from saltext.pbs.simulator import backups  # pylint: disable=import-outside-toplevel

    info = pbs_simulator.state.runtime["datastores"]["store1"]
    group = backups.add_group(info, "", "host", "web01")
    backups.add_snapshot(group, _t("2024-01-09 15:00"),
                         files=backups.make_files("host", scale=1e-6))
    secret = backups.add_group(info, "", "host", "vault")
    backups.add_snapshot(secret, _t("2024-01-09 15:00"), encrypted=True,
                         files=backups.make_files("host", encrypted=True, scale=1e-6))
    return root


def _b64(text):
    import base64  # pylint: disable=import-outside-toplevel

    return base64.b64encode(text.encode()).decode()


HOST = {"backup-type": "host", "backup-id": "web01", "backup-time": _t("2024-01-09 15:00")}


def test_catalog_root_archive_and_errors(api, host):
    resp = api.request("GET", BASE + "/catalog", params=dict(HOST, filepath="root"), **host)
    assert resp.json()["data"] == [{"filepath": _b64("/root.pxar.didx"),
                                    "text": "root.pxar.didx", "type": "d", "leaf": False}]
    resp = api.request("GET", BASE + "/catalog",
                       params=dict(HOST, filepath=_b64("/root.pxar.didx/etc")), **host)
    hostname = next(e for e in resp.json()["data"] if e["text"] == "hostname")
    assert hostname == {"filepath": _b64("/root.pxar.didx/etc/hostname"), "text": "hostname",
                        "type": "f", "leaf": True, "size": 6,
                        "mtime": _t("2024-01-09 14:00")}
    resp = api.request("GET", BASE + "/catalog",
                       params=dict(HOST, filepath=_b64("/root.pxar.didx/nope")), **host)
    assert (resp.status_code, resp.text) == (
        400, 'path "/root.pxar.didx/nope" not found in catalog')
    vault = dict(HOST, **{"backup-id": "vault"})
    resp = api.request("GET", BASE + "/catalog", params=dict(vault, filepath="root"), **host)
    assert (resp.status_code, resp.text) == (
        400, "cannot decode 'catalog.pcat1.didx' - is encrypted")


@pytest.mark.fidelity
def test_pxar_file_download_and_decoded(api, host):
    resp = api.request("GET", BASE + "/pxar-file-download",
                       params=dict(HOST, filepath=_b64("/root.pxar.didx/etc/hostname")), **host)
    assert (resp.status_code, resp.headers["Content-Type"], resp.content) == (
        200, "application/octet-stream", b"web01\n")
    resp = api.request("GET", BASE + "/pxar-file-download",
                       params=dict(HOST, filepath=_b64("/root.pxar.didx/etc")), **host)
    assert resp.content[:4] == b"PK\x03\x04"  # a zip
    resp = api.request("GET", BASE + "/pxar-file-download",
                       params=dict(HOST, filepath=_b64("/root.pxar.didx/etc"), tar=1), **host)
    assert resp.content[:4] == bytes([0x28, 0xB5, 0x2F, 0xFD])  # a zstd frame
    resp = api.request("GET", BASE + "/pxar-file-download",
                       params=dict(HOST, filepath=_b64("/drive.img.fidx/x")), **host)
    assert (resp.status_code, resp.text) == (400, "archive not found in manifest")
    resp = api.request("GET", BASE + "/download-decoded",
                       params=dict(HOST, **{"file-name": "index.json.blob"}), **host)
    assert resp.status_code == 200 and resp.json()["backup-id"] == "web01"
    vault = dict(HOST, **{"backup-id": "vault", "file-name": "root.pxar.didx"})
    resp = api.request("GET", BASE + "/download-decoded", params=vault, **host)
    assert (resp.status_code, resp.text) == (400, "cannot decode 'root.pxar.didx' - is encrypted")


@pytest.mark.fidelity
def test_upload_backup_log(api, host, pbs_simulator):
    headers = {"Content-Type": "application/octet-stream"}
    resp = api.request("POST", BASE + "/upload-backup-log", params=HOST, headers=headers,
                       data=b"not a blob at all", **host)
    assert (resp.status_code, resp.text) == (400, "unable to parse raw blob - wrong magic")
    broken = bytearray(_blob(b"log\n"))
    broken[-1] ^= 1
    resp = api.request("POST", BASE + "/upload-backup-log", params=HOST, headers=headers,
                       data=bytes(broken), **host)
    assert (resp.status_code, resp.text) == (400, "Data blob has wrong CRC checksum.")
    resp = api.request("POST", BASE + "/upload-backup-log", params=HOST, headers=headers,
                       data=_blob(b"log\n"), **host)
    assert (resp.status_code, resp.json()) == (200, {"data": None})
    files = api.request("GET", BASE + "/files", params=HOST, **host).json()["data"]
    assert {"filename": "client.log.blob"} in files  # not in the manifest: name only
    resp = api.request("POST", BASE + "/upload-backup-log", params=HOST, headers=headers,
                       data=_blob(b"again\n"), **host)
    assert (resp.status_code, resp.text) == (400, "backup already contains a log.")
    # an upload is the owner's: Datastore.Modify on the store does not allow it
    secret = pbs_simulator.create_token("root@pam", "mod")
    pbs_simulator.add_acl("/datastore/store1", "root@pam!mod", "DatastoreAdmin")
    resp = api.request("POST", BASE + "/upload-backup-log", headers=headers,
                       params=dict(HOST, **{"backup-id": "vault"}), data=_blob(b"x"),
                       token=("root@pam!mod", secret))
    assert (resp.status_code, resp.text) == (
        400, "backup owner check failed (root@pam!mod != root@pam)")
    # other endpoints still refuse a binary body
    resp = api.request("PUT", BASE + "/notes", params=dict(HOST, notes="x"), headers=headers,
                       data=b"\x00", **host)
    assert resp.status_code == 400 and "unsupported content type" in resp.text
