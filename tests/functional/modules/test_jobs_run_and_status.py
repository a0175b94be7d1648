"""Run now and status, the same for every job kind with a ``run`` (pbs_sync_job,
pbs_prune_job, pbs_verify_job), against the simulator. ``stores`` (datastores and a
remote) comes from this directory's conftest.
"""

import pytest

pytestmark = pytest.mark.usefixtures("pbs_loaders")


@pytest.mark.parametrize(
    "module,props,worker",
    [
        ("pbs_sync_job", {"store": "store1", "remote_store": "store2"}, "syncjob"),
        ("pbs_prune_job", {"store": "store1", "keep_last": 1}, "prunejob"),
        ("pbs_verify_job", {"store": "store1"}, "verificationjob"),
    ],
)
def test_run_now_and_status(pbs_modules, pbs_simulator, stores, module, props, worker):
    mod = getattr(pbs_modules, module)
    mod.create("job-1", schedule="daily", **props)
    upid = mod.run("job-1")
    assert upid.startswith("UPID:") and f":{worker}:" in upid
    final = mod.run("job-1", wait=True)
    assert final["status"] == "stopped" and final["exitstatus"] == "OK"
    status = mod.status("job-1")
    assert status["id"] == "job-1"
    assert status["last-run-upid"].startswith("UPID:")
    assert status["last-run-state"] == "OK"
    assert status["next-run"] > status["last-run-endtime"]  # daily: the next run is ahead
    assert [s["id"] for s in mod.status()] == ["job-1"]
    assert mod.status(store="store2") == []
    assert mod.status("nojob") is None
