"""Datastore runtime (pbs_datastore mount/unmount/s3_refresh/rrd/active_operations/
gc_overview/list_runtime), S3 endpoint checks and pbs.metrics through Salt's loaders."""

import logging

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

UUID = "0c3f8a2e-1b2c-4d5e-8f90-123456789abc"


@pytest.fixture
def ds(pbs_modules):
    return pbs_modules.pbs_datastore


@pytest.fixture
def usb(pbs_simulator, stores):  # pylint: disable=unused-argument
    """store1, store2 (fixed) and usb1, a removable datastore, mounted."""
    pbs_simulator.state.file("datastore.cfg").set(
        "usb1", "datastore", {"path": "backups", "backing-device": UUID, "comment": "usb"}
    )
    return "usb1"


def _mode(sim, store):
    return sim.state.file("datastore.cfg").props(store).get("maintenance-mode")


def test_unmount_mount_cycle_and_reads_while_unmounted(ds, pbs_simulator, usb, caplog):
    listing = {item["store"]: item for item in ds.list_runtime()}
    assert listing[usb] == {"store": usb, "comment": "usb", "mount-status": "mounted",
                            "backend-type": "filesystem"}
    assert listing["store1"]["mount-status"] == "nonremovable"
    assert ds.mount_status(usb) == "mounted"

    with caplog.at_level(logging.INFO, logger="saltext.pbs"):
        status = ds.unmount(usb)
    assert status["exitstatus"] == "OK" and status["type"] == "unmount-device"
    assert any("PBS task unmount-device 'usb1': " in r.getMessage() for r in caplog.records)
    assert ds.mount_status(usb) == "notmounted" and _mode(pbs_simulator, usb) is None
    with pytest.raises(CommandExecutionError, match="datastore 'usb1' is not mounted"):
        ds.status(usb)
    with pytest.raises(CommandExecutionError, match="Datastore 'usb1' is not mounted"):
        ds.unmount(usb)
    # the GC overview leaves out a store it cannot read, naming it raises
    assert [g["store"] for g in ds.gc_overview()] == ["store1", "store2"]
    with pytest.raises(CommandExecutionError, match="not mounted"):
        ds.gc_overview(usb)

    upid = ds.mount(usb, wait=False)
    assert upid.startswith("UPID:") and ":mount-device:usb1:" in upid
    assert ds.mount_status(usb) == "mounted"
    with pytest.raises(CommandExecutionError, match="datastore 'store1' is not removable"):
        ds.mount("store1")


def test_failed_mount_task_raises_with_its_log(ds, pbs_simulator, usb):
    ds.unmount(usb)
    pbs_simulator.faults.fail_next_task("mounting to tmp path failed: no such device",
                                        worker_type="mount-device")
    with pytest.raises(CommandExecutionError) as err:
        ds.mount(usb)
    assert "PBS task mount-device 'usb1' failed: mounting to tmp path failed" in str(err.value)
    assert ds.mount_status(usb) == "notmounted"


def test_unmount_with_gc_on_unmount_runs_gc_first(ds, pbs_simulator, usb):
    cfg = pbs_simulator.state.file("datastore.cfg")
    cfg.set(usb, "datastore", dict(cfg.props(usb), **{"gc-on-unmount": True}))
    ds.unmount(usb)
    types = [t["worker_type"] for t in pbs_simulator.tasks.list()]
    assert types[:2] == ["unmount-device", "garbage_collection"]


def test_bad_input_is_refused_before_any_request(ds, pbs_simulator, usb):
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match="'timeframe'"):
        ds.rrd("store1", timeframe="fortnight")
    with pytest.raises(SaltInvocationError, match="'cf'"):
        ds.rrd("store1", cf="MIN")
    with pytest.raises(SaltInvocationError, match="'timeout'"):
        ds.mount(usb, timeout="soon")
    with pytest.raises(SaltInvocationError, match="not backed by S3"):
        ds.s3_refresh("store1")
    assert writes(pbs_simulator.exchanges()) == []
    with pytest.raises(CommandExecutionError, match="does not exist"):
        ds.mount_status("ghost")


def test_s3_refresh_runs_a_task_and_clears_maintenance(ds, pbs_simulator, stores):
    pbs_simulator.state.file("datastore.cfg").set(
        "s3store", "datastore",
        {"path": "/var/cache/s3store", "backend": "type=s3,client=minio,bucket=pbs-backups"},
    )
    pbs_simulator.seed_backups("s3store", days=1)
    status = ds.s3_refresh("s3store")
    assert status["type"] == "s3-refresh" and status["exitstatus"] == "OK"
    assert _mode(pbs_simulator, "s3store") is None
    log = pbs_simulator.tasks.log_lines(status["upid"])
    assert any("Fetching object vm/100/owner" in line for line in log)
    upid = ds.s3_refresh("s3store", wait=False)
    assert ":s3-refresh:s3store:" in upid


def test_active_operations_rrd_and_gc_overview(ds, pbs_simulator, stores):
    pbs_simulator.state.runtime["datastores"].setdefault("store1", {})
    pbs_simulator.state.runtime["datastores"]["store1"]["active-operations"] = {
        "read": 2, "write": 1}
    assert ds.active_operations("store1") == {"read": 2, "write": 1}
    assert ds.active_operations("store2") == {"read": 0, "write": 0}

    average = ds.rrd("store1", timeframe="week")
    peak = ds.rrd("store1", timeframe="week", cf="max")
    assert len(average) == len(peak) == 70
    times = [point["time"] for point in average]
    assert times == sorted(times) and times[1] - times[0] == 10800
    first = average[0]
    assert {"time", "total", "used", "available", "read_ios", "write_bytes", "io_ticks"} <= set(
        first)
    assert first["available"] == first["total"] - first["used"]
    assert peak[0]["read_ios"] == 2 * first["read_ios"]
    queries = [e["query"] for e in pbs_simulator.exchanges() if e["path"].endswith("/rrd")]
    assert sorted(queries[-1]) == [["cf", "MAX"], ["timeframe", "week"]]

    assert all("last-run-state" not in g for g in ds.gc_overview())
    ds.gc_start("store1", wait=True)
    (one,) = ds.gc_overview("store1")
    assert one["store"] == "store1" and one["last-run-state"] == "OK"
    assert "upid" in one and "removed-bytes" in one
    assert [g["store"] for g in ds.gc_overview()] == ["store1", "store2"]


def test_s3_endpoint_check_and_reset_counters(pbs_modules, pbs_simulator):
    s3 = pbs_modules.pbs_s3_endpoint
    s3.create("minio", endpoint="minio.example.com", access_key="ak", secret_key="sk-secret")
    pbs_simulator.state.file("datastore.cfg").set(
        "s3store", "datastore",
        {"path": "/var/cache/s3store", "backend": "type=s3,client=minio,bucket=pbs-backups"},
    )
    pbs_simulator.clear_exchanges()
    assert s3.check("minio", "pbs-backups", store_prefix="s3store") is True
    (put,) = writes(pbs_simulator.exchanges())
    assert put["path"].endswith("/admin/s3/minio/check")
    assert put["body"] == {"bucket": "pbs-backups", "store-prefix": "s3store"}
    # the object store cannot be reached: PBS names the first step that failed
    pbs_simulator.state.runtime.setdefault("s3-buckets", {})["minio"] = {"error": "unreachable"}
    with pytest.raises(CommandExecutionError, match="head object failed"):
        s3.check("minio", "pbs-backups")

    assert s3.reset_counters("minio", "pbs-backups", store_prefix="s3store") is True
    with pytest.raises(CommandExecutionError, match="Cannot find s3 counters file"):
        s3.reset_counters("minio", "other-bucket")
    with pytest.raises(CommandExecutionError, match="config lookup failed"):
        s3.check("ghost", "pbs-backups")
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match="'bucket'"):
        s3.check("minio", "Bad_Bucket")
    assert writes(pbs_simulator.exchanges()) == []


def test_metrics_points_history_and_servers(pbs_modules, pbs_simulator, stores):
    pbs = pbs_modules.pbs
    points = pbs.metrics()
    ids = {p["id"] for p in points}
    assert ids == {"host", "datastore/store1", "datastore/store2"}
    assert len({p["timestamp"] for p in points}) == 1
    used = next(p for p in points if p["id"] == "host" and p["metric"] == "mem_used")
    assert used["type"] == "gauge" and used["value"] > 0

    history = pbs.metrics(history=True)
    stamps = sorted({p["timestamp"] for p in history})
    assert len(stamps) == 180 and stamps[1] - stamps[0] == 10
    newer = pbs.metrics(history=True, start_time=stamps[-3])
    assert sorted({p["timestamp"] for p in newer}) == stamps[-2:]
    assert sorted(e["query"] for e in pbs_simulator.exchanges()
                  if e["path"].endswith("/status/metrics"))[-1] == [
        ["history", "1"], ["start-time", str(stamps[-3])]]

    assert pbs.metrics(servers=True) == []
    pbs_modules.pbs_metrics_server.create("influx1", type="influxdb-udp", host="influx:8089")
    assert [(s["name"], s["type"], s["server"]) for s in pbs.metrics(servers=True)] == [
        ("influx1", "influxdb-udp", "influx:8089")]
    with pytest.raises(SaltInvocationError, match="'start_time'"):
        pbs.metrics(history=True, start_time="yesterday")
