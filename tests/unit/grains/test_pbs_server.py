"""The ``pbs_server`` grain: facts when PBS answers, a quick ``reachable: False`` when not."""

import logging
import socket
import time

import pytest

from saltext.pbs.grains import _process_cache
from saltext.pbs.grains import pbs_server


@pytest.fixture(autouse=True)
def forget_probes():
    """Each test starts as a new process would: no remembered probe."""
    _process_cache.clear()
    yield
    _process_cache.clear()


@pytest.fixture
def sim(pbs_simulator_module):
    pbs_simulator_module.reset()
    pbs_simulator_module.clear_exchanges()
    return pbs_simulator_module


@pytest.fixture
def opts(minion_opts):
    return minion_opts


@pytest.fixture
def configure_loader_modules(opts):
    return {pbs_server: {"__opts__": opts}}


@pytest.fixture
def token(sim):
    secret = sim.create_token("root@pam", "grain")
    return {"token_id": "root@pam!grain", "token_secret": secret}


def base_block(sim):
    return {"url": sim.url, "fingerprint": sim.fingerprint}


def paths(sim):
    return [(ex["method"], ex["path"]) for ex in sim.exchanges()]


def test_virtual_needs_a_pbs_block_in_minion_config(opts):
    opts.pop("pbs", None)
    ret = pbs_server.__virtual__()
    assert ret[0] is False and "no 'pbs' block" in ret[1]
    opts["pbs"] = {"url": "https://pbs:8007"}
    assert pbs_server.__virtual__() == "pbs_server"


def test_full_grain_with_token(opts, sim, token):
    sim.add_acl("/", "root@pam!grain", "Audit")
    opts["pbs"] = {**base_block(sim), **token}
    grain = pbs_server.pbs_server()["pbs_server"]
    version = sim.exchanges()[0]["response"]["data"]
    assert grain["reachable"] is True
    assert grain["url"] == sim.url
    assert {k: grain[k] for k in ("version", "release", "repoid")} == version
    assert grain["node"]["memory_total"] > 0
    assert "uptime" in grain["node"]
    assert grain["datastores"] == sorted(
        item["name"] for item in sim.exchanges()[-1]["response"]["data"]
    )
    assert paths(sim) == [
        ("GET", "/api2/json/version"),
        ("GET", "/api2/json/nodes/localhost/status"),
        ("GET", "/api2/json/config/datastore"),
    ]
    assert "error" not in grain


def test_token_without_privileges_still_reports_version(opts, sim, token):
    opts["pbs"] = {**base_block(sim), **token}
    grain = pbs_server.pbs_server()["pbs_server"]
    assert grain["reachable"] is True and grain["version"]
    assert "node" not in grain  # 403 without Sys.Audit: skipped, not fatal
    assert grain["datastores"] == []  # lists are filtered by privilege


def test_ticket_auth(opts, sim):
    opts["pbs"] = {**base_block(sim), "username": sim.user, "password": sim.password}
    grain = pbs_server.pbs_server()["pbs_server"]
    assert grain["reachable"] is True and "node" in grain


def test_without_credentials_only_pings(opts, sim):
    opts["pbs"] = base_block(sim)  # credentials live in pillar, which grains cannot see
    grain = pbs_server.pbs_server()["pbs_server"]
    assert grain == {"reachable": True, "url": sim.url}
    assert paths(sim) == [("GET", "/api2/json/ping")]


def test_no_retry_and_reachable_on_503_is_reported(opts, sim, token):
    opts["pbs"] = {**base_block(sim), **token}
    sim.faults.http_error(503, count=5, path_prefix="/version")
    grain = pbs_server.pbs_server()["pbs_server"]
    assert len(sim.exchanges()) == 1  # no retries in a grain
    assert "HTTP 503" in grain["error"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_down_pbs_returns_quickly(opts):
    opts["pbs"] = {
        "url": f"https://127.0.0.1:{free_port()}",
        "token_id": "a@pbs!t",
        "token_secret": "x",
    }
    started = time.monotonic()
    grain = pbs_server.pbs_server()["pbs_server"]
    assert time.monotonic() - started < pbs_server.BUDGET
    assert grain["reachable"] is False
    assert "cannot reach PBS" in grain["error"]


def test_silent_pbs_is_bounded_by_the_budget(opts, monkeypatch):
    # A server that accepts connections but never answers (not even the TLS handshake).
    monkeypatch.setattr(pbs_server, "BUDGET", 0.5)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        port = listener.getsockname()[1]
        opts["pbs"] = {"url": f"https://127.0.0.1:{port}", "token_id": "a@pbs!t",
                       "token_secret": "x"}
        started = time.monotonic()
        grain = pbs_server.pbs_server()["pbs_server"]
        elapsed = time.monotonic() - started
    assert grain["reachable"] is False
    assert elapsed < 0.5 + 0.5


def test_invalid_config_never_raises_and_hides_the_secret(opts):
    secret = "d63e505a-e3ec-449a-9bc7-1da610d4ccde"
    opts["pbs"] = {"url": "https://pbs:8007", "token_id": f"root@pam!salt={secret}"}
    grain = pbs_server.pbs_server()["pbs_server"]
    assert grain["reachable"] is False
    assert "Proxmox VE style" in grain["error"]
    assert secret not in repr(grain)


def test_unexpected_exception_is_reduced_to_its_type(opts, monkeypatch):
    opts["pbs"] = {"url": "https://pbs:8007"}

    def boom(*args, **kwargs):
        raise RuntimeError("something with a secret inside")

    monkeypatch.setattr(pbs_server, "_collect", boom)
    assert pbs_server.pbs_server() == {
        "pbs_server": {"reachable": False, "error": "RuntimeError"}
    }


def test_no_secret_in_logs(opts, sim, token, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="urllib3")
    opts["pbs"] = {**base_block(sim), **token}
    pbs_server.pbs_server()
    opts["pbs"] = {**base_block(sim), "username": sim.user, "password": sim.password}
    pbs_server.pbs_server()
    login = [ex for ex in sim.exchanges() if ex["path"].endswith("/access/ticket")][0]
    secrets = [
        token["token_secret"],
        sim.password,
        login["response"]["data"]["ticket"],
        login["response"]["data"]["CSRFPreventionToken"],
    ]
    assert caplog.records
    for record in caplog.records:
        for secret in secrets:
            assert secret not in record.getMessage()


def test_a_silent_pbs_costs_one_budget_per_process(opts, monkeypatch):
    """Salt evaluates grains twice at start and again on refreshes: the second evaluation
    within the reuse window answers from memory instead of waiting again."""
    monkeypatch.setattr(pbs_server, "BUDGET", 0.5)
    with socket.socket() as listener:  # accepts connections, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        opts["pbs"] = {"url": f"https://127.0.0.1:{listener.getsockname()[1]}"}
        started = time.monotonic()
        first = pbs_server.pbs_server()
        second = pbs_server.pbs_server()
        elapsed = time.monotonic() - started
    assert first == second and first["pbs_server"]["reachable"] is False
    assert elapsed < 2 * pbs_server.BUDGET  # one budget spent, not two


def test_the_remembered_result_expires(opts, sim, monkeypatch):
    opts["pbs"] = {**base_block(sim), "username": sim.user, "password": sim.password}
    assert pbs_server.pbs_server()["pbs_server"]["reachable"] is True
    sim.clear_exchanges()
    assert pbs_server.pbs_server()["pbs_server"]["reachable"] is True
    assert sim.exchanges() == []  # answered from memory
    clock = time.monotonic() + _process_cache.TTL + 1
    monkeypatch.setattr(_process_cache.time, "monotonic", lambda: clock)
    assert pbs_server.pbs_server()["pbs_server"]["reachable"] is True
    assert sim.exchanges() != []  # probed again after the reuse window


def test_a_changed_block_is_probed_again(opts, sim):
    opts["pbs"] = {**base_block(sim), "username": sim.user, "password": sim.password}
    assert "version" in pbs_server.pbs_server()["pbs_server"]
    opts["pbs"] = base_block(sim)  # no credentials any more: only /ping
    assert "version" not in pbs_server.pbs_server()["pbs_server"]


def test_the_caller_cannot_change_the_remembered_result(opts, sim):
    opts["pbs"] = {**base_block(sim), "username": sim.user, "password": sim.password}
    pbs_server.pbs_server()["pbs_server"]["datastores"].append("tampered")
    assert "tampered" not in pbs_server.pbs_server()["pbs_server"]["datastores"]


def test_loaded_on_a_pbs_proxy_from_its_pillar(opts, sim):
    opts.pop("pbs", None)
    opts["proxy"] = {"proxytype": "pbs", **base_block(sim), "username": sim.user,
                     "password": sim.password}
    opts["pillar"] = {"proxy": opts["proxy"], "pbs": {"node": "localhost"}}
    assert pbs_server.__virtual__() == "pbs_server"
    assert "pbs" in pbs_server.__proxyenabled__
    grain = pbs_server.pbs_server()["pbs_server"]
    assert grain["reachable"] is True and grain["url"] == sim.url and "version" in grain


def test_not_loaded_on_other_proxies_without_a_pbs_block(opts):
    opts.pop("pbs", None)
    opts["proxy"] = {"proxytype": "ssh_sample"}
    assert pbs_server.__virtual__()[0] is False
