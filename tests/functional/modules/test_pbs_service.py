"""pbs_service execution module through Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_list_and_status(pbs_modules):
    mod = pbs_modules.pbs_service
    listing = mod.list()
    assert [s["service"] for s in listing][:2] == ["proxmox-backup", "proxmox-backup-proxy"]
    state = mod.status("chrony")
    assert state["state"] == "running" and state["up"] is True
    assert mod.status("postfix")["up"] is True  # a oneshot unit that has exited


def test_stop_start_restart_reload_are_waited_tasks(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_service
    done = mod.stop("chrony")
    assert done["exitstatus"] == "OK" and ":srvstop:chrony:" in done["upid"]
    assert mod.status("chrony") == {**mod.status("chrony"), "state": "dead", "up": False}
    assert mod.start("chrony")["exitstatus"] == "OK"
    assert mod.status("chrony")["up"] is True
    assert ":srvrestart:sshd:" in mod.restart("sshd")["upid"]
    # PBS reloads the proxy when asked to restart it (running tasks survive)
    assert ":srvreload:proxmox\\x2dbackup\\x2dproxy:" in mod.restart("proxmox-backup-proxy")["upid"]
    assert ":srvreload:cron:" in mod.reload("cron")["upid"]
    upid = mod.stop("postfix", wait=False)
    assert isinstance(upid, str) and upid.startswith("UPID:")
    posts = [w["path"].rsplit("/", 2)[-2:] for w in writes(pbs_simulator.exchanges())]
    assert posts[:2] == [["chrony", "stop"], ["chrony", "start"]]


def test_pbs_refusal_comes_back_as_pbs_says_it(pbs_modules):
    with pytest.raises(CommandExecutionError, match="cannot stop essential service!"):
        pbs_modules.pbs_service.stop("proxmox-backup")


@pytest.mark.parametrize("fn", ["status", "start", "stop", "restart", "reload"])
def test_unknown_service_is_refused_before_any_request(pbs_modules, pbs_simulator, fn):
    with pytest.raises(SaltInvocationError, match="'name': unknown service 'nginx'"):
        getattr(pbs_modules.pbs_service, fn)("nginx")
    assert pbs_simulator.exchanges() == []
