"""The ``pbs`` proxy module: init never raises, one log line per problem, ping/alive follow
PBS reachability, shutdown closes the session."""

import logging
import socket

import pytest

from saltext.pbs.proxy import pbs as pbs_proxy
from saltext.pbs.utils import config as pbs_config


@pytest.fixture
def sim(pbs_simulator_module):
    pbs_simulator_module.reset()
    pbs_simulator_module.clear_exchanges()
    return pbs_simulator_module


@pytest.fixture
def opts(minion_opts):
    minion_opts["id"] = "pbs1"
    minion_opts["pillar"] = {}
    return minion_opts


@pytest.fixture
def configure_loader_modules(opts):
    return {
        pbs_proxy: {
            "__opts__": opts,
            "__salt__": {"config.get": pbs_config.opts_lookup(opts, with_pillar=True)},
        }
    }


@pytest.fixture(autouse=True)
def fresh_details():
    pbs_proxy.shutdown({})
    pbs_proxy._DETAILS["problem"] = None  # pylint: disable=protected-access
    yield
    pbs_proxy.shutdown({})


def set_proxy(opts, **keys):
    opts["proxy"] = {"proxytype": "pbs", **keys}
    opts["pillar"]["proxy"] = opts["proxy"]


def sim_keys(sim):
    return {"url": sim.url, "fingerprint": sim.fingerprint, "username": sim.user,
            "password": sim.password}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pbs_records(caplog):
    return [r for r in caplog.records if r.name == pbs_proxy.__name__ and r.levelno >= logging.INFO]


def test_init_ping_alive_shutdown(opts, sim, caplog):
    set_proxy(opts, **sim_keys(sim))
    caplog.set_level(logging.DEBUG)
    assert pbs_proxy.init(opts) is True
    assert pbs_proxy.initialized() is True
    assert pbs_proxy.ping() is True and pbs_proxy.alive(opts) is True
    assert [r.getMessage() for r in pbs_records(caplog)] == [f"pbs proxy pbs1: managing PBS {sim.url}"]
    client = pbs_proxy._DETAILS["client"]  # pylint: disable=protected-access
    # The session logged in once and was reused by the later probes.
    logins = [ex for ex in sim.exchanges() if ex["path"].endswith("/access/ticket")]
    assert len(logins) == 1
    closed = []
    real_close = client.close
    client.close = lambda: (closed.append(True), real_close())
    assert pbs_proxy.shutdown(opts) is True
    assert pbs_proxy.initialized() is False
    assert pbs_proxy._DETAILS["client"] is None  # pylint: disable=protected-access
    assert closed == [True]


@pytest.mark.parametrize(
    "keys,expected",
    [
        ({"url": "https://pbs1:8007"}, "no PBS credentials configured"),
        ({"url": "https://pbs1:8007", "username": "root@pam"}, "'password' is missing"),
        ({"token_id": "a@pbs!t", "token_secret": "SECRET-1"}, "'url' is not configured"),
        ({"url": "https://pbs1:8007", "username": "root@pam", "password": "SECRET-1",
          "token_id": "a@pbs!t", "token_secret": "SECRET-2"}, "ambiguous"),
        ({"url": "https://pbs1:8007", "pasword": "SECRET-1"}, "unknown PBS connection key 'pasword'"),
    ],
)
def test_bad_proxy_block_starts_logs_one_line_and_pings_false(opts, keys, expected, caplog):
    set_proxy(opts, **keys)
    caplog.set_level(logging.DEBUG)
    assert pbs_proxy.init(opts) is True
    assert pbs_proxy.ping() is False and pbs_proxy.alive(opts) is False
    records = pbs_records(caplog)
    assert len(records) == 1  # repeats (ping, keepalive) go to debug
    assert records[0].levelno == logging.ERROR
    message = records[0].getMessage()
    assert message.startswith("pbs proxy pbs1: not managing any PBS: ") and expected in message
    assert "\n" not in message
    assert all("SECRET-" not in r.getMessage() for r in caplog.records)


def test_unreachable_pbs_at_start_then_back(opts, sim, caplog):
    set_proxy(opts, **{**sim_keys(sim), "url": f"https://127.0.0.1:{free_port()}"})
    caplog.set_level(logging.DEBUG)
    assert pbs_proxy.init(opts) is True
    assert pbs_proxy.ping() is False
    records = pbs_records(caplog)
    assert len(records) == 1 and records[0].levelno == logging.WARNING
    assert "does not answer" in records[0].getMessage()
    # The pillar is fixed (the PBS "comes back" at the right address): ping follows.
    set_proxy(opts, **sim_keys(sim))
    assert pbs_proxy.alive(opts) is True
    assert any("answers again" in r.getMessage() for r in pbs_records(caplog))
    assert all(sim.password not in r.getMessage() for r in caplog.records)


def test_rejected_credentials_ping_false(opts, sim):
    set_proxy(opts, **{**sim_keys(sim), "password": "wrong-password"})
    assert pbs_proxy.init(opts) is True
    assert pbs_proxy.ping() is False
