"""pbs_tape_backup_job states through Salt loaders against the simulated PBS, with the
changer, drive and media pool a job writes to: made, re-applied, changed and removed in
dependency order."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

DRIVE_PATH = "/dev/tape/by-id/scsi-10WT065325-sg"
CHANGER_PATH = "/dev/tape/by-id/scsi-CJ0JBE0059-changer"


def test_changer_drive_pool_job(pbs_states, pbs_simulator):
    sim = pbs_simulator
    sim.state.file("datastore.cfg").set("store1", "datastore", {"path": "/srv/store1"})
    st = pbs_states
    ret = st.pbs_tape_changer.present(name="robot", path=CHANGER_PATH, export_slots=[24, 3])
    assert ret.result is True and ret.changes["new"]["export_slots"] == [3, 24], ret.comment
    ret = st.pbs_tape_drive.present(name="lto-1", path=DRIVE_PATH, changer="robot")
    assert ret.result is True, ret.comment
    ret = st.pbs_media_pool.present(name="weekly", allocation="continue", retention="30 days")
    assert ret.result is True, ret.comment
    job = {"store": "store1", "pool": "weekly", "drive": "lto-1", "schedule": "sat 20:00"}
    ret = st.pbs_tape_backup_job.present(name="tape-1", **job)
    assert ret.result is True, ret.comment

    sim.clear_exchanges()
    # defaults and set-like values compare equal: nothing to do, one list read per kind
    assert st.pbs_tape_changer.present(
        name="robot", path=CHANGER_PATH, export_slots="3,24", eject_before_unload=False
    ).changes == {}
    assert st.pbs_tape_drive.present(
        name="lto-1", path=DRIVE_PATH, changer="robot", changer_drivenum=0
    ).changes == {}
    assert st.pbs_tape_backup_job.present(
        name="tape-1", **job, max_depth=7, worker_threads=1, ns=""
    ).changes == {}
    assert writes(sim.exchanges()) == []

    ret = st.pbs_media_pool.present(name="weekly", retention="keep")
    assert ret.changes == {"retention": {"old": "30 days", "new": "keep"}}
    (put,) = writes(sim.exchanges())
    assert "digest" not in put["body"]

    ret = st.pbs_tape_changer.absent(name="robot")
    assert ret.result is False and "used by drive" in ret.comment
    for state in ("pbs_tape_backup_job", "pbs_tape_drive", "pbs_tape_changer", "pbs_media_pool"):
        name = {"pbs_tape_backup_job": "tape-1", "pbs_tape_drive": "lto-1"}.get(
            state, "robot" if state == "pbs_tape_changer" else "weekly"
        )
        ret = getattr(st, state).absent(name=name)
        assert ret.result is True and ret.changes["new"] is None, ret.comment
    deletes = [e for e in writes(sim.exchanges()) if e["method"] == "DELETE"]
    assert len(deletes) == 5  # the refused changer delete, then four
    digests = [dict(e["query"] or []).get("digest") for e in deletes]
    assert digests[1] is not None  # tape backup jobs accept a digest
    assert [d for i, d in enumerate(digests) if i != 1] == [None, None, None, None]
