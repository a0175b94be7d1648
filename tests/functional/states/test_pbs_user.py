"""pbs_user states through Salt loaders against the simulated PBS.

Results are checked in the simulator's state and its (unmasked) exchanges.
"""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _user(sim, userid):
    return sim.state.user(userid)


def _writes(sim):
    return writes(sim.exchanges())


def test_user_create_reapply_change_and_absent(pbs_states, pbs_simulator):
    sim = pbs_simulator
    props = {"email": "ops@example.com", "comment": "PVE backups", "password": "s3cret-pass-1"}
    ret = pbs_states.pbs_user.present(name="backup@pbs", **props)
    assert ret.result is True, ret.comment
    assert ret.changes["new"]["password"] == "<hidden>"
    assert ret.changes["new"]["userid"] == "backup@pbs"
    assert _user(sim, "backup@pbs")["email"] == "ops@example.com"
    assert sim.state.check_password("backup@pbs", "s3cret-pass-1")
    (create,) = _writes(sim)
    assert create["method"] == "POST" and create["body"]["password"] == "s3cret-pass-1"

    sim.clear_exchanges()
    ret = pbs_states.pbs_user.present(name="backup@pbs", enable=True, expire=0, **props)
    assert ret.result is True, ret.comment
    assert ret.changes == {}
    assert _writes(sim) == []

    ret = pbs_states.pbs_user.present(name="backup@pbs", **{**props, "comment": "changed"})
    assert ret.changes == {"comment": {"old": "PVE backups", "new": "changed"}}
    (put,) = _writes(sim)
    assert put["path"].endswith("/access/users/backup%40pbs")
    assert set(put["body"]) == {"comment", "digest"}

    sim.clear_exchanges()
    ret = pbs_states.pbs_user.absent(name="backup@pbs", test=True)
    assert ret.result is None and _writes(sim) == []
    ret = pbs_states.pbs_user.absent(name="backup@pbs")
    assert ret.result is True and ret.changes["new"] is None
    assert _user(sim, "backup@pbs") is None
    assert "ACL" in ret.comment


def test_user_disable_is_stored_and_enable_true_means_default(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_user.present(name="ops@pbs", enable=False)
    assert ret.result is True
    assert _user(pbs_simulator, "ops@pbs")["enable"] is False
    ret = pbs_states.pbs_user.present(name="ops@pbs", enable=True)
    assert ret.changes == {"enable": {"old": False, "new": True}}
    assert "enable" not in _user(pbs_simulator, "ops@pbs")  # PBS drops enable=true


def test_user_password_change_goes_through_access_password(pbs_states, pbs_simulator):
    sim = pbs_simulator
    pbs_states.pbs_user.present(name="backup@pbs", password="first-pass-1")
    sim.clear_exchanges()
    ret = pbs_states.pbs_user.present(name="backup@pbs", password="first-pass-1")
    assert ret.changes == {} and _writes(sim) == []

    ret = pbs_states.pbs_user.present(name="backup@pbs", password="second-pass-2", test=True)
    assert ret.result is None and "secret would change (hidden)" in ret.comment
    assert _writes(sim) == []

    ret = pbs_states.pbs_user.present(name="backup@pbs", password="second-pass-2")
    assert ret.result is True, ret.comment
    assert ret.changes == {"password": {"old": "<hidden>", "new": "<hidden>"}}
    (put,) = _writes(sim)
    assert put["path"] == "/api2/json/access/password"
    assert put["body"] == {"userid": "backup@pbs", "password": "second-pass-2"}  # root@pam
    assert sim.state.check_password("backup@pbs", "second-pass-2")
    assert "second-pass-2" not in repr(ret)


def test_user_password_change_as_other_user_sends_confirmation(
    pbs_loaders, pbs_simulator, pbs_minion_config
):
    from tests.support.helpers import configure_pbs  # pylint: disable=import-outside-toplevel

    sim = pbs_simulator
    sim.state.users.set("admin@pbs", "user", {"userid": "admin@pbs"})
    sim.state.set_password("admin@pbs", "admin-pass-1")
    sim.add_acl("/", "admin@pbs", "Admin")
    sim.state.users.set("target@pbs", "user", {"userid": "target@pbs"})
    configure_pbs(
        pbs_loaders, {**pbs_minion_config, "username": "admin@pbs", "password": "admin-pass-1"}
    )
    ret = pbs_loaders.states.pbs_user.present(name="target@pbs", password="target-pass-2")
    assert ret.result is True, ret.comment
    (put,) = [e for e in _writes(sim) if e["path"].endswith("/access/password")]
    assert put["body"]["confirmation-password"] == "admin-pass-1"
    assert sim.state.check_password("target@pbs", "target-pass-2")


def test_user_password_change_under_token_auth_fails_clearly(
    pbs_loaders, pbs_simulator, pbs_minion_config
):
    from tests.support.helpers import configure_pbs  # pylint: disable=import-outside-toplevel

    sim = pbs_simulator
    sim.state.users.set("target@pbs", "user", {"userid": "target@pbs"})
    secret = sim.create_token("root@pam", "salt")
    sim.add_acl("/", "root@pam!salt", "Admin")
    block = {k: v for k, v in pbs_minion_config.items() if k not in ("username", "password")}
    configure_pbs(pbs_loaders, {**block, "token_id": "root@pam!salt", "token_secret": secret})
    sim.clear_exchanges()
    ret = pbs_loaders.states.pbs_user.present(name="target@pbs", password="target-pass-2")
    assert ret.result is False
    assert "API tokens" in ret.comment and "username/password" in ret.comment
    assert "target-pass-2" not in ret.comment
    assert _writes(sim) == []


@pytest.mark.parametrize("userid", ["alice@pam", "bob@ldap1"])
def test_user_password_outside_pbs_realm_refused(pbs_states, pbs_simulator, userid):
    ret = pbs_states.pbs_user.present(name=userid, password="whatever-1")
    assert ret.result is False
    assert "'password'" in ret.comment and "realm" in ret.comment
    assert pbs_simulator.exchanges() == []


def test_user_without_realm_refused(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_user.present(name="backup")
    assert ret.result is False and "name@realm" in ret.comment
    assert pbs_simulator.exchanges() == []
