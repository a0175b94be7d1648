"""pbs_user, pbs_token and pbs_acl states through Salt loaders against the simulated PBS.

Results are checked in the simulator's state and its (unmasked) exchanges.
"""

import logging
import os
import stat

import pytest

from saltext.pbs.utils.client import PbsClient
from tests.support.helpers import pbs_config_for
from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _user(sim, userid):
    return sim.state.user(userid)


def _writes(sim):
    return writes(sim.exchanges())


# ----- users -------------------------------------------------------------------------------
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


# ----- tokens ------------------------------------------------------------------------------
@pytest.fixture
def backup_user(pbs_simulator):
    pbs_simulator.state.users.set("backup@pbs", "user", {"userid": "backup@pbs"})
    pbs_simulator.clear_exchanges()
    return "backup@pbs"


def _secret_line(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def test_token_created_secret_to_0600_file_only(pbs_states, pbs_simulator, backup_user, tmp_path):
    sim = pbs_simulator
    sink = tmp_path / "sub" / "pve1.token"
    ret = pbs_states.pbs_token.present(
        name="backup@pbs!pve1", comment="PVE host", secret_file=str(sink)
    )
    assert ret.result is True, ret.comment
    assert ret.changes["new"] == {
        "tokenid": "backup@pbs!pve1",
        "comment": "PVE host",
        "secret": "<hidden>",
    }
    secret = sim.state.secret_store("token.shadow")["backup@pbs!pve1"]
    assert _secret_line(sink) == f"backup@pbs!pve1:{secret}\n"
    assert stat.S_IMODE(os.stat(sink).st_mode) == 0o600
    assert secret not in repr(ret)

    sim.clear_exchanges()
    ret = pbs_states.pbs_token.present(
        name="backup@pbs!pve1", comment="PVE host", secret_file=str(sink)
    )
    assert ret.result is True and ret.changes == {}
    assert _writes(sim) == []

    ret = pbs_states.pbs_token.present(
        name="backup@pbs!pve1", comment="PVE host 1", enable=False, secret_file=str(sink)
    )
    assert ret.changes == {
        "comment": {"old": "PVE host", "new": "PVE host 1"},
        "enable": {"old": True, "new": False},
    }
    (put,) = _writes(sim)
    assert put["method"] == "PUT" and "regenerate" not in put["body"]
    assert sim.state.secret_store("token.shadow")["backup@pbs!pve1"] == secret  # not rotated


def test_token_create_test_mode_writes_nothing(pbs_states, pbs_simulator, backup_user, tmp_path):
    sink = tmp_path / "t.token"
    ret = pbs_states.pbs_token.present(name="backup@pbs!pve1", secret_file=str(sink), test=True)
    assert ret.result is None
    assert "would be written" in ret.comment
    assert _writes(pbs_simulator) == []
    assert not sink.exists()


def test_token_lost_secret_fails_with_rotation_hint(
    pbs_states, pbs_simulator, backup_user, tmp_path
):
    sim = pbs_simulator
    sink = tmp_path / "t.token"
    pbs_states.pbs_token.present(name="backup@pbs!pve1", secret_file=str(sink))
    old = sim.state.secret_store("token.shadow")["backup@pbs!pve1"]
    sink.unlink()
    sim.clear_exchanges()
    ret = pbs_states.pbs_token.present(name="backup@pbs!pve1", secret_file=str(sink))
    assert ret.result is False
    assert "pbs_token.regenerate backup@pbs!pve1 secret_file=" in ret.comment
    assert "regenerate_if_lost" in ret.comment
    assert _writes(sim) == []

    ret = pbs_states.pbs_token.present(
        name="backup@pbs!pve1", secret_file=str(sink), regenerate_if_lost=True, test=True
    )
    assert ret.result is None and _writes(sim) == []
    ret = pbs_states.pbs_token.present(
        name="backup@pbs!pve1", secret_file=str(sink), regenerate_if_lost=True
    )
    assert ret.result is True, ret.comment
    assert ret.changes == {"secret": {"old": "<hidden>", "new": "<hidden>"}}
    new = sim.state.secret_store("token.shadow")["backup@pbs!pve1"]
    assert new != old
    assert _secret_line(sink) == f"backup@pbs!pve1:{new}\n"


def test_token_secret_to_sdb(pbs_loaders, pbs_simulator, backup_user):
    pbs_loaders.opts["tokens"] = {"driver": "env"}  # sets os.environ of this process
    try:
        ret = pbs_loaders.states.pbs_token.present(
            name="backup@pbs!mon", secret_sdb="sdb://tokens/mon"
        )
        assert ret.result is True, ret.comment
        secret = pbs_simulator.state.secret_store("token.shadow")["backup@pbs!mon"]
        assert pbs_loaders.modules.sdb.get("sdb://tokens/mon") == secret
        ret = pbs_loaders.states.pbs_token.present(
            name="backup@pbs!mon", secret_sdb="sdb://tokens/mon"
        )
        assert ret.result is True and ret.changes == {}
    finally:
        pbs_loaders.opts.pop("tokens")
        os.environ.pop("mon", None)


def test_token_bad_input(pbs_states, pbs_simulator, tmp_path):
    ret = pbs_states.pbs_token.present(name="backup@pbs", secret_file=str(tmp_path / "x"))
    assert ret.result is False and "user@realm!tokenname" in ret.comment
    ret = pbs_states.pbs_token.present(name="nobody@pbs!t1", secret_file=str(tmp_path / "x"))
    assert ret.result is False
    assert (
        "'name'" in ret.comment and "nobody@pbs" in ret.comment and "does not exist" in ret.comment
    )
    ret = pbs_states.pbs_token.present(name="root@pam!t1")
    assert ret.result is False and "secret_file" in ret.comment
    ret = pbs_states.pbs_token.present(name="root@pam!t1", secret_file="relative/path")
    assert ret.result is False and "'secret_file'" in ret.comment
    assert writes(pbs_simulator.exchanges()) == []
    assert pbs_simulator.state.token("nobody@pbs!t1") is None


def test_token_absent(pbs_states, pbs_simulator, backup_user, tmp_path):
    pbs_simulator.create_token("backup@pbs", "gone")
    pbs_simulator.add_acl("/datastore", "backup@pbs!gone", "DatastoreAudit")
    ret = pbs_states.pbs_token.absent(name="backup@pbs!gone", test=True)
    assert ret.result is None and _writes(pbs_simulator) == []
    ret = pbs_states.pbs_token.absent(name="backup@pbs!gone")
    assert ret.result is True and ret.changes["new"] is None
    assert pbs_simulator.state.token("backup@pbs!gone") is None
    ret = pbs_states.pbs_token.absent(name="backup@pbs!gone")
    assert ret.result is True and ret.changes == {}


# ----- ACLs --------------------------------------------------------------------------------
def _acl(sim):
    return sorted(sim.state.acl_entries())


def test_acl_present_reapply_propagate_absent(pbs_states, pbs_simulator, backup_user):
    sim = pbs_simulator
    args = {"name": "/datastore/store1", "auth_id": "backup@pbs", "role": "DatastoreBackup"}
    ret = pbs_states.pbs_acl.present(**args)
    assert ret.result is True, ret.comment
    assert ret.name == "/datastore/store1"
    assert ret.changes == {
        "old": None,
        "new": {"path": "/datastore/store1", "auth_id": "backup@pbs", "role": "DatastoreBackup"},
    }
    assert _acl(sim) == [("/datastore/store1", "backup@pbs", "DatastoreBackup", True)]
    (put,) = _writes(sim)
    assert put["body"] == {
        "path": "/datastore/store1",
        "auth-id": "backup@pbs",
        "role": "DatastoreBackup",
    }

    sim.clear_exchanges()
    ret = pbs_states.pbs_acl.present(**args, propagate=True)
    assert ret.result is True and ret.changes == {} and _writes(sim) == []

    ret = pbs_states.pbs_acl.present(**args, propagate=False)
    assert ret.changes == {"propagate": {"old": True, "new": False}}
    (put,) = _writes(sim)
    assert put["body"]["propagate"] is False and "digest" in put["body"]
    assert _acl(sim) == [("/datastore/store1", "backup@pbs", "DatastoreBackup", False)]

    sim.clear_exchanges()
    ret = pbs_states.pbs_acl.absent(**args, test=True)
    assert ret.result is None and _writes(sim) == []
    ret = pbs_states.pbs_acl.absent(**args)
    assert ret.result is True and _acl(sim) == []
    (put,) = [w for w in _writes(sim)]
    assert put["body"]["delete"] is True


@pytest.mark.parametrize(
    "args,field",
    [
        ({"name": "/datastore/s1", "auth_id": "backup@pbs", "role": "Superuser"}, "'role'"),
        ({"name": "/nope", "auth_id": "backup@pbs", "role": "Audit"}, "'name'"),
        ({"name": "/datastore/", "auth_id": "backup@pbs", "role": "Audit"}, "'name'"),
        ({"name": "/", "auth_id": "backup", "role": "Audit"}, "'auth_id'"),
        ({"name": "/", "group": "admins", "role": "Audit"}, "'group'"),
    ],
)
def test_acl_bad_input(pbs_states, pbs_simulator, args, field):
    ret = pbs_states.pbs_acl.present(**args)
    assert ret.result is False and field in ret.comment, ret.comment
    assert pbs_simulator.exchanges() == []


def test_acl_unknown_auth_id_is_named(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_acl.present(name="/", auth_id="ghost@pbs!tok", role="Audit")
    assert ret.result is False
    assert "'auth_id'" in ret.comment and "ghost@pbs!tok" in ret.comment


def test_acl_managed_makes_path_exact(pbs_states, pbs_simulator, backup_user):
    sim = pbs_simulator
    sim.create_token("backup@pbs", "pve1")
    sim.add_acl("/datastore/store1", "backup@pbs", "DatastoreAdmin")
    sim.add_acl("/datastore/store1", "backup@pbs!pve1", "DatastoreBackup", propagate=False)
    sim.add_acl("/datastore/store1/ns", "backup@pbs", "DatastoreAudit")  # below: untouched
    entries = [
        {"auth_id": "backup@pbs", "role": "DatastoreBackup"},
        {"auth_id": "backup@pbs!pve1", "role": "DatastoreBackup", "propagate": True},
    ]
    sim.clear_exchanges()
    ret = pbs_states.pbs_acl.managed(name="/datastore/store1", entries=entries, test=True)
    assert ret.result is None and _writes(sim) == []
    assert set(ret.changes) == {
        "DatastoreAdmin for backup@pbs",
        "DatastoreBackup for backup@pbs",
        "DatastoreBackup for backup@pbs!pve1",
    }
    ret = pbs_states.pbs_acl.managed(name="/datastore/store1", entries=entries)
    assert ret.result is True, ret.comment
    assert _acl(sim) == [
        ("/datastore/store1", "backup@pbs", "DatastoreBackup", True),
        ("/datastore/store1", "backup@pbs!pve1", "DatastoreBackup", True),
        ("/datastore/store1/ns", "backup@pbs", "DatastoreAudit", True),
    ]
    sim.clear_exchanges()
    ret = pbs_states.pbs_acl.managed(name="/datastore/store1", entries=entries)
    assert ret.result is True and ret.changes == {} and _writes(sim) == []
    gets = [
        e for e in sim.exchanges() if e["method"] == "GET" and e["path"].endswith("/access/acl")
    ]
    assert len(gets) == 1


def test_acl_managed_bad_entry(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_acl.managed(name="/", entries=[{"auth_id": "a@pbs", "role": "Nope"}])
    assert ret.result is False and "entries[0]" in ret.comment and "'role'" in ret.comment
    ret = pbs_states.pbs_acl.managed(name="/", entries=[{"group": "g1", "role": "Audit"}])
    assert ret.result is False and "'group'" in ret.comment


def _regenerate_behind_salts_back(sim, tokenid):
    """Rotate a token with a plain API call, as another admin would."""
    user, name = tokenid.split("!")
    client = PbsClient(pbs_config_for(sim))
    try:
        path = PbsClient.path("/access/users/{u}/token/{t}", u=user, t=name)
        client.put(path, data={"regenerate": True})
    finally:
        client.close()


def _probes(sim):
    return [e["status"] for e in sim.exchanges() if e["path"] == "/api2/json/version"]


def test_token_regenerated_elsewhere_is_reported_and_rotated(
    pbs_states, pbs_simulator, backup_user, tmp_path, caplog
):
    sim = pbs_simulator
    sink = tmp_path / "t.token"
    tokenid = "backup@pbs!pve1"
    caplog.set_level(logging.DEBUG)
    ret = pbs_states.pbs_token.present(name=tokenid, secret_file=str(sink))
    assert ret.result is True, ret.comment
    first = sim.state.secret_store("token.shadow")[tokenid]
    sim.clear_exchanges()
    ret = pbs_states.pbs_token.present(name=tokenid, secret_file=str(sink))
    assert ret.result is True and ret.changes == {}
    assert _probes(sim) == [200]  # the stored secret was tried, and works

    _regenerate_behind_salts_back(sim, tokenid)
    elsewhere = sim.state.secret_store("token.shadow")[tokenid]
    sim.clear_exchanges()
    ret = pbs_states.pbs_token.present(name=tokenid, secret_file=str(sink))
    assert ret.result is False
    assert "rejected by PBS" in ret.comment
    assert f"pbs_token.regenerate {tokenid} secret_file=" in ret.comment
    assert "regenerate_if_lost" in ret.comment
    assert _probes(sim) == [401] and _writes(sim) == []
    assert _secret_line(sink) == f"{tokenid}:{first}\n"  # left alone

    ret = pbs_states.pbs_token.present(
        name=tokenid, secret_file=str(sink), regenerate_if_lost=True, test=True
    )
    assert ret.result is None and "would be regenerated" in ret.comment
    assert _writes(sim) == []

    ret = pbs_states.pbs_token.present(name=tokenid, secret_file=str(sink), regenerate_if_lost=True)
    assert ret.result is True, ret.comment
    assert ret.changes == {"secret": {"old": "<hidden>", "new": "<hidden>"}}
    new = sim.state.secret_store("token.shadow")[tokenid]
    assert new not in (first, elsewhere)
    assert _secret_line(sink) == f"{tokenid}:{new}\n"
    client = PbsClient(
        {"url": sim.url, "fingerprint": sim.fingerprint, "token_id": tokenid, "token_secret": new}
    )
    try:
        assert client.get("/version").data["version"]
    finally:
        client.close()
    sim.clear_exchanges()
    ret = pbs_states.pbs_token.present(name=tokenid, secret_file=str(sink))
    assert ret.result is True and ret.changes == {} and _probes(sim) == [200]

    ret = pbs_states.pbs_token.present(name=tokenid, secret_file=str(sink), enable=False)
    assert ret.result is True, ret.comment  # refused for being disabled, not for its secret
    assert "disabled or expired" in ret.comment

    for secret in (first, elsewhere, new):
        assert secret not in caplog.text
        assert secret not in repr(ret)


def test_token_probe_unreachable_is_not_a_bad_secret(
    pbs_states, pbs_simulator, backup_user, tmp_path
):
    sim = pbs_simulator
    sink = tmp_path / "t.token"
    tokenid = "backup@pbs!pve1"
    pbs_states.pbs_token.present(name=tokenid, secret_file=str(sink))
    secret = sim.state.secret_store("token.shadow")[tokenid]
    sim.faults.reset(count=1, path_prefix="/version")
    sim.clear_exchanges()
    ret = pbs_states.pbs_token.present(name=tokenid, secret_file=str(sink), regenerate_if_lost=True)
    assert ret.result is True and ret.changes == {}
    assert "could not be asked" in ret.comment
    assert sim.state.secret_store("token.shadow")[tokenid] == secret  # not rotated
    assert _writes(sim) == []
