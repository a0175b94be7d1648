"""pbs_remote states through real Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

PROPS = {"host": "pbs2.example.com", "auth_id": "sync@pbs!pull", "password": "remote-secret-1"}


@pytest.mark.parametrize("policy", ["on_change", "always", "on_create"])
def test_secret_policies(pbs_states, pbs_simulator, policy):
    present = pbs_states.pbs_remote.present
    assert present(name="offsite", update_secret=policy, **PROPS).result is True
    pbs_simulator.clear_exchanges()
    same = present(name="offsite", update_secret=policy, **PROPS)
    changed = present(
        name="offsite", update_secret=policy, **{**PROPS, "password": "remote-secret-2"}
    )
    sent = [e["body"]["password"] for e in writes(pbs_simulator.exchanges())]
    expected = {
        "on_change": ([], ["remote-secret-2"]),
        "always": (["<hidden>"], ["remote-secret-1", "remote-secret-2"]),
        "on_create": ([], []),
    }[policy]
    assert [v["new"] for v in same.changes.values()] == expected[0]
    assert sent == expected[1]
    for ret in (same, changed):
        assert "remote-secret" not in repr(ret.raw)


def test_bad_update_secret_and_bad_input(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_remote.present(name="offsite", update_secret="sometimes", **PROPS)
    assert ret.result is False and "update_secret" in ret.comment
    ret = pbs_states.pbs_remote.present(name="offsite", **{**PROPS, "host": "pbs 2"})
    assert ret.result is False and "'host'" in ret.comment
    ret = pbs_states.pbs_remote.present(name="of", **PROPS)
    assert ret.result is False and "Invalid Remote name" in ret.comment
    assert pbs_simulator.exchanges() == []


def test_digest_race_is_replanned(pbs_states, pbs_simulator):
    pbs_states.pbs_remote.present(name="offsite", comment="a", **PROPS)
    pbs_simulator.faults.digest_race("remote.cfg")
    ret = pbs_states.pbs_remote.present(name="offsite", comment="b", **PROPS)
    assert ret.result is True, ret.comment
    assert pbs_simulator.state.file("remote.cfg").props("offsite")["comment"] == "b"


def test_drift_on_port_is_reported_and_fixed(pbs_states, pbs_simulator):
    pbs_states.pbs_remote.present(name="offsite", port=8007, **PROPS)
    pbs_simulator.state.file("remote.cfg").get("offsite")["port"] = 9999
    ret = pbs_states.pbs_remote.present(name="offsite", port=8007, test=True, **PROPS)
    assert ret.result is None and ret.changes == {"port": {"old": 9999, "new": 8007}}
    ret = pbs_states.pbs_remote.present(name="offsite", port=8007, **PROPS)
    assert ret.result is True
    assert pbs_simulator.state.file("remote.cfg").props("offsite")["port"] == 8007
