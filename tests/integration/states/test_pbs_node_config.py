"""``pbs_node_config`` (a singleton with one ``managed`` state) applied by a real
``salt-call --local`` against the simulator: the steps of tests/support/singleton.py, and
the proxy password never shown."""

import pytest

from tests.support.singleton import singleton_sls
from tests.support.singleton import singleton_steps

pytestmark = [pytest.mark.integration]


def test_node_config(scenario):
    props = {
        "email_from": "pbs@example.com",
        "default_lang": "de",
        "task_log_max_days": 30,
        "description": "Backup server\nof the Vienna office",
        "consent_text": "Authorised use only.",
        "http_proxy": "http://proxy.example.com:3128",
        "ciphers_tls_1_3": "TLS_AES_256_GCM_SHA384",
        "acme": {"account": "default"},
        "acmedomain0": {"domain": "pbs.example.com", "plugin": "cf"},
    }
    stored = singleton_steps(
        scenario,
        "pbs_node_config.managed",
        "/nodes/localhost/config",
        props,
        change=("task_log_max_days", 60),
        clear="http_proxy",
    )
    assert stored["task-log-max-days"] == 60 and "http-proxy" not in stored
    assert stored["ciphers-tls-1.3"] == "TLS_AES_256_GCM_SHA384"
    assert stored["acme"] == "account=default" and "plugin=cf" in stored["acmedomain0"]
    assert stored["description"] == "Backup server\nof the Vienna office"


def test_node_config_proxy_password_hidden(scenario):
    sls = singleton_sls(
        "pbs_node_config.managed", {"http_proxy": "http://u:int-proxy-pw@proxy:3128"}
    )
    done = scenario.apply(sls)
    assert done.state["result"] is True, done.state["comment"]
    assert "int-proxy-pw" not in done.output
    assert done.state["changes"]["http_proxy"]["new"] == "http://u:<hidden>@proxy:3128"
