"""Tasks: UPID format, lifecycle on the simulated clock, status/log/list shapes."""

from types import SimpleNamespace

import pytest

from saltext.pbs.simulator import values
from saltext.pbs.simulator.endpoints import tasks as task_endpoints
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import RawResponse
from saltext.pbs.simulator.state import SimState
from saltext.pbs.simulator.tasks import SimClock
from saltext.pbs.simulator.tasks import TaskManager
from saltext.pbs.simulator.tasks import format_upid
from saltext.pbs.simulator.tasks import parse_upid
from saltext.pbs.simulator.tasks import systemd_escape


class _Faults:
    def __init__(self):
        self.pending = []

    def take_task_failure(self, worker_type):
        for index, (message, wtype) in enumerate(self.pending):
            if wtype in (None, worker_type):
                del self.pending[index]
                return message
        return None


@pytest.fixture
def sim():
    sim = SimpleNamespace(clock=SimClock(), state=SimState(root_password="pw"),
                          faults=_Faults(), task_duration=5)
    sim.tasks = TaskManager(sim)
    return sim


def _ctx(sim, auth_id="root@pam"):
    return SimpleNamespace(sim=sim, state=sim.state, auth_id=auth_id,
                           userid=auth_id.split("!")[0], attrs={}, path_params={})


def test_upid_format_and_escaping():
    upid = format_upid("pbs1", 0x4D2, 0x1E240, 0x2B, 0x6650A1C0, "syncjob", "r1:rs:local:s-1a2b",
                       "admin@pbs!ci")
    assert upid == ("UPID:pbs1:000004D2:0001E240:0000002B:6650A1C0:syncjob:"
                    "r1\\x3ars\\x3alocal\\x3as\\x2d1a2b:admin@pbs!ci:")
    assert values.UPID_RE.match(upid)
    assert parse_upid(upid)["worker_id"] == "r1:rs:local:s-1a2b"
    assert systemd_escape("a/b") == "a-b"
    assert systemd_escape(".x") == "\\x2ex"
    assert systemd_escape("my-store") == "my\\x2dstore"


def test_lifecycle_on_clock(sim):
    applied = []
    upid = sim.tasks.spawn("create-datastore", "store1", "root@pam", log=["starting"],
                           on_success=lambda task: applied.append(task.upid))
    assert values.UPID_RE.match(upid) and ":create-datastore:store1:root@pam:" in upid
    status = sim.tasks.status_body(upid)
    assert status["status"] == "running" and "exitstatus" not in status
    assert status["type"] == "create-datastore" and status["id"] == "store1"
    assert applied == []
    sim.clock.advance(5)
    status = sim.tasks.status_body(upid)
    assert status["status"] == "stopped" and status["exitstatus"] == "OK"
    assert status["endtime"] >= status["starttime"]
    assert applied == [upid]
    assert sim.tasks.log_lines(upid)[-1].endswith(": TASK OK")


def test_failures_from_fault_and_from_worker(sim):
    sim.faults.pending.append(("datastore path not empty", "create-datastore"))
    upid = sim.tasks.spawn("create-datastore", "s", "root@pam", duration=0,
                           on_success=lambda t: pytest.fail("must not apply"))
    assert sim.tasks.status_body(upid)["exitstatus"] == "datastore path not empty"
    assert sim.tasks.log_lines(upid)[-1].endswith("TASK ERROR: datastore path not empty")

    def boom(task):
        raise ApiError(400, "nested datastores not allowed")

    upid = sim.tasks.spawn("create-datastore", "t", "root@pam", duration=0, on_success=boom)
    assert sim.tasks.status_body(upid)["exitstatus"] == "nested datastores not allowed"


def test_unknown_wellformed_upid_is_stopped_unknown(sim):
    upid = format_upid("localhost", 1, 2, 3, 4, "x", "", "root@pam")
    body = sim.tasks.status_body(upid)
    assert body["status"] == "stopped" and body["exitstatus"] == "unknown"
    assert "endtime" not in body and body["id"] is None


def test_token_task_status_has_tokenid(sim):
    upid = sim.tasks.spawn("gc", None, "ci@pbs!tok", duration=0)
    body = sim.tasks.status_body(upid)
    assert body["user"] == "ci@pbs" and body["tokenid"] == "tok"


def test_list_endpoint_filters_and_total(sim):
    ctx = _ctx(sim)
    ok = sim.tasks.spawn("garbage_collection", "s1", "root@pam", duration=0)
    sim.faults.pending.append(("boom", None))
    bad = sim.tasks.spawn("verificationjob", "s1:v1", "root@pam", duration=0)
    running = sim.tasks.spawn("create-datastore", "s2", "root@pam")
    items = task_endpoints.list_tasks(ctx, {"node": "localhost"})
    assert [i["upid"] for i in items] == [running, bad, ok]  # newest first
    assert ctx.attrs["total"] == 3
    assert items[0]["worker_type"] == "create-datastore" and "status" not in items[0]
    assert items[1]["status"] == "boom" and items[1]["node"] == "localhost"
    assert [i["upid"] for i in task_endpoints.list_tasks(ctx, {"running": True})] == [running]
    assert [i["upid"] for i in task_endpoints.list_tasks(ctx, {"errors": True})] == [running, bad]
    assert [i["upid"] for i in task_endpoints.list_tasks(ctx, {"statusfilter": ["ok"]})] == [ok]
    assert [i["upid"] for i in task_endpoints.list_tasks(ctx, {"typefilter": "garbage"})] == [ok]
    assert [i["upid"] for i in task_endpoints.list_tasks(ctx, {"store": "s1"})] == [bad, ok]
    ctx.attrs.clear()
    page = task_endpoints.list_tasks(ctx, {"limit": 1, "start": 1})
    assert [i["upid"] for i in page] == [bad] and ctx.attrs["total"] == 3


def test_list_only_own_tasks_without_audit(sim):
    sim.state.file("user.cfg").set("ci@pbs", "user", {"userid": "ci@pbs"})
    mine = sim.tasks.spawn("x", None, "ci@pbs!tok", duration=0)
    sim.tasks.spawn("x", None, "root@pam", duration=0)
    ctx = _ctx(sim, "ci@pbs")
    assert [i["upid"] for i in task_endpoints.list_tasks(ctx, {})] == [mine]
    with pytest.raises(ApiError, match="task access not allowed"):
        other = sim.tasks.list()[0]["upid"]
        task_endpoints.task_status(ctx, {"upid": other})


def test_log_endpoint_shape(sim):
    upid = sim.tasks.spawn("x", "a", "root@pam", duration=0, log=["one", "two"])
    resp = task_endpoints.task_log(_ctx(sim), {"upid": upid, "test-status": True})
    assert isinstance(resp, RawResponse)
    assert resp.body["total"] == 3 and resp.body["success"] == 1
    assert resp.body["active"] is False
    assert [line["n"] for line in resp.body["data"]] == [1, 2, 3]
    assert resp.body["data"][0]["t"].endswith(": one")
    resp = task_endpoints.task_log(_ctx(sim), {"upid": upid, "start": 2, "limit": 1})
    assert [line["n"] for line in resp.body["data"]] == [2]


def test_abort_running_task(sim):
    upid = sim.tasks.spawn("x", "a", "root@pam")
    task_endpoints.stop_task(_ctx(sim), {"upid": upid})
    assert sim.tasks.status_body(upid)["exitstatus"] == "abort requested - aborting task"
