"""pbs_backup through real Salt loaders against the simulated PBS: browse, notes,
protection, owner, delete, prune (a history worked out by hand) and freshness."""

import calendar
import time

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.simulator import backups
from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

DAY = 86400


def _t(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%d %H:%M"))


@pytest.fixture
def store(pbs_modules, pbs_simulator, tmp_path):
    pbs_modules.pbs_datastore.create("store1", path=str(tmp_path / "store1"))
    return pbs_simulator.state.runtime["datastores"]["store1"]


@pytest.fixture
def bk(pbs_modules):
    return pbs_modules.pbs_backup


# one day of vm/100; 01:45 is protected
HOURLY = ["2024-03-05 01:00", "2024-03-05 01:30", "2024-03-05 01:45", "2024-03-05 02:10",
          "2024-03-05 02:50", "2024-03-05 03:05"]


@pytest.fixture
def hourly(store):
    group = backups.add_group(store, "", "vm", "100")
    for when in HOURLY:
        backups.add_snapshot(group, _t(when), protected=when.endswith("01:45"))
    return group


def test_prune_dry_run_by_hand(bk, hourly, pbs_simulator):
    # keep_last=1 keeps 03:05. keep_hourly=2: hour 03 is taken; 02:50 is the newest of
    # hour 02 (kept), 02:10 falls in the same hour (removed), 01:45 is protected, 01:30 is
    # the newest unprotected of hour 01 (kept, the second hour), 01:00 shares its hour.
    pbs_simulator.clear_exchanges()
    result = bk.prune_group("store1", "vm", "100", keep_last=1, keep_hourly=2)
    assert not writes(pbs_simulator.exchanges())[1:]  # only the dry-run POST
    verdict = {time.strftime("%H:%M", time.gmtime(i["backup-time"])): (i["keep"], i["protected"])
               for i in result}
    assert verdict == {"01:00": (False, False), "01:30": (True, False), "01:45": (True, True),
                       "02:10": (False, False), "02:50": (True, False), "03:05": (True, False)}
    assert len(bk.snapshots("store1")) == 6  # nothing removed

    bk.prune_group("store1", "vm", "100", keep_last=1, keep_hourly=2, dry_run=False)
    left = [time.strftime("%H:%M", time.gmtime(s["backup-time"])) for s in bk.snapshots("store1")]
    assert left == ["03:05", "02:50", "01:45", "01:30"]


def test_prune_bad_input_sends_nothing(bk, hourly, pbs_simulator):
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match="at least one keep option"):
        bk.prune_group("store1", "vm", "100")
    with pytest.raises(SaltInvocationError, match="keep_daily"):
        bk.prune_group("store1", "vm", "100", keep_daily=0)
    with pytest.raises(SaltInvocationError, match="keep_dayly"):
        bk.prune_group("store1", "vm", "100", keep_dayly=3)
    assert pbs_simulator.exchanges() == []


def test_browse_notes_protect_owner(bk, hourly, pbs_simulator):
    newest = "2024-03-05T03:05:00Z"
    groups = bk.groups("store1")
    assert [(g["backup-type"], g["backup-id"], g["backup-count"]) for g in groups] == [
        ("vm", "100", 6)]
    assert [s["backup-time"] for s in bk.snapshots("store1", protected=True)] == [
        _t("2024-03-05 01:45")]
    assert len(bk.snapshots("store1", since="2024-03-05T02:00:00Z")) == 3
    assert bk.snapshots("store1", backup_type="ct") == []
    names = [f["filename"] for f in bk.files("store1", "vm", "100", newest)]
    assert names == ["index.json.blob", "qemu-server.conf.blob", "drive-scsi0.img.fidx"]

    assert bk.set_notes("store1", "vm", "100", "db server\nowner: ops") is True
    assert bk.notes("store1", "vm", "100") == "db server\nowner: ops"
    assert bk.groups("store1")[0]["comment"] == "db server"
    bk.set_notes("store1", "vm", "100", "before upgrade", backup_time=_t("2024-03-05 03:05"))
    assert bk.notes("store1", "vm", "100", backup_time=newest) == "before upgrade"

    assert bk.protected("store1", "vm", "100", newest) is False
    bk.protect("store1", "vm", "100", newest)
    assert bk.protected("store1", "vm", "100", newest) is True
    bk.unprotect("store1", "vm", "100", newest)
    assert bk.protected("store1", "vm", "100", newest) is False

    pbs_modules_user = pbs_simulator.state.users
    pbs_modules_user.set("backup@pbs", "user", {"userid": "backup@pbs"})
    bk.change_owner("store1", "vm", "100", "backup@pbs")
    assert bk.groups("store1")[0]["owner"] == "backup@pbs"
    with pytest.raises(CommandExecutionError, match="inactive or non-existent"):
        bk.change_owner("store1", "vm", "100", "ghost@pbs")


def test_delete_keeps_protected(bk, hourly, pbs_simulator):
    pbs_simulator.clear_exchanges()
    with pytest.raises(CommandExecutionError, match=r"protected: not deleted"):
        bk.delete_snapshot("store1", "vm", "100", "2024-03-05T01:45:00Z")
    with pytest.raises(CommandExecutionError,
                       match=r"1 protected snapshot\(s\) \(2024-03-05T01:45"):
        bk.delete_group("store1", "vm", "100")
    assert writes(pbs_simulator.exchanges()) == []
    assert bk.delete_snapshot("store1", "vm", "100", "2024-03-05T03:05:00+00:00") == _t(
        "2024-03-05 03:05")
    stats = bk.delete_group("store1", "vm", "100", keep_protected=True)
    assert stats == {"removed-groups": 0, "removed-snapshots": 4, "protected-snapshots": 1,
                     "kept": ["2024-03-05T01:45:00Z"]}
    assert [s["backup-time"] for s in bk.snapshots("store1")] == [_t("2024-03-05 01:45")]
    bk.unprotect("store1", "vm", "100", "2024-03-05T01:45:00Z")
    assert bk.delete_group("store1", "vm", "100")["removed-groups"] == 1
    assert bk.groups("store1") == []


@pytest.mark.parametrize(
    "call,field",
    [
        (lambda bk: bk.files("store1", "vm", "100", "yesterday"), "backup_time"),
        (lambda bk: bk.files("store1", "vm", "100", "2024-03-05T03:05:00"), "time zone"),
        (lambda bk: bk.files("store1", "vmx", "100", 1), "backup_type"),
        (lambda bk: bk.groups("store1", ns="a/b/c/d/e/f/g/h"), "'ns'.*8 levels"),
        (lambda bk: bk.groups("s"), "store"),
        (lambda bk: bk.freshness("store1", max_age="soon"), "max_age"),
        (lambda bk: bk.change_owner("store1", "vm", "100", "nobody"), "new_owner"),
    ],
)
def test_bad_selectors_send_nothing(bk, store, pbs_simulator, call, field):
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match=field):
        call(bk)
    assert pbs_simulator.exchanges() == []


def test_unknown_group_or_snapshot_named_before_writes(bk, hourly, pbs_simulator):
    pbs_simulator.clear_exchanges()
    with pytest.raises(CommandExecutionError, match="snapshot vm/100/2024-03-06T00:00:00Z in"
                                                    " datastore 'store1' does not exist"):
        bk.protect("store1", "vm", "100", "2024-03-06T00:00:00Z")
    with pytest.raises(CommandExecutionError, match="group ct/999 in datastore 'store1'"
                                                    " namespace 'prod' does not exist"):
        bk.delete_group("store1", "ct", "999", ns="prod")
    with pytest.raises(CommandExecutionError, match="no such datastore|does not exist"):
        bk.groups("nope1")
    assert writes(pbs_simulator.exchanges()) == []


def test_freshness_across_namespaces(bk, store, pbs_simulator):
    now = time.time()
    fresh = backups.add_group(store, "", "vm", "100")
    backups.add_snapshot(fresh, now - 2 * DAY, verify_state="ok")
    backups.add_snapshot(fresh, now - 3600, verify_state="ok")
    old = backups.add_group(store, "", "host", "files", owner="backup@pbs")
    backups.add_snapshot(old, now - 3 * DAY, verify_state="ok")
    store["namespaces"] = ["prod", "prod/db"]
    broken = backups.add_group(store, "prod/db", "ct", "200")
    backups.add_snapshot(broken, now - 7200, verify_state="failed")
    backups.add_group(store, "prod", "vm", "empty")  # no snapshots: not listed by PBS

    rows = bk.freshness("store1", max_age="26h")
    summary = {(r["ns"], r["group"]): (r["stale"], r["verification"], r["verify_failed"],
                                       r["snapshots"], r["owner"]) for r in rows}
    assert summary == {
        ("", "host/files"): (True, "ok", False, 1, "backup@pbs"),
        ("", "vm/100"): (False, "ok", False, 2, "root@pam"),
        ("prod/db", "ct/200"): (False, "failed", True, 1, "root@pam"),
    }
    ages = {r["group"]: r["age"] for r in rows}
    assert 3590 <= ages["vm/100"] <= 3700 and 3 * DAY - 10 <= ages["host/files"] <= 3 * DAY + 100
    assert [r["group"] for r in bk.freshness("store1", ns="prod", recursive=False)] == []
    assert [r["group"] for r in bk.freshness("store1", ns="prod")] == ["ct/200"]
    assert all(r["stale"] is False for r in bk.freshness("store1"))  # no threshold


def test_seeded_history_through_the_module(bk, store, pbs_simulator):
    pbs_simulator.seed_backups("store1", days=5, per_day=1, start_hour=0)
    rows = bk.freshness("store1", max_age=DAY + 60)
    assert sorted(r["group"] for r in rows) == ["ct/200", "host/backup-host", "vm/100"]
    assert all(r["snapshots"] == 5 and not r["stale"] for r in rows)
    result = bk.prune_group("store1", "ct", "200", keep_daily=2)
    assert [i["keep"] for i in result] == [False, False, False, True, True]


def test_download_real_bytes(bk, hourly, pbs_simulator, tmp_path):
    import json  # pylint: disable=import-outside-toplevel
    import struct  # pylint: disable=import-outside-toplevel
    import zlib  # pylint: disable=import-outside-toplevel

    when = "2024-03-05T03:05:00Z"
    bk.set_notes("store1", "vm", "100", "nightly", backup_time=when)
    dest = str(tmp_path / "manifest.blob")
    result = bk.download("store1", "vm", "100", when, "index.json.blob", dest)
    data = open(dest, "rb").read()  # pylint: disable=consider-using-with
    assert result == {"path": dest, "size": len(data), "content_type": "application/octet-stream"}
    # an uncompressed DataBlob: magic, CRC32 of the payload, the manifest JSON
    assert data[:8] == bytes([66, 171, 56, 7, 190, 131, 112, 161])
    assert struct.unpack("<I", data[8:12])[0] == zlib.crc32(data[12:])
    manifest = json.loads(data[12:])
    assert (manifest["backup-id"], manifest["backup-time"]) == ("100", _t("2024-03-05 03:05"))
    assert manifest["unprotected"]["notes"] == "nightly"

    conf = str(tmp_path / "vm.conf.blob")
    bk.download("store1", "vm", "100", when, "qemu-server.conf.blob", conf)
    assert b"name: vm100\n" in open(conf, "rb").read()  # pylint: disable=consider-using-with
    index = str(tmp_path / "disk.fidx")
    bk.download("store1", "vm", "100", when, "drive-scsi0.img.fidx", index)
    raw = open(index, "rb").read()  # pylint: disable=consider-using-with
    assert raw[:8] == bytes([47, 127, 65, 237, 145, 253, 15, 205]) and len(raw) == 4096 + 4 * 32

    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match="exists; pass overwrite=True"):
        bk.download("store1", "vm", "100", when, "index.json.blob", dest)
    with pytest.raises(SaltInvocationError, match="'dest'.*not an absolute path"):
        bk.download("store1", "vm", "100", when, "index.json.blob", "rel/path")
    assert pbs_simulator.exchanges() == []
    with pytest.raises(CommandExecutionError, match="has no file 'root.pxar.didx'"):
        bk.download("store1", "vm", "100", when, "root.pxar.didx", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".pbs-")) == []
    again = bk.download("store1", "vm", "100", when, "index.json.blob", dest, overwrite=True)
    assert again["size"] == len(data)


def test_prune_as_a_task(bk, hourly, pbs_modules):
    upid = bk.prune_group("store1", "vm", "100", keep_last=2, dry_run=False, wait=False)
    assert upid.startswith("UPID:") and ":prune:" in upid
    status = pbs_modules.pbs.task_wait(upid)
    assert status["exitstatus"] == "OK"
    left = [time.strftime("%H:%M", time.gmtime(s["backup-time"])) for s in bk.snapshots("store1")]
    assert left == ["03:05", "02:50", "01:45"]


def test_move_group_and_namespace(bk, store, pbs_modules, pbs_simulator):
    pbs_modules.pbs_namespace.create("store1", "prod/db")
    pbs_modules.pbs_namespace.create("store1", "archive")
    vm = backups.add_group(store, "", "vm", "100")
    backups.add_snapshot(vm, _t("2024-03-05 01:00"))
    old = backups.add_group(store, "archive", "vm", "100")
    backups.add_snapshot(old, _t("2024-03-01 01:00"))

    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match="'target_ns': it is the group's own"):
        bk.move_group("store1", "vm", "100", target_ns="")
    with pytest.raises(CommandExecutionError, match="target namespace 'nope' does not exist"):
        bk.move_group("store1", "vm", "100", target_ns="nope")
    assert writes(pbs_simulator.exchanges()) == []

    with pytest.raises(CommandExecutionError, match="already exists in target namespace"):
        bk.move_group("store1", "vm", "100", target_ns="archive", merge=False)
    status = bk.move_group("store1", "vm", "100", target_ns="archive")
    assert status["exitstatus"] == "OK"
    assert bk.groups("store1") == []
    assert [s["backup-time"] for s in bk.snapshots("store1", ns="archive")] == [
        _t("2024-03-05 01:00"), _t("2024-03-01 01:00")]

    with pytest.raises(SaltInvocationError, match="inside it"):
        bk.move_namespace("store1", "prod", "prod/db/x")
    upid = bk.move_namespace("store1", "archive", "prod/archive", wait=False)
    assert pbs_modules.pbs.task_wait(upid)["exitstatus"] == "OK"
    assert [r["ns"] for r in bk.freshness("store1")] == ["prod/archive"]


# ----- catalog, decoded and pxar downloads, client log ------------------------------------
HOST_TIME = "2024-03-05T04:00:00Z"


@pytest.fixture
def host(store):
    group = backups.add_group(store, "", "host", "web01")
    backups.add_snapshot(group, _t("2024-03-05 04:00"),
                         files=backups.make_files("host", scale=1e-6))
    secret = backups.add_group(store, "", "host", "vault")
    backups.add_snapshot(secret, _t("2024-03-05 04:00"), encrypted=True,
                         files=backups.make_files("host", encrypted=True, scale=1e-6))
    return group


def test_catalog_browses_archives(bk, host):
    root = bk.catalog("store1", "host", "web01", HOST_TIME)
    assert [(e["path"], e["type"], e["leaf"]) for e in root] == [
        ("/root.pxar.didx", "d", False)]
    etc = bk.catalog("store1", "host", "web01", HOST_TIME, path="/root.pxar.didx/etc")
    by_name = {e["text"]: e for e in etc}
    assert sorted(by_name) == ["hostname", "hosts", "localtime", "os-release"]
    assert by_name["hostname"]["path"] == "/root.pxar.didx/etc/hostname"
    assert (by_name["hostname"]["type"], by_name["hostname"]["size"]) == ("f", len("web01\n"))
    assert by_name["localtime"]["type"] == "l" and "size" not in by_name["localtime"]
    direct = bk.catalog("store1", "host", "web01", HOST_TIME, path="/etc",
                        archive_name="root.pxar.didx")
    assert [e["path"] for e in direct] == [e["path"][len("/root.pxar.didx"):] for e in etc]
    with pytest.raises(CommandExecutionError, match="not found in catalog"):
        bk.catalog("store1", "host", "web01", HOST_TIME, path="/root.pxar.didx/nope")


def test_catalog_bad_input_sends_nothing(bk, host, hourly, pbs_simulator):
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match="'path'.*'..'"):
        bk.catalog("store1", "host", "web01", HOST_TIME, path="/etc/../root")
    with pytest.raises(SaltInvocationError, match="'archive_name'.*not a pxar"):
        bk.catalog("store1", "host", "web01", HOST_TIME, archive_name="index.json.blob")
    assert pbs_simulator.exchanges() == []
    pbs_simulator.clear_exchanges()
    with pytest.raises(CommandExecutionError, match="has no catalog"):
        bk.catalog("store1", "vm", "100", "2024-03-05T03:05:00Z")
    with pytest.raises(CommandExecutionError, match="is encrypted"):
        bk.catalog("store1", "host", "vault", HOST_TIME)
    assert [e["path"].rsplit("/", 1)[-1] for e in pbs_simulator.exchanges()] == [
        "snapshots", "snapshots"]  # only the snapshot lookups


def test_download_pxar_file_dir_and_decoded(bk, host, pbs_simulator, tmp_path):
    dest = str(tmp_path / "hosts")
    result = bk.download("store1", "host", "web01", HOST_TIME, "root.pxar.didx", dest,
                         path="/etc/hosts")
    data = open(dest, "rb").read()  # pylint: disable=consider-using-with
    assert data == b"127.0.0.1 localhost\n10.0.0.10 web01.example.com web01\n"
    assert result == {"path": dest, "size": len(data), "content_type": "application/octet-stream"}

    zipped = str(tmp_path / "etc.zip")
    bk.download("store1", "host", "web01", HOST_TIME, "root.pxar.didx", zipped, path="/etc")
    import zipfile  # pylint: disable=import-outside-toplevel

    with zipfile.ZipFile(zipped) as archive:
        assert archive.read("hostname") == b"web01\n"
        assert sorted(archive.namelist()) == ["hostname", "hosts", "os-release"]

    decoded = str(tmp_path / "index.json")
    bk.download("store1", "host", "web01", HOST_TIME, "index.json.blob", decoded, decoded=True)
    import json  # pylint: disable=import-outside-toplevel

    manifest = json.load(open(decoded, encoding="utf-8"))  # pylint: disable=consider-using-with
    assert manifest["backup-id"] == "web01"
    image = str(tmp_path / "root.pxar")
    got = bk.download("store1", "host", "web01", HOST_TIME, "root.pxar.didx", image,
                      decoded=True)
    listed = [f["size"] for f in bk.files("store1", "host", "web01", HOST_TIME)
              if f["filename"] == "root.pxar.didx"]
    assert got["size"] == listed[0] == (tmp_path / "root.pxar").stat().st_size

    pbs_simulator.clear_exchanges()
    with pytest.raises(CommandExecutionError, match="is encrypted: PBS cannot decode"):
        bk.download("store1", "host", "vault", HOST_TIME, "root.pxar.didx",
                    str(tmp_path / "v"), path="/etc/hosts")
    with pytest.raises(SaltInvocationError, match="'tar' applies only with 'path'"):
        bk.download("store1", "host", "web01", HOST_TIME, "root.pxar.didx",
                    str(tmp_path / "t"), tar=True)
    with pytest.raises(SaltInvocationError, match="not a pxar archive"):
        bk.download("store1", "host", "web01", HOST_TIME, "index.json.blob",
                    str(tmp_path / "t"), path="/etc")
    assert [e["path"].rsplit("/", 1)[-1] for e in pbs_simulator.exchanges()] == ["snapshots"]
    with pytest.raises(CommandExecutionError, match="error opening"):
        bk.download("store1", "host", "web01", HOST_TIME, "root.pxar.didx",
                    str(tmp_path / "n"), path="/etc/nope")
    assert not (tmp_path / "n").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".pbs-")] == []


@pytest.mark.skipif(not __import__("shutil").which("zstd"), reason="needs the zstd tool")
def test_download_directory_as_tar_zst(bk, host, tmp_path):
    import subprocess  # pylint: disable=import-outside-toplevel

    dest = tmp_path / "etc.tar.zst"
    bk.download("store1", "host", "web01", HOST_TIME, "root.pxar.didx", str(dest),
                path="/etc", tar=True)
    listing = subprocess.run(["tar", "--zstd", "-tf", str(dest)], check=True,
                             capture_output=True, text=True).stdout.split()
    assert sorted(listing) == ["hostname", "hosts", "localtime", "os-release"]


def test_upload_log(bk, host, pbs_simulator, pbs_modules, tmp_path):
    log_file = tmp_path / "backup.log"
    log_file.write_text("2024-03-05 04:00 backup of web01 done\n", encoding="utf-8")
    assert bk.upload_log("store1", "host", "web01", HOST_TIME, str(log_file)) is True
    upload = writes(pbs_simulator.exchanges())[-1]
    assert upload["content_type"] == "application/octet-stream"
    assert dict(upload["query"])["backup-id"] == "web01"
    names = [f["filename"] for f in bk.files("store1", "host", "web01", HOST_TIME)]
    assert "client.log.blob" in names
    dest = str(tmp_path / "back.log")
    bk.download("store1", "host", "web01", HOST_TIME, "client.log.blob", dest, decoded=True)
    assert open(dest, "rb").read() == log_file.read_bytes()  # pylint: disable=consider-using-with

    pbs_simulator.clear_exchanges()
    with pytest.raises(CommandExecutionError, match="already has a client log"):
        bk.upload_log("store1", "host", "web01", HOST_TIME, str(log_file))
    with pytest.raises(SaltInvocationError, match="'log_file'.*is not a file"):
        bk.upload_log("store1", "host", "web01", HOST_TIME, str(tmp_path / "missing.log"))
    assert writes(pbs_simulator.exchanges()) == []


def test_upload_log_only_by_the_owner(bk, host, pbs_simulator, tmp_path):
    # PBS: only the group's owner may upload (no privilege suffices for other groups)
    pbs_simulator.state.runtime["datastores"]["store1"]["groups"][0]["owner"] = "backup@pbs"
    log_file = tmp_path / "backup.log"
    log_file.write_text("x\n", encoding="utf-8")
    with pytest.raises(CommandExecutionError, match="backup owner check failed"):
        bk.upload_log("store1", "host", "web01", HOST_TIME, str(log_file))
