"""Access-control catalog entries and helpers: validation, ACL evaluation, token sinks,
password changes and the engine hooks they use (no PBS needed)."""

import os
import stat

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils import objects
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.client import PbsClient
from saltext.pbs.utils.errors import PbsNotFoundError
from saltext.pbs.utils.kinds import access
from saltext.pbs.utils.kinds import realms
from saltext.pbs.utils.kinds.token_sink import Sink


class Resp:
    def __init__(self, data=None, digest=None):
        self.data, self.digest = data, digest


class Recorder:
    """Records requests; answers GETs from ``answers`` ({path: data}, missing -> not found)."""

    url = "https://pbs.example:8007"
    path = staticmethod(PbsClient.path)
    node = "localhost"

    def __init__(self, answers=None, username="root@pam", token_id=None, password="pw"):
        self.answers = dict(answers or {})
        self.requests = []
        self.username, self.token_id = username, token_id
        self.auth_id = token_id or username
        self.conf = {"password": password}

    def request(self, method, path, params=None, data=None):
        self.requests.append((method, path, params if method in ("GET", "DELETE") else data))
        if method == "GET":
            if path not in self.answers:
                raise PbsNotFoundError(f"no such thing {path}")
            return Resp(self.answers[path], "d" * 64)
        if method == "POST" and "/token/" in path:
            return Resp({"tokenid": "x", "value": "the-secret-value"})
        return Resp(None)

    def get(self, path, params=None):
        return self.request("GET", path, params=params)

    def put(self, path, data=None):
        return self.request("PUT", path, data=data)

    def post(self, path, data=None):
        return self.request("POST", path, data=data)

    def delete(self, path, params=None):
        return self.request("DELETE", path, params=params)


# ----- bad input names the field ----------------------------------------------------------
def test_user_id_without_realm():
    with pytest.raises(SaltInvocationError, match=r"User name 'backup'.*name@realm"):
        access.check_user("backup", {})


@pytest.mark.parametrize("realm", ["pam", "ldap", "ad", "openid", "corp"])
def test_password_refused_outside_pbs_realm(realm):
    with pytest.raises(SaltInvocationError, match=r"'password'.*realm"):
        access.check_user(f"alice@{realm}", {"password": "long-enough-1"})
    assert access.check_user("alice@pbs", {"password": "long-enough-1"}) == "alice@pbs"


def test_password_length_and_empty_name_parts():
    with pytest.raises(SaltInvocationError, match="'password'.*at least 8"):
        catalog.desired(access.USER, {"password": "short"}, "create")
    with pytest.raises(SaltInvocationError, match="'firstname'"):
        catalog.desired(access.USER, {"firstname": ""}, "present")


def test_token_id_without_bang():
    with pytest.raises(SaltInvocationError, match=r"user@realm!tokenname"):
        access.token_ids("backup@pbs")
    assert access.token_ids("a@b.c@pbs!t-1") == ("a@b.c@pbs!t-1", {"userid": "a@b.c@pbs"})


def test_token_item_path_splits_the_id():
    client = Recorder()
    path = objects.item_path(client, access.TOKEN, "backup@pbs!pve1", {"userid": "backup@pbs"})
    assert path == "/access/users/backup%40pbs/token/pve1"


@pytest.mark.parametrize(
    "args,field",
    [
        (("/datastore/s1", "backup@pbs", "Superuser"), "'role'"),
        (("/datastore/s1", "backup@pbs", "datastorebackup"), "'role'"),
        (("/bogus", "backup@pbs", "Audit"), "'name'"),
        (("datastore/s1", "backup@pbs", "Audit"), "'name'"),
        (("/datastore//s1", "backup@pbs", "Audit"), "'name'"),
        (("/system/foo", "backup@pbs", "Audit"), "'name'"),
        (("/", "backup", "Audit"), "'auth_id'"),
        (("/", "backup@pbs!", "Audit"), "'auth_id'"),
        (("/", None, "Audit"), "'auth_id'"),
    ],
)
def test_acl_bad_input_names_the_field(args, field):
    with pytest.raises(SaltInvocationError) as exc:
        access.acl_entry(*args)
    assert field in str(exc.value)


def test_group_acl_refused():
    with pytest.raises(SaltInvocationError, match="'group'.*PBS 4 does not support group"):
        access.acl_entry("/", None, "Audit", group="admins")


@pytest.mark.parametrize(
    "path", ["/", "/datastore/s1/a/b/c", "/remote/r1/s1", "/system/network/dns", "/tape/pool/p1"]
)
def test_acl_paths_pbs_accepts(path):
    assert access.acl_entry(path, "a@pbs!t", "Audit").path == path


def test_token_whose_user_does_not_exist_is_refused_before_create(tmp_path):
    client = Recorder(answers={})
    sink = Sink(str(tmp_path / "t"))
    with pytest.raises(SaltInvocationError, match=r"'name'.*'ghost@pbs' does not exist"):
        access.create_token(client, "ghost@pbs!t1", sink)
    assert [r[0] for r in client.requests] == ["GET"]
    assert not (tmp_path / "t").exists()


def test_token_create_needs_a_sink_or_return_secret():
    with pytest.raises(SaltInvocationError, match="secret_file"):
        access.create_token(Recorder(), "a@pbs!t", None)


# ----- token secrets ------------------------------------------------------------------------
def test_create_token_writes_sink_and_returns_no_secret(tmp_path):
    client = Recorder(answers={"/access/users/a%40pbs": {"userid": "a@pbs"}})
    sink = Sink.from_args(secret_file=str(tmp_path / "d" / "a.token"))
    out = access.create_token(client, "a@pbs!t", sink, properties={"comment": "c"})
    assert out == {"tokenid": "a@pbs!t", "secret_written_to": f"file {tmp_path}/d/a.token"}
    path = tmp_path / "d" / "a.token"
    assert path.read_text() == "a@pbs!t:the-secret-value\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert sink.holds("a@pbs!t") and not sink.holds("a@pbs!other")
    post = client.requests[-1]
    assert post == ("POST", "/access/users/a%40pbs/token/t", {"comment": "c"})
    shown = access.create_token(client, "a@pbs!t", None, return_secret=True)
    assert shown["secret"] == "the-secret-value"


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"secret_file": "rel/path"}, "'secret_file'"),
        ({"secret_sdb": "vault/x"}, "'secret_sdb'"),
        ({"secret_sdb": "sdb://only-profile"}, "'secret_sdb'"),
        ({"secret_file": "/a", "secret_sdb": "sdb://p/k"}, "not both"),
    ],
)
def test_sink_arguments_validated(kwargs, field):
    with pytest.raises(SaltInvocationError, match=field):
        Sink.from_args(**kwargs)


def test_sink_write_failure_names_sink_not_secret(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    sink = Sink(str(blocker / "sub" / "t.token"))
    with pytest.raises(CommandExecutionError) as exc:
        sink.write("a@pbs!t", "the-secret-value")
    assert "pbs_token.regenerate a@pbs!t secret_file=" in str(exc.value)
    assert "the-secret-value" not in str(exc.value)


# ----- passwords ---------------------------------------------------------------------------
def test_password_change_as_root_sends_no_confirmation():
    client = Recorder()
    access.set_password(client, access.USER, "a@pbs", "new-pass-1")
    assert client.requests == [
        ("PUT", "/access/password", {"userid": "a@pbs", "password": "new-pass-1"})
    ]


def test_password_change_as_other_user_confirms_with_profile_password():
    client = Recorder(username="admin@pbs", password="admin-pw")
    access.set_password(client, access.USER, "a@pbs", "new-pass-1")
    assert client.requests[0][2]["confirmation-password"] == "admin-pw"


def test_password_change_refused_under_token_auth():
    client = Recorder(username=None, token_id="root@pam!salt")
    with pytest.raises(SaltInvocationError, match="refuses API tokens") as exc:
        access.set_password(client, access.USER, "a@pbs", "new-pass-1")
    assert "new-pass-1" not in str(exc.value)
    assert client.requests == []


def test_update_via_property_leaves_item_put_out():
    client = Recorder()
    objects.send_update(client, access.USER, "a@pbs", {"password": "new-pass-1"}, (), "d" * 64)
    assert [r[:2] for r in client.requests] == [("PUT", "/access/password")]
    client = Recorder()
    objects.send_update(client, access.USER, "a@pbs", {"password": "p" * 8, "comment": "c"})
    assert [r[:2] for r in client.requests] == [
        ("PUT", "/access/users/a%40pbs"),
        ("PUT", "/access/password"),
    ]
    assert "password" not in client.requests[0][2]


# ----- ACL entries -------------------------------------------------------------------------
def test_acl_update_and_delete_are_puts_on_the_collection():
    client = Recorder()
    entry = access.acl_entry("/datastore/s1", "a@pbs", "DatastoreBackup")
    objects.send_update(client, access.ACL, entry, {"propagate": False}, (), "d" * 64)
    objects.send_delete(client, access.ACL, entry, None, "d" * 64)
    ids = {"path": "/datastore/s1", "auth-id": "a@pbs", "role": "DatastoreBackup"}
    assert client.requests == [
        ("PUT", "/access/acl", {"propagate": False, "digest": "d" * 64, **ids}),
        ("PUT", "/access/acl", {**ids, "delete": True, "digest": "d" * 64}),
    ]


def _e(path, ugid, role, propagate=True):
    return {"path": path, "ugid": ugid, "roleid": role, "propagate": propagate}


def test_acl_roles_evaluated_as_pbs_does():
    entries = [
        _e("/", "a@pbs", "Audit"),
        _e("/datastore", "a@pbs", "DatastoreAdmin", propagate=False),
        _e("/datastore/s1", "a@pbs", "DatastoreBackup"),
        _e("/datastore/s1/ns", "a@pbs", "NoAccess"),
        _e("/datastore/s1/ns", "a@pbs", "DatastoreReader"),
        _e("/datastore/s1", "b@pbs", "Admin"),
    ]
    assert access.acl_roles(entries, "a@pbs", "/") == {"Audit": True}
    assert access.acl_roles(entries, "a@pbs", "/datastore") == {"DatastoreAdmin": False}
    # a non-propagating entry above the path does not count: the inherited set stays
    assert access.acl_roles(entries, "a@pbs", "/datastore/s2") == {"Audit": True}
    assert access.acl_roles(entries, "a@pbs", "/datastore/s1/x") == {"DatastoreBackup": True}
    assert access.acl_roles(entries, "a@pbs", "/datastore/s1/ns") == {"NoAccess": True}
    assert access.acl_roles(entries, "c@pbs", "/datastore/s1") == {}
    privs = access.role_privileges({"Admin": True}, {"Sys.Audit", "Sys.Modify"})
    assert privs == {"Sys.Audit", "Sys.Modify"}


def test_permissions_show_token_user_intersection():
    entries = [
        _e("/datastore/s1", "a@pbs!t", "DatastoreAdmin"),
        _e("/datastore/s1", "a@pbs", "DatastoreBackup"),
    ]

    class Client(Recorder):
        def get(self, path, params=None):
            self.requests.append(("GET", path, params))
            if path == "/access/acl":
                return Resp(entries)
            if path == "/access/roles":
                return Resp([{"roleid": "Admin", "privs": ["Datastore.Audit"]}])
            if params["auth-id"] == "a@pbs":
                return Resp({"/datastore/s1": {"Datastore.Backup": True}})
            return Resp({"/datastore/s1": {"Datastore.Backup": True}})

    out = access.permissions(Client(), "a@pbs!t", "/datastore/s1")
    assert out["user"] == "a@pbs"
    assert out["token_acl_privileges"]["/datastore/s1"] == sorted(access.ROLES["DatastoreAdmin"])
    assert "Datastore.Backup" not in out["lacking_in_user"]["/datastore/s1"]
    assert "Datastore.Audit" in out["lacking_in_user"]["/datastore/s1"]
    with pytest.raises(SaltInvocationError, match="'auth_id'"):
        access.permissions(Client(), "nobody", "/")


# ----- realms and WebAuthn -----------------------------------------------------------------
def test_realm_variants_and_required_properties():
    assert set(realms.REALM.types) == {"ldap", "ad", "openid"}
    ldap = realms.REALM.variant("ldap")
    assert catalog.missing_required(ldap, {"server1": "x"}) == ["base_dn", "user_attr"]
    assert catalog.missing_required(realms.REALM.variant("ad"), {"server1": "x"}) == []
    with pytest.raises(SaltInvocationError, match="'type'"):
        realms.REALM.variant("kerberos")
    with pytest.raises(SaltInvocationError, match="Invalid Realm|Invalid LDAP realm name"):
        ldap.check_id("x")


def test_realm_lists_and_secrets():
    ldap = realms.REALM.variant("ldap")
    values = catalog.desired(ldap, {"user_classes": "b, a;a", "password": "bind"}, "create")
    assert values["user-classes"] == ["a", "b"]
    assert catalog.wire_body(ldap, values)["user-classes"] == "a,b"
    assert catalog.display(ldap, values)["password"] == catalog.HIDDEN
    assert ldap.prop("default").resend


def test_realm_default_resent_on_update():
    current = {"realm": "corp", "server1": "a", "default": True}
    client = Recorder(answers={"/config/access/ldap": [current]})
    ret = reconcile.present(
        realms.REALM,
        "corp",
        {"type": "ldap", "server1": "b"},
        opts={"test": False, "cachedir": "/nonexistent"},
        context={},
        client=client,
    )
    assert ret["result"] is True, ret["comment"]
    assert ret["changes"] == {"server1": {"old": "a", "new": "b"}}
    (put,) = [r for r in client.requests if r[0] == "PUT"]
    assert put[2]["default"] is True and put[2]["server1"] == "b"


def test_webauthn_origin_normalised_and_root_only():
    origin = realms.WEBAUTHN.prop("origin")
    assert origin.coerce("HTTPS://PBS.example.com:443/ui") == "https://pbs.example.com"
    assert origin.coerce("https://[::1]:8007") == "https://[::1]:8007"
    with pytest.raises(SaltInvocationError, match="'origin'"):
        origin.coerce("pbs.example.com")
    with pytest.raises(SaltInvocationError, match="only root@pam"):
        realms.root_only(Recorder(username=None, token_id="root@pam!t"))
    realms.root_only(Recorder())
