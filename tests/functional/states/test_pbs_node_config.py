"""pbs_node_config states through Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _writes(sim):
    return writes(sim.exchanges())


def test_node_config_managed(pbs_states, pbs_simulator):
    sim = pbs_simulator
    props = {
        "email_from": "pbs@example.com",
        "acmedomain0": {"domain": "pbs.example.com", "plugin": "cf"},
        "http_proxy": "http://user:proxy-pass-1@proxy.example.com:3128",
    }
    ret = pbs_states.pbs_node_config.managed(name="cfg", **props, test=True)
    assert ret.result is None and _writes(sim) == []
    ret = pbs_states.pbs_node_config.managed(name="cfg", **props)
    assert ret.result is True, ret.comment
    assert ret.changes["acmedomain0"] == {
        "old": None,
        "new": {"domain": "pbs.example.com", "plugin": "cf"},
    }
    assert "proxy-pass-1" not in repr(ret.changes) and "<hidden>" in repr(ret.changes)
    sim.clear_exchanges()
    # the same domain given as a PBS string, the same ciphers spelling: no change
    again = {**props, "acmedomain0": "pbs.example.com,plugin=cf"}
    ret = pbs_states.pbs_node_config.managed(name="cfg", **again)
    assert ret.result is True and ret.changes == {} and _writes(sim) == []
    ret = pbs_states.pbs_node_config.managed(name="cfg", **{**props, "http_proxy": None})
    assert list(ret.changes) == ["http_proxy"]
    (put,) = _writes(sim)
    assert put["body"]["delete"] == ["http-proxy"] and "digest" in put["body"]


def test_node_config_digest_race_is_replanned_once(pbs_states, pbs_simulator):
    sim = pbs_simulator
    sim.faults.digest_race("node.cfg")
    ret = pbs_states.pbs_node_config.managed(name="cfg", default_lang="en")
    assert ret.result is True, ret.comment
    assert ret.changes == {"default_lang": {"old": None, "new": "en"}}
    first, second = _writes(sim)
    assert first["status"] == 400 and second["status"] == 200
    assert first["body"]["digest"] != second["body"]["digest"]
    assert sim.state.file("node.cfg").props("node")["default-lang"] == "en"
