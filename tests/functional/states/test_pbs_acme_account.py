"""pbs_acme_account states through Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

TOS = "https://letsencrypt.org/documents/LE-SA-v1.5-February-24-2025.pdf"


def _writes(sim):
    return writes(sim.exchanges())


def test_account_present_absent(pbs_states, pbs_simulator):
    sim = pbs_simulator
    st = pbs_states.pbs_acme_account
    props = {"contact": "a@example.com, b@example.com", "tos_url": TOS}
    ret = st.present(name="default", **props, test=True)
    assert ret.result is None and ret.changes["old"] is None and _writes(sim) == []
    ret = st.present(name="default", **props)
    assert ret.result is True, ret.comment
    assert ret.changes["new"]["contact"] == ["a@example.com", "b@example.com"]
    sim.clear_exchanges()
    ret = st.present(name="default", contact=["b@example.com", "mailto:a@example.com"])
    assert ret.result is True and ret.changes == {} and _writes(sim) == []
    # the list names accounts only: the item is read, never planned on the list
    assert [e["path"] for e in sim.exchanges() if e["method"] == "GET"][-1].endswith(
        "/config/acme/account/default"
    )
    ret = st.present(name="default", contact="c@example.com")
    assert ret.changes == {
        "contact": {"old": ["a@example.com", "b@example.com"], "new": ["c@example.com"]}
    }
    (put,) = _writes(sim)
    assert put["body"] == {"contact": "c@example.com"}
    ret = st.present(name="default", contact="c@example.com", directory="https://ca.example/dir")
    assert ret.result is False and "directory" in ret.comment and "never recreated" in ret.comment

    ret = st.absent(name="default", test=True)
    assert ret.result is None and ret.changes["new"] is None
    ret = st.absent(name="default")
    assert ret.result is True and ret.changes["old"]["contact"] == ["c@example.com"]
    assert st.absent(name="default").changes == {}


def test_account_eab_key_hidden(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_acme_account.present(
        name="eab", contact="a@example.com", eab_kid="kid-1", eab_hmac_key="hmac-secret-1"
    )
    assert ret.result is True, ret.comment
    assert ret.changes["new"]["eab_hmac_key"] == "<hidden>"
    assert "hmac-secret-1" not in repr(ret)
    again = pbs_states.pbs_acme_account.present(
        name="eab", contact="a@example.com", eab_kid="kid-2", eab_hmac_key="other"
    )
    assert again.result is True and again.changes == {}
