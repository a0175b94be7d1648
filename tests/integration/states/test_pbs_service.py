"""``pbs_service.running`` (and its ``mod_watch``) applied by a real ``salt-call --local``
against the simulator: a stopped service is reported by ``test=True`` without a write,
started, and a re-apply changes nothing; a watch restarts the proxy (PBS reloads it)."""

import pytest

from tests.support.helpers import read_request_log
from tests.support.helpers import writes

pytestmark = [pytest.mark.integration]

RUNNING = """
chrony:
  pbs_service.running: []
"""


def _stop(sim, name):
    # behind Salt's back, as an operator's systemctl would
    sim.state.runtime.setdefault("services", {})[name] = "inactive"


def test_running(scenario, pbs_sim):
    _stop(pbs_sim, "chrony")
    dry = scenario.apply(RUNNING, test=True)
    assert dry.state["result"] is None and dry.writes == []
    assert dry.state["changes"] == {"state": {"old": "dead", "new": "running"}}
    assert scenario.api.get("/nodes/localhost/services/chrony/state")["state"] == "dead"
    done = scenario.apply(RUNNING)
    assert done.state["result"] is True, done.state["comment"]
    (post,) = done.writes
    assert post["path"].endswith("/services/chrony/start")
    assert scenario.api.get("/nodes/localhost/services/chrony/state")["state"] == "running"
    again = scenario.apply(RUNNING)
    assert again.state["result"] is True and again.state["changes"] == {} and again.writes == []


def test_unknown_service_fails_before_any_request(scenario):
    ret = scenario.apply("nginx:\n  pbs_service.running: []\n")
    assert ret.state["result"] is False
    assert "'name': unknown service 'nginx'" in ret.state["comment"]
    # (the pbs_server grain reads PBS at start-up; nothing touches the services)
    assert [r["path"] for r in ret.requests if "/services" in r["path"]] == []


def test_watch_restarts_the_proxy(salt_call_cli, state_tree, pbs_sim):
    (state_tree / "svc_watch.sls").write_text(
        "pbs-dns:\n  pbs_dns.managed:\n    - search: int-watch.example.com\n"
        "proxmox-backup-proxy:\n  pbs_service.running:\n    - watch:\n      - pbs_dns: pbs-dns\n",
        encoding="utf-8",
    )
    before = len(read_request_log(pbs_sim.request_log))
    ret = salt_call_cli.run("--local", "state.apply", "svc_watch")
    by_id = {v["__id__"]: v for v in ret.data.values()}
    assert by_id["proxmox-backup-proxy"]["changes"] == {"restart": True}
    posts = [w["path"] for w in writes(read_request_log(pbs_sim.request_log)[before:])]
    assert posts[-1].endswith("/services/proxmox-backup-proxy/restart")
    ret = salt_call_cli.run("--local", "state.apply", "svc_watch")
    assert all(v["changes"] == {} for v in ret.data.values())
