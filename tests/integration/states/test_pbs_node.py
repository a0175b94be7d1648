"""Node settings states (``pbs_node_config``, ``pbs_dns``, ``pbs_time``; singletons with one
``managed`` state) applied by a real ``salt-call --local`` against the simulator.

Each is set, re-applied (0 changes, no write), changed in one field (exactly that change),
checked with ``test=True`` (no write request) and, where PBS allows it, cleared with
``null``. Results are read back through a raw API client.
"""

import pytest
import salt.utils.yaml

pytestmark = [pytest.mark.integration]


def _sls(function, props):
    return salt.utils.yaml.safe_dump(
        {"singleton": {function: [{k: v} for k, v in props.items()]}}, default_flow_style=False
    )


def _singleton_steps(scenario, function, path, props, change, clear=None):
    """set (after a test=True dry run), re-apply, change one field (test=True first), clear."""

    def read():
        stored = scenario.api.get(path)
        return {k: v for k, v in stored.items() if k not in ("time", "localtime")}

    before = read()
    dry = scenario.apply(_sls(function, props), test=True)
    assert dry.state["result"] is None and dry.writes == [], dry.state["comment"]
    assert read() == before
    done = scenario.apply(_sls(function, props))
    assert done.state["result"] is True, done.state["comment"]
    assert set(done.state["changes"]) == set(props)
    assert len(done.writes) == 1 and done.writes[0]["method"] == "PUT"

    again = scenario.apply(_sls(function, props))
    assert again.state["result"] is True and again.state["changes"] == {} and again.writes == []

    key, value = change
    changed = {**props, key: value}
    dry = scenario.apply(_sls(function, changed), test=True)
    assert dry.state["result"] is None and list(dry.state["changes"]) == [key]
    assert dry.writes == []
    done = scenario.apply(_sls(function, changed))
    assert done.state["result"] is True, done.state["comment"]
    assert done.state["changes"] == {key: {"old": props[key], "new": value}}
    (put,) = done.writes
    assert set(put["body"]) - {"digest"} == {key.replace("_", "-")}
    if clear is None:
        return read()
    cleared = {**changed, clear: None}
    done = scenario.apply(_sls(function, cleared))
    assert done.state["result"] is True, done.state["comment"]
    assert list(done.state["changes"]) == [clear]
    assert done.state["changes"][clear]["new"] is None
    (put,) = done.writes
    assert put["body"]["delete"] == [clear.replace("_", "-")]
    again = scenario.apply(_sls(function, cleared))
    assert again.state["changes"] == {} and again.writes == []
    return read()


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
    stored = _singleton_steps(
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
    sls = _sls("pbs_node_config.managed", {"http_proxy": "http://u:int-proxy-pw@proxy:3128"})
    done = scenario.apply(sls)
    assert done.state["result"] is True, done.state["comment"]
    assert "int-proxy-pw" not in done.output
    assert done.state["changes"]["http_proxy"]["new"] == "http://u:<hidden>@proxy:3128"


def test_dns(scenario):
    props = {"search": "example.com", "dns1": "192.0.2.1", "dns2": "192.0.2.2"}
    stored = _singleton_steps(
        scenario,
        "pbs_dns.managed",
        "/nodes/localhost/dns",
        props,
        change=("dns2", "2001:db8::2"),
        clear="dns2",
    )
    assert stored["search"] == "example.com" and stored["dns1"] == "192.0.2.1"
    assert "dns2" not in stored


def test_time(scenario):
    stored = _singleton_steps(
        scenario,
        "pbs_time.managed",
        "/nodes/localhost/time",
        {"timezone": "Europe/Vienna"},
        change=("timezone", "America/New_York"),
    )
    assert stored["timezone"] == "America/New_York"
    refused = scenario.apply(_sls("pbs_time.managed", {"timezone": "Mars/Olympus"}))
    assert refused.state["result"] is False and "No such timezone" in refused.state["comment"]
