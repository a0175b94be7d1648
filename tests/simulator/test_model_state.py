"""SimState: per-file digests, built-ins, ACL evaluation and token privilege separation."""

from types import SimpleNamespace

import pytest

from saltext.pbs.simulator import perms
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.state import SimState


@pytest.fixture
def state():
    st = SimState(root_password="rootpw")
    users = st.file("user.cfg")
    users.set("ci@pbs", "user", {"userid": "ci@pbs"})
    users.set("ci@pbs!tok", "token", {"tokenid": "ci@pbs!tok"})
    st.secret_store("token.shadow")["ci@pbs!tok"] = "s3cret"
    return st


def test_builtins(state):
    assert state.user("root@pam")["comment"] == "Superuser"
    assert {k for k, _ in state.file("domains.cfg").items()} == {"pam", "pbs"}
    notif = state.file("notifications.cfg")
    assert notif.get("mail-to-root", "sendmail")["mailto-user"] == ["root@pam"]
    assert notif.get("default-matcher", "matcher")["target"] == ["mail-to-root"]
    assert state.file("acme/plugins.cfg").get("standalone") is not None
    assert state.check_password("root@pam", "rootpw")
    assert not state.check_password("root@pam", "wrong")


def test_digest_is_per_file_and_changes_with_other_entries(state):
    ds = state.file("datastore.cfg")
    ds.set("a", "datastore", {"name": "a", "path": "/a"})
    ds.set("b", "datastore", {"name": "b", "path": "/b"})
    held_for_a = ds.digest()
    users_digest = state.file("user.cfg").digest()
    ds.set("b", "datastore", {"name": "b", "path": "/b", "comment": "x"})
    assert ds.digest() != held_for_a  # editing b invalidates a's digest
    assert state.file("user.cfg").digest() == users_digest  # other files untouched
    assert len(held_for_a) == 64 and held_for_a == held_for_a.lower()


def test_digest_deterministic_and_bump(state):
    ds = state.file("datastore.cfg")
    ds.set("a", "datastore", {"name": "a", "path": "/a"})
    before = ds.digest()
    assert ds.digest() == before
    ds.bump()
    assert ds.digest() != before


def test_token_creation_changes_user_digest(state):
    digest = state.users.digest()
    state.users.set("ci@pbs!t2", "token", {"tokenid": "ci@pbs!t2"})
    assert state.users.digest() != digest


def test_round_trip(state):
    state.acl_add("/datastore", "ci@pbs", "DatastoreAdmin")
    again = SimState.from_dict(state.to_dict())
    assert again.to_dict() == state.to_dict()
    assert again.file("acl.cfg").digest() == state.file("acl.cfg").digest()
    assert again.check_token("ci@pbs!tok", "s3cret")


def test_acl_propagation_and_override(state):
    state.acl_add("/datastore", "ci@pbs", "DatastoreAdmin", propagate=True)
    assert "Datastore.Modify" in state.privileges("ci@pbs", "/datastore/s1")
    # a role deeper in the tree replaces the inherited set
    state.acl_add("/datastore/s1", "ci@pbs", "DatastoreAudit")
    assert state.privileges("ci@pbs", "/datastore/s1") == {"Datastore.Audit"}
    assert state.privileges("ci@pbs", "/datastore/s1/ns") == {"Datastore.Audit"}
    # non-propagating roles only count at their node
    state.acl_add("/remote", "ci@pbs", "RemoteAdmin", propagate=False)
    assert "Remote.Modify" in state.privileges("ci@pbs", "/remote")
    assert state.privileges("ci@pbs", "/remote/r1") == set()


def test_noaccess_blocks_and_replaces(state):
    state.acl_add("/", "ci@pbs", "Admin")
    state.acl_add("/datastore/secret", "ci@pbs", "DatastoreAudit")
    state.acl_add("/datastore/secret", "ci@pbs", "NoAccess")
    assert state.acl_roles("ci@pbs", "/datastore/secret") == {"NoAccess": False}
    assert state.privileges("ci@pbs", "/datastore/secret") == set()
    assert "Sys.Audit" in state.privileges("ci@pbs", "/system")
    # adding another role removes NoAccess at that node
    state.acl_add("/datastore/secret", "ci@pbs", "DatastoreAudit")
    assert state.privileges("ci@pbs", "/datastore/secret") == {"Datastore.Audit"}


def test_token_privileges_are_intersection(state):
    assert state.privileges("ci@pbs!tok", "/") == set()
    state.acl_add("/", "ci@pbs!tok", "Admin")
    assert state.privileges("ci@pbs!tok", "/") == set()  # owner has nothing
    state.acl_add("/datastore", "ci@pbs", "DatastoreAudit")
    assert state.privileges("ci@pbs!tok", "/datastore/x") == {"Datastore.Audit"}


def test_root_superuser_but_not_its_tokens(state):
    assert state.privileges("root@pam", "/anything") == set(perms.PRIVILEGES)
    state.users.set("root@pam!t", "token", {"tokenid": "root@pam!t"})
    assert state.privileges("root@pam!t", "/") == set()
    state.acl_add("/datastore", "root@pam!t", "DatastoreAudit")
    assert state.privileges("root@pam!t", "/datastore") == {"Datastore.Audit"}


def test_auth_active_disabled_and_expired(state):
    assert state.auth_active("ci@pbs!tok")
    assert state.check_token("ci@pbs!tok", "s3cret")
    assert not state.check_token("ci@pbs!tok", "nope")
    state.users.set("ci@pbs", "user", {"userid": "ci@pbs", "enable": False})
    assert not state.auth_active("ci@pbs!tok")  # owner disabled
    state.users.set("ci@pbs", "user", {"userid": "ci@pbs", "expire": 1})
    assert not state.auth_active("ci@pbs")
    state.users.set("ci@pbs", "user", {"userid": "ci@pbs"})
    state.users.set("ci@pbs!tok", "token", {"tokenid": "ci@pbs!tok", "enable": False})
    assert state.auth_active("ci@pbs") and not state.auth_active("ci@pbs!tok")


def _ctx(state, auth_id):
    return SimpleNamespace(
        state=state, auth_id=auth_id, userid=auth_id.split("!")[0], path_params={}
    )


def test_permission_objects(state):
    state.acl_add("/datastore/s1", "ci@pbs", "DatastoreAudit")
    ctx = _ctx(state, "ci@pbs")
    audit = perms.Privilege("/datastore/{name}", "Datastore.Audit")
    assert audit.check(ctx, {"name": "s1"})
    assert not audit.check(ctx, {"name": "s2"})
    assert perms.Privilege("/datastore/{name}", ("Datastore.Audit", "Datastore.Modify"),
                           any_of=True).check(ctx, {"name": "s1"})
    assert not perms.Superuser().check(ctx, {})
    assert perms.Superuser().check(_ctx(state, "root@pam"), {})
    assert perms.Anybody().check(ctx, {})
    assert (perms.Privilege("/access/users", "Sys.Audit") | perms.SelfParam("userid")).check(
        ctx, {"userid": "ci@pbs"}
    )


def test_check_privs_quirk_text(state):
    ctx = _ctx(state, "ci@pbs")
    with pytest.raises(ApiError) as exc:
        perms.check_privs(ctx, "/datastore/s1", ("Datastore.Modify", "Datastore.Audit"))
    assert exc.value.status == 400
    assert str(exc.value) == (
        "missing permissions 'Datastore.Audit&Datastore.Modify' on '/datastore/s1'"
    )
    with pytest.raises(ApiError) as exc:
        perms.check_privs(ctx, "/", ("Sys.Audit", "Sys.Modify"), any_of=True)
    assert str(exc.value) == "missing permissions 'Sys.Audit|Sys.Modify' on '/'"


def test_roles_table():
    assert perms.ROLES["Admin"][0] == perms.PRIVILEGES
    assert set(perms.ROLES["DatastorePowerUser"][0]) == {"Datastore.Backup", "Datastore.Prune"}
    assert len(perms.ROLES) == 18
