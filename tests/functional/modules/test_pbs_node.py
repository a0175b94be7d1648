"""pbs_node_config, pbs_dns and pbs_time execution modules through Salt loaders against the
simulated PBS."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _node_cfg(sim):
    return sim.state.file("node.cfg").props("node") or {}


def test_node_config_get_update_clear(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_node_config
    assert mod.get() == {}
    got = mod.update(
        email_from="pbs@example.com",
        acme={"account": "default"},
        acmedomain0={"domain": "pbs.example.com", "plugin": "cf"},
        ciphers_tls_1_2="ECDHE-RSA-AES256-GCM-SHA384",
        task_log_max_days="30",
    )
    assert got["email-from"] == "pbs@example.com" and got["task-log-max-days"] == 30
    stored = _node_cfg(pbs_simulator)
    assert stored["acme"] == "account=default"
    assert stored["acmedomain0"] == "domain=pbs.example.com,plugin=cf"
    assert stored["ciphers-tls-1.2"] == "ECDHE-RSA-AES256-GCM-SHA384"
    (put,) = writes(pbs_simulator.exchanges())
    assert put["path"].endswith("/nodes/localhost/config")

    mod.update(email_from=None)
    assert "email-from" not in _node_cfg(pbs_simulator)
    assert writes(pbs_simulator.exchanges())[-1]["body"]["delete"] == ["email-from"]


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"default_lang": "xx"}, "default_lang"),
        ({"task_log_max_days": -1}, "task_log_max_days"),
        ({"acmedomain0": {"plugin": "cf"}}, "acmedomain0"),
        ({"acmedomain0": "a.example.com", "acmedomain1": "A.example.com"}, "acmedomain1"),
        ({"http_proxy": "https://proxy:3128"}, "http_proxy"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_node_config_bad_input_sends_nothing(pbs_modules, pbs_simulator, kwargs, field):
    with pytest.raises(SaltInvocationError, match=field):
        pbs_modules.pbs_node_config.update(**kwargs)
    assert writes(pbs_simulator.exchanges()) == []


def test_dns_get_update(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_dns
    before = mod.get()
    assert before["search"] == "simulated.lan" and "digest" not in before
    mod.update(search="example.com", dns1="192.0.2.1", dns2="2001:db8::1")
    after = mod.get()
    assert (after["search"], after["dns1"], after["dns2"]) == (
        "example.com",
        "192.0.2.1",
        "2001:db8::1",
    )
    mod.update(dns2=None)
    assert "dns2" not in mod.get()
    with pytest.raises(SaltInvocationError, match="dns1.*dns2"):
        mod.update(dns1=None, dns2="192.0.2.9")
    with pytest.raises(SaltInvocationError, match="dns3"):
        mod.update(dns3="not-an-ip")


def test_time_get_update(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_time
    got = mod.get()
    assert got["timezone"] == "UTC" and isinstance(got["time"], int) and "localtime" in got
    got = mod.update(timezone="Europe/Vienna")
    assert got["timezone"] == "Europe/Vienna"
    (put,) = writes(pbs_simulator.exchanges())
    assert put["body"] == {"timezone": "Europe/Vienna"}  # no digest: PBS takes none here
    with pytest.raises(CommandExecutionError, match="No such timezone"):
        mod.update(timezone="Mars/Olympus")
    with pytest.raises(SaltInvocationError, match="time"):
        mod.update(time=5)
