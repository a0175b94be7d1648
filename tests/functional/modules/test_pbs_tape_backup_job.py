"""pbs_tape_backup_job execution module through Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

DRIVE_PATH = "/dev/tape/by-id/scsi-10WT065325-sg"


def _stored(sim, cfg, name):
    return sim.state.file(cfg).props(name)


def test_tape_backup_job(pbs_modules, pbs_simulator):
    sim = pbs_simulator
    sim.state.file("datastore.cfg").set("store1", "datastore", {"path": "/srv/store1"})
    pbs_modules.pbs_media_pool.create("weekly")
    pbs_modules.pbs_tape_drive.create("lto-1", path=DRIVE_PATH)
    jobs = pbs_modules.pbs_tape_backup_job
    created = jobs.create(
        "tape-1",
        store="store1",
        pool="weekly",
        drive="lto-1",
        schedule="sat 20:00",
        group_filter=["type:vm"],
        latest_only=True,
    )
    assert created["id"] == "tape-1" and created["latest-only"] is True
    jobs.update("tape-1", schedule=None, worker_threads=2)
    stored = _stored(sim, "tape-job.cfg", "tape-1")
    assert "schedule" not in stored and stored["worker-threads"] == 2
    sim.clear_exchanges()
    with pytest.raises(SaltInvocationError, match="media pool 'nopool' does not exist"):
        jobs.create("tape-2", store="store1", pool="nopool", drive="lto-1")
    with pytest.raises(SaltInvocationError, match="drive"):
        jobs.create("tape-2", store="store1", pool="weekly", drive="x")
    assert writes(sim.exchanges()) == []
    jobs.delete("tape-1")
    assert _stored(sim, "tape-job.cfg", "tape-1") is None


def test_tape_backup_job_run_and_status(pbs_modules, pbs_simulator):
    sim = pbs_simulator
    sim.state.file("datastore.cfg").set("store1", "datastore", {"path": "/srv/store1"})
    pbs_modules.pbs_media_pool.create("weekly")
    pbs_modules.pbs_tape_drive.create("lto-1", path=DRIVE_PATH)
    jobs = pbs_modules.pbs_tape_backup_job
    jobs.create("tape-1", store="store1", pool="weekly", drive="lto-1", schedule="daily")
    assert "last-run-upid" not in jobs.status("tape-1")  # never ran
    sim.clear_exchanges()
    upid = jobs.run("tape-1")
    assert upid.startswith("UPID:") and ":tape-backup-job:" in upid
    (post,) = writes(sim.exchanges())
    assert post["method"] == "POST" and post["path"] == "/api2/json/tape/backup/tape-1"
    final = jobs.run("tape-1", wait=True)
    assert final["status"] == "stopped" and final["exitstatus"] == "OK"
    status = jobs.status("tape-1")
    assert status["id"] == "tape-1" and status["last-run-state"] == "OK"
    assert status["last-run-upid"] == final["upid"]
    assert status["next-run"] > status["last-run-endtime"]
    assert [s["id"] for s in jobs.status()] == ["tape-1"]
    assert jobs.status("nojob") is None
    with pytest.raises(CommandExecutionError):
        jobs.run("nojob")
