"""Datastore runtime over HTTP against the simulator: rrd, active operations, s3-refresh,
/admin/gc, /status/metrics and one-off /pull and /push, with PBS's texts and privileges."""

import pytest

STORES = {"store1": {"path": "/srv/store1"}, "store2": {"path": "/srv/store2"},
          "s3store": {"path": "/var/cache/s3", "backend": "type=s3,client=minio,bucket=b1"}}


@pytest.fixture
def root(api, pbs_simulator):
    cfg = pbs_simulator.state.file("datastore.cfg")
    for name, entry in STORES.items():
        cfg.set(name, "datastore", dict(entry))
    pbs_simulator.state.file("remote.cfg").set(
        "offsite", "remote", {"host": "127.0.0.1", "auth-id": "sync@pbs", "password": "cHc="})
    return api.root()


@pytest.fixture
def token(pbs_simulator, root):  # pylint: disable=unused-argument
    secret = pbs_simulator.create_token("root@pam", "ci")
    return ("root@pam!ci", secret)


def _mode(sim, store):
    return sim.state.file("datastore.cfg").props(store).get("maintenance-mode")


def test_s3_refresh_sets_maintenance_and_fails_on_a_filesystem_store(api, root, pbs_simulator):
    upid = api.request("PUT", "/admin/datastore/s3store/s3-refresh", **root).json()["data"]
    assert ":s3-refresh:s3store:root@pam:" in upid
    assert _mode(pbs_simulator, "s3store") == "s3-refresh"
    resp = api.request("GET", "/admin/datastore/s3store/status", **root)
    assert resp.text == "datastore 's3store' is unavailable: S3 refresh maintenance mode: "
    pbs_simulator.clock.advance(10)
    assert _mode(pbs_simulator, "s3store") is None

    api.request("PUT", "/admin/datastore/store1/s3-refresh", **root)
    pbs_simulator.clock.advance(10)
    (task,) = [t for t in pbs_simulator.tasks.list() if t["worker_id"] == "store1"]
    assert task["exitstatus"] == "store 'store1' not backed by S3"
    # PBS leaves the mode set when the refresh itself fails
    assert _mode(pbs_simulator, "store1") == "s3-refresh"


def test_runtime_reads_follow_pbs_privileges(api, root, token, pbs_simulator):
    resp = api.request("GET", "/admin/datastore/store1/active-operations", token=token)
    assert (resp.status_code, resp.text) == (403, "permission check failed")
    resp = api.request("GET", "/admin/datastore/store1/rrd", token=token,
                       params={"timeframe": "hour", "cf": "AVERAGE"})
    assert resp.status_code == 403
    pbs_simulator.add_acl("/datastore/store1", "root@pam!ci", "DatastoreBackup")
    rrd = api.request("GET", "/admin/datastore/store1/rrd", token=token,
                      params={"timeframe": "hour", "cf": "AVERAGE"}).json()["data"]
    assert len(rrd) == 70 and "s3/uploaded" not in rrd[0]
    s3 = api.request("GET", "/admin/datastore/s3store/rrd",
                     params={"timeframe": "day", "cf": "MAX"}, **root).json()["data"]
    assert "s3/total/put" in s3[0]
    # active operations need Datastore.Audit, Backup is not enough
    resp = api.request("GET", "/admin/datastore/store1/active-operations", token=token)
    assert resp.status_code == 403
    with pbs_simulator.fidelity():  # a deliberately incomplete request
        resp = api.request("GET", "/admin/datastore/store1/rrd", params={"timeframe": "decade"},
                           **root)
    assert resp.status_code == 400 and "'cf': parameter is missing" in resp.text


def test_gc_overview_lists_visible_stores_without_a_privilege_check(api, root, token,
                                                                   pbs_simulator):
    assert api.request("GET", "/admin/gc", token=token).json()["data"] == []
    pbs_simulator.add_acl("/datastore/store2", "root@pam!ci", "DatastoreBackup")
    listed = api.request("GET", "/admin/gc", token=token).json()["data"]
    assert [g["store"] for g in listed] == ["store2"]
    # PBS's /admin/gc/{store} calls the status function directly: anybody may read it
    one = api.request("GET", "/admin/gc/store1", token=token).json()["data"]
    assert [g["store"] for g in one] == ["store1"]
    resp = api.request("GET", "/admin/gc/nope", **root)
    assert (resp.status_code, resp.text) == (400, "no such datastore 'nope'")


def test_metrics_filtered_by_privilege(api, root, token, pbs_simulator):
    assert api.request("GET", "/status/metrics", token=token).json()["data"] == {"data": []}
    pbs_simulator.add_acl("/datastore/store1", "root@pam!ci", "DatastoreAudit")
    points = api.request("GET", "/status/metrics", token=token).json()["data"]["data"]
    assert {p["id"] for p in points} == {"datastore/store1"}
    everything = api.request("GET", "/status/metrics", **root).json()["data"]["data"]
    assert {"host", "datastore/s3store/s3"} <= {p["id"] for p in everything}


def test_pull_and_push_check_privileges_and_inputs(api, root, token, pbs_simulator):
    pbs_simulator.seed_backups("store1", days=1)
    body = {"store": "store2", "remote-store": "store1"}
    resp = api.request("POST", "/pull", json=body, token=token)
    assert (resp.status_code, resp.text) == (
        400, "missing permissions 'Datastore.Backup' on '/datastore/store2'")
    resp = api.request("POST", "/pull", json={"store": "store1", "remote-store": "store1"}, **root)
    assert resp.text == "can't sync to same datastore"
    resp = api.request("POST", "/pull", json=dict(body, remote="ghost"), **root)
    assert resp.text == "no such remote 'ghost'"
    resp = api.request("POST", "/push", json={"store": "store1", "remote": "offsite",
                                              "remote-store": "store2"}, token=token)
    assert resp.text == ("missing permissions 'Remote.DatastoreBackup' on "
                         "'/remote/offsite/store2'")

    upid = api.request("POST", "/pull", json=body, **root).json()["data"]
    assert ":sync:store2:root@pam:" in upid
    pbs_simulator.clock.advance(10)
    groups = pbs_simulator.state.runtime["datastores"]["store2"]["groups"]
    assert sorted(f"{g['backup-type']}/{g['backup-id']}" for g in groups) == [
        "ct/200", "host/backup-host", "vm/100"]
    log = pbs_simulator.tasks.log_lines(upid)
    assert any(line.endswith("Syncing datastore 'store1', root namespace into datastore "
                             "'store2', root namespace") for line in log)
    assert log[-1].endswith("TASK OK")


def test_mount_runs_the_run_on_mount_sync_jobs(api, root, pbs_simulator):
    cfg = pbs_simulator.state.file("datastore.cfg")
    cfg.set("usb1", "datastore", {"path": "backups",
                                  "backing-device": "0c3f8a2e-1b2c-4d5e-8f90-123456789abc"})
    pbs_simulator.state.file("sync.cfg").set("to-usb", "sync", {
        "store": "usb1", "remote-store": "store1", "run-on-mount": True,
        "unmount-on-done": True, "group-filter": ["type:vm"]})
    pbs_simulator.seed_backups("store1", days=2)
    api.request("POST", "/admin/datastore/usb1/unmount", **root)
    pbs_simulator.clock.advance(10)
    upid = api.request("POST", "/admin/datastore/usb1/mount", **root).json()["data"]
    pbs_simulator.clock.advance(10)
    assert pbs_simulator.tasks.log_lines(upid)[0].endswith("starting 1 sync jobs")
    pbs_simulator.clock.advance(10)  # the jobs run in a task of their own
    (jobs_task,) = [t for t in pbs_simulator.tasks.list() if t["worker_type"] == "mount-sync-jobs"]
    assert jobs_task["exitstatus"] == "OK"
    groups = pbs_simulator.state.runtime["datastores"]["usb1"]["groups"]
    assert [(g["backup-type"], len(g["snapshot-list"])) for g in groups] == [("vm", 2)]
    # unmount-on-done: the store is unmounted again when the jobs are done
    listing = api.request("GET", "/admin/datastore", **root).json()["data"]
    assert next(i for i in listing if i["store"] == "usb1")["mount-status"] == "notmounted"
