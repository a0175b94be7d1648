"""pbs_acme_plugin states through Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _writes(sim):
    return writes(sim.exchanges())


def test_plugin_present_absent(pbs_states, pbs_simulator):
    sim = pbs_simulator
    st = pbs_states.pbs_acme_plugin
    props = {"api": "cf", "data": {"CF_Token": "tok-1", "CF_Account_ID": "acc-1"}}
    ret = st.present(name="cloudflare", **props)
    assert ret.result is True, ret.comment
    assert ret.changes["new"]["data"] == {"CF_Token": "<hidden>", "CF_Account_ID": "<hidden>"}
    sim.clear_exchanges()
    again = st.present(name="cloudflare", api="cf", data="CF_Account_ID=acc-1\nCF_Token=tok-1")
    assert again.changes == {} and _writes(sim) == []
    ret = st.present(name="cloudflare", api="cf", data={"CF_Token": "tok-2"})
    assert ret.changes == {
        "data": {
            "old": {"CF_Token": "<hidden>", "CF_Account_ID": "<hidden>"},
            "new": {"CF_Token": "<hidden>"},
        }
    }
    assert "tok-2" not in repr(ret) and "tok-1" not in repr(ret)
    (put,) = _writes(sim)
    assert "digest" in put["body"]
    ret = st.present(name="standalone", api="cf", data={"A": "b"})
    assert ret.result is False and "built-in" in ret.comment
    ret = st.absent(name="cloudflare")
    assert ret.result is True and ret.changes["old"]["data"] == {"CF_Token": "<hidden>"}
    delete = _writes(sim)[-1]
    assert delete["method"] == "DELETE" and not delete["query"]
