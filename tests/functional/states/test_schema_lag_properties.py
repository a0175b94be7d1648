"""PBS 4.2 properties the generated schema does not list yet (tests/support/contract_lag.py)
are managed like every other property: node config ``location``, OpenID ``audiences``."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_node_config_location(pbs_states, pbs_simulator):
    state = pbs_states.pbs_node_config
    here = {"name": "Vienna DC", "latitude": 48.2, "longitude": 16.37}
    ret = state.managed(name="cfg", location=here)
    assert ret.result is True, ret.comment
    stored = pbs_simulator.state.file("node.cfg").props("node")
    assert "latitude=48.2" in stored["location"] and "longitude=16.37" in stored["location"]
    pbs_simulator.clear_exchanges()
    # the same place as a PBS property string: no change
    ret = state.managed(name="cfg", location="latitude=48.2,longitude=16.37,name=Vienna DC")
    assert ret.result is True and ret.changes == {} and writes(pbs_simulator.exchanges()) == []
    ret = state.managed(name="cfg", location={"latitude": 91, "longitude": 0})
    assert ret.result is False and "latitude" in ret.comment
    ret = state.managed(name="cfg", location=None)
    assert list(ret.changes) == ["location"]
    (put,) = writes(pbs_simulator.exchanges())
    assert put["body"]["delete"] == ["location"]


def test_openid_audiences(pbs_states, pbs_simulator):
    props = {"type": "openid", "issuer_url": "https://id.example.com", "client_id": "pbs",
             "audiences": ["https://pbs.example.com", "urn:pbs"]}
    ret = pbs_states.pbs_realm.present(name="sso", **props)
    assert ret.result is True, ret.comment
    stored = pbs_simulator.state.file("domains.cfg").props("sso")
    assert set(stored["audiences"].split(",")) == {"https://pbs.example.com", "urn:pbs"}
    reordered = {**props, "audiences": "urn:pbs, https://pbs.example.com"}
    assert pbs_states.pbs_realm.present(name="sso", **reordered).changes == {}
    ret = pbs_states.pbs_realm.present(name="sso", **{**props, "audiences": None})
    assert ret.result is True and ret.changes == {"audiences": {
        "old": ["https://pbs.example.com", "urn:pbs"], "new": None}}
