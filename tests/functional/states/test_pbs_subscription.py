"""pbs_subscription states through Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import configure_pbs
from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

KEY = "pbss-00000000ab"
OTHER = "pbsp-00000000cd"


def test_present_absent(pbs_states, pbs_simulator):
    st = pbs_states.pbs_subscription
    dry = st.present("sub", key=KEY, test=True)
    assert dry["result"] is None and dry["changes"] == {"key": {"old": None, "new": "<hidden>"}}
    assert writes(pbs_simulator.exchanges()) == []
    done = st.present("sub", key=KEY)
    assert done["result"] is True, done["comment"]
    assert done["changes"]["key"] == {"old": None, "new": "<hidden>"}
    assert done["changes"]["status"] == {"old": "notfound", "new": "active"}
    again = st.present("sub", key=KEY)
    assert again["result"] is True and again["changes"] == {}
    changed = st.present("sub", key=OTHER)
    assert changed["changes"] == {"key": {"old": "<hidden>", "new": "<hidden>"}}
    assert KEY not in repr(changed) and OTHER not in repr(changed)
    assert len(writes(pbs_simulator.exchanges())) == 2
    gone = st.absent("sub")
    assert gone["result"] is True and gone["changes"] == {"key": {"old": "<hidden>", "new": None}}
    assert st.absent("sub")["changes"] == {}


def test_key_the_shop_refuses_fails_the_state(pbs_states, pbs_simulator):
    pbs_simulator.state.runtime["subscription-shop"] = {
        KEY: {"status": "invalid", "message": "Invalid Server ID"}}
    ret = pbs_states.pbs_subscription.present("sub", key=KEY)
    assert ret["result"] is False
    assert ret["comment"].endswith("the shop reports it invalid: Invalid Server ID")


def test_without_audit_the_hash_decides(pbs_states, pbs_loaders, pbs_simulator, pbs_minion_config):
    # Sys.Modify on /system, nothing on /: PBS does not show this token the key
    secret = pbs_simulator.create_token("root@pam", "sub")
    pbs_simulator.add_acl("/system", "root@pam!sub", "Admin", propagate=False)
    block = {k: v for k, v in pbs_minion_config.items() if k not in ("username", "password")}
    configure_pbs(pbs_loaders, {**block, "token_id": "root@pam!sub", "token_secret": secret})
    ret = pbs_states.pbs_subscription.present("sub", key=KEY)
    assert ret["result"] is True, ret["comment"]
    assert ret["changes"]["key"] == {"old": None, "new": "<hidden>"}
    again = pbs_states.pbs_subscription.present("sub", key=KEY)
    assert again["result"] is True and again["changes"] == {}
    other = pbs_states.pbs_subscription.present("sub", key=OTHER, test=True)
    assert other["result"] is None and other["changes"]["key"]["old"] == "<hidden>"
    always = pbs_states.pbs_subscription.present("sub", key=KEY, update_secret="always")
    assert always["changes"] == {"key": {"old": "<hidden>", "new": "<hidden>"}}
    assert len(writes(pbs_simulator.exchanges())) == 2


def test_malformed_key_fails_before_any_request(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_subscription.present("sub", key="pbsc-SECRETVAL")
    assert ret["result"] is False and "'key'" in ret["comment"]
    assert "SECRETVAL" not in ret["comment"]
    assert pbs_simulator.exchanges() == []
