"""``salt-call`` of the datastore runtime, S3 endpoint check, metrics and one-off sync
functions in a real minion process against one simulator."""

import pytest

from tests.support.helpers import writes

pytestmark = [pytest.mark.integration]

UUID = "0c3f8a2e-1b2c-4d5e-8f90-123456789abc"


@pytest.fixture(scope="module")
def sim(pbs_sim):
    with pbs_sim.lock:
        cfg = pbs_sim.state.file("datastore.cfg")
        cfg.set("store1", "datastore", {"path": "/srv/store1"})
        cfg.set("store2", "datastore", {"path": "/srv/store2"})
        cfg.set("usb1", "datastore", {"path": "backups", "backing-device": UUID})
        cfg.set("s3store", "datastore", {"path": "/var/cache/s3store",
                                         "backend": "type=s3,client=minio,bucket=pbs-backups"})
        pbs_sim.state.file("s3.cfg").set("minio", "s3-endpoint", {
            "endpoint": "minio.example.com", "access-key": "ak", "secret-key": "sk-secret"})
        pbs_sim.state.file("remote.cfg").set("offsite", "remote", {
            "host": "127.0.0.1", "auth-id": "sync@pbs", "password": "cHc="})
    pbs_sim.seed_backups("store1", days=2, per_day=1, start_hour=0)
    return pbs_sim


def _call(cli, *args):
    ret = cli.run("--local", *args)
    assert ret.returncode == 0, ret.stdout + ret.stderr
    return ret.data


def test_unmount_mount_and_runtime_reads(salt_call_cli, sim):
    listing = {i["store"]: i for i in _call(salt_call_cli, "pbs_datastore.list_runtime")}
    assert listing["usb1"]["mount-status"] == "mounted"
    assert listing["s3store"]["backend-type"] == "s3"
    status = _call(salt_call_cli, "pbs_datastore.unmount", "usb1", "timeout=60")
    assert status["exitstatus"] == "OK"
    assert _call(salt_call_cli, "pbs_datastore.mount_status", "usb1") == "notmounted"
    upid = _call(salt_call_cli, "pbs_datastore.mount", "usb1", "wait=False")
    assert ":mount-device:usb1:" in upid
    sim.tasks.finish_all()
    assert _call(salt_call_cli, "pbs_datastore.mount_status", "usb1") == "mounted"

    assert _call(salt_call_cli, "pbs_datastore.active_operations", "store1") == {
        "read": 0, "write": 0}
    points = _call(salt_call_cli, "pbs_datastore.rrd", "store1", "timeframe=day", "cf=MAX")
    assert len(points) == 70 and points[1]["time"] - points[0]["time"] == 1800
    assert [g["store"] for g in _call(salt_call_cli, "pbs_datastore.gc_overview", "store1")] == [
        "store1"]
    refreshed = _call(salt_call_cli, "pbs_datastore.s3_refresh", "s3store")
    assert refreshed["type"] == "s3-refresh" and refreshed["exitstatus"] == "OK"


def test_s3_check_reset_and_metrics(salt_call_cli, sim):
    assert _call(salt_call_cli, "pbs_s3_endpoint.check", "minio", "pbs-backups") is True
    assert _call(salt_call_cli, "pbs_s3_endpoint.reset_counters", "minio", "pbs-backups",
                 "store_prefix=s3store") is True
    ret = salt_call_cli.run("--local", "pbs_s3_endpoint.check", "minio", "Bad_Bucket")
    assert ret.returncode != 0 and "Traceback" not in ret.stdout + ret.stderr
    assert "'bucket'" in ret.stdout + ret.stderr
    points = _call(salt_call_cli, "pbs.metrics")
    assert {"host", "datastore/store1"} <= {p["id"] for p in points}
    assert _call(salt_call_cli, "pbs.metrics", "servers=True") == []


def test_pull_and_push(salt_call_cli, sim):
    sim.clear_exchanges()
    result = _call(salt_call_cli, "pbs_sync_job.pull", "store2", "store1",
                   'group_filter=["type:vm"]')
    assert result["exitstatus"] == "OK" and result["summary"]["snapshots"] == 2
    groups = sim.state.runtime["datastores"]["store2"]["groups"]
    assert [(g["backup-type"], g["backup-id"], len(g["snapshot-list"])) for g in groups] == [
        ("vm", "100", 2)]
    (post,) = writes(sim.exchanges())
    assert post["body"]["group-filter"] == ["type:vm"]

    result = _call(salt_call_cli, "pbs_sync_job.push", "store1", "offsite", "store2",
                   'group_filter=["type:ct"]')
    assert result["summary"]["snapshots"] == 2
    groups = sim.state.runtime["datastores"]["store2"]["groups"]
    owners = {g["backup-id"]: g["owner"] for g in groups}
    assert owners == {"100": "root@pam", "200": "sync@pbs"}

    ret = salt_call_cli.run("--local", "pbs_sync_job.pull", "store1", "store1")
    assert ret.returncode != 0 and "'remote_store'" in ret.stdout + ret.stderr
