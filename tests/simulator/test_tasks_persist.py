"""A datastore create still in flight when the simulator stops completes after a restart
from the state file (task effects are stored by name, not as Python callbacks)."""

from types import SimpleNamespace

from saltext.pbs.simulator import Simulator
from saltext.pbs.simulator.endpoints.datastore import create_datastore


def test_in_flight_create_survives_restart(tmp_path):
    state_file = str(tmp_path / "state.json")
    first = Simulator(password="pw-persist-1", state_file=state_file, task_duration=30)
    ctx = SimpleNamespace(sim=first, state=first.state, auth_id="root@pam", userid="root@pam",
                          attrs={}, path_params={})
    upid = create_datastore(ctx, {"name": "store1", "path": "/mnt/store1", "keep-daily": 7,
                                  "prune-schedule": "daily"})
    first.persist()
    assert first.state.file("datastore.cfg").get("store1") is None

    second = Simulator(password="pw-persist-1", state_file=state_file, task_duration=30)
    second.clock.advance(60)
    status = second.tasks.status_body(upid)
    assert (status["status"], status["exitstatus"]) == ("stopped", "OK")
    assert second.state.file("datastore.cfg").get("store1")["path"] == "/mnt/store1"
    jobs = second.state.file("prune.cfg").items("prune")
    assert [job["keep-daily"] for _id, job in jobs] == [7]
