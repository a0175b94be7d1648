"""pbs_node_config execution module through Salt loaders against the simulated PBS."""

import pytest
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
