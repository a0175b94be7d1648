"""pbs node power and diagnostics functions (reboot, shutdown, journal, syslog, report,
node_rrd, nodes) through Salt loaders against the simulated PBS."""

import re

import pytest
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


@pytest.mark.parametrize("fn", ["reboot", "shutdown"])
def test_power_needs_the_node_named_and_confirm(pbs_modules, pbs_simulator, fn):
    call = getattr(pbs_modules.pbs, fn)
    with pytest.raises(SaltInvocationError, match="'confirm'"):
        call(node="localhost")
    with pytest.raises(SaltInvocationError, match="'node'"):
        call(confirm=True)
    with pytest.raises(SaltInvocationError, match="'node'"):
        call(node="other", confirm=True)
    assert writes(pbs_simulator.exchanges()) == []
    assert call(node="localhost", confirm=True) is True
    assert pbs_simulator.state.runtime["power-commands"] == [fn]
    (post,) = writes(pbs_simulator.exchanges())
    assert post["path"].endswith("/nodes/localhost/status") and post["body"] == {"command": fn}


def test_diagnostics(pbs_modules):
    mod = pbs_modules.pbs
    assert len(mod.journal(lastentries=2)) == 2
    log = mod.syslog(start=1, limit=2)
    assert log["total"] == 4 and [line["n"] for line in log["lines"]] == [2, 3]
    assert mod.syslog(service="chronyd")["lines"][0]["t"].startswith("chronyd")
    assert "general system info" in mod.report()
    rrd = mod.node_rrd(timeframe="day", cf="MAX")
    assert rrd and {"time", "cpu"} <= set(rrd[0])
    with pytest.raises(SaltInvocationError, match="'timeframe'"):
        mod.node_rrd(timeframe="minute")
    assert mod.nodes() == [{"node": "localhost"}]


def test_identity_is_stable_and_open_to_any_token(pbs_modules, pbs_loaders, pbs_simulator,
                                                   pbs_minion_config):
    first = pbs_modules.pbs.identity()
    assert re.fullmatch(r"[0-9a-f]{32}", first["pbs-instance-id"])
    assert pbs_modules.pbs.identity() == first
    # a token without any ACL entry may read it (PBS: Permission::Anybody)
    secret = pbs_simulator.create_token("root@pam", "identity")
    block = {k: v for k, v in pbs_minion_config.items() if k not in ("username", "password")}
    profile = {**block, "token_id": "root@pam!identity", "token_secret": secret}
    assert pbs_modules.pbs.identity(profile=profile) == first
