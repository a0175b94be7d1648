"""pbs_realm.present / absent with the built-in ``pam`` and ``pbs`` realms through Salt
loaders against the simulated PBS."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_present_changes_only_what_is_given(pbs_states, pbs_modules, pbs_simulator):
    st = pbs_states.pbs_realm
    dry = st.present("pbs", type="pbs", comment="local users", default=True, test=True)
    assert dry["result"] is None and writes(pbs_simulator.exchanges()) == []
    assert dry["changes"] == {
        "comment": {"old": "Proxmox Backup authentication server", "new": "local users"},
        "default": {"old": False, "new": True},
    }
    done = st.present("pbs", type="pbs", comment="local users", default=True)
    assert done["result"] is True and done["changes"] == dry["changes"]
    again = st.present("pbs", comment="local users", default=True)  # type optional here
    assert again["result"] is True and again["changes"] == {}
    assert "default" not in pbs_modules.pbs_realm.get("pam")
    back = st.present("pam", type="pam", default=True)
    assert back["changes"] == {"default": {"old": False, "new": True}}
    assert "default" not in pbs_modules.pbs_realm.get("pbs")


@pytest.mark.parametrize("realm", ["pam", "pbs"])
def test_absent_is_refused(pbs_states, pbs_simulator, realm):
    for kwargs in ({}, {"type": realm}):
        ret = pbs_states.pbs_realm.absent(realm, **kwargs)
        assert ret["result"] is False and "always exists and cannot be removed" in ret["comment"]
    assert writes(pbs_simulator.exchanges()) == []


def test_mismatched_name_and_type_fail(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_realm.present("corp", type="pam", comment="x")
    assert ret["result"] is False and "'name'" in ret["comment"]
    ret = pbs_states.pbs_realm.present("pam", type="ldap", server1="x")
    assert ret["result"] is False and "'type'" in ret["comment"]
    assert writes(pbs_simulator.exchanges()) == []
