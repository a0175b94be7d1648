"""pbs_service states through Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _stop(pbs_modules, name):
    pbs_modules.pbs_service.stop(name)


def test_running_starts_a_stopped_service_once(pbs_states, pbs_modules, pbs_simulator):
    _stop(pbs_modules, "chrony")
    before = len(writes(pbs_simulator.exchanges()))
    dry = pbs_states.pbs_service.running("chrony", test=True)
    assert dry["result"] is None and dry["changes"] == {"state": {"old": "dead", "new": "running"}}
    assert len(writes(pbs_simulator.exchanges())) == before
    done = pbs_states.pbs_service.running("chrony")
    assert done["result"] is True and done["changes"]["state"]["new"] == "running"
    assert pbs_modules.pbs_service.status("chrony")["up"] is True
    again = pbs_states.pbs_service.running("chrony")
    assert again["result"] is True and again["changes"] == {}
    assert len(writes(pbs_simulator.exchanges())) == before + 1


def test_running_unknown_service_fails_clearly(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_service.running("nginx")
    assert ret["result"] is False and "'name': unknown service 'nginx'" in ret["comment"]
    assert pbs_simulator.exchanges() == []


def test_mod_watch_restarts_or_reloads(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_service.mod_watch("sshd", sfun="running")
    assert ret["result"] is True and ret["changes"] == {"restart": True}
    ret = pbs_states.pbs_service.mod_watch("sshd", sfun="running", reload=True)
    assert ret["changes"] == {"reload": True}
    paths = [w["path"] for w in writes(pbs_simulator.exchanges())]
    assert [p.rsplit("/", 1)[1] for p in paths] == ["restart", "reload"]


def test_watch_requisite_restarts_the_proxy(pbs_loaders, state_tree, pbs_simulator):
    sls = """
pbs-dns:
  pbs_dns.managed:
    - search: watched.example.com
proxmox-backup-proxy:
  pbs_service.running:
    - watch:
      - pbs_dns: pbs-dns
"""
    (state_tree / "watchsvc.sls").write_text(sls, encoding="utf-8")
    ret = pbs_loaders.modules.state.sls("watchsvc")
    by_id = {r.id: r for r in ret}
    assert by_id["proxmox-backup-proxy"].changes == {"restart": True}
    (post,) = writes(pbs_simulator.exchanges())[-1:]
    assert post["path"].endswith("/services/proxmox-backup-proxy/restart")
    assert ":srvreload:" in post["response"]["data"]
    ret = pbs_loaders.modules.state.sls("watchsvc")
    assert [r.id for r in ret if r.changes or r.result is not True] == []
