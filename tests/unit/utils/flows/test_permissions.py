"""Effective permissions: ACL roles evaluated as PBS does, a token's privileges against
its user's (no PBS needed)."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.flows import permissions
from saltext.pbs.utils.kinds import access
from tests.unit.utils.recorder import Recorder
from tests.unit.utils.recorder import Resp


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
    assert permissions.acl_roles(entries, "a@pbs", "/") == {"Audit": True}
    assert permissions.acl_roles(entries, "a@pbs", "/datastore") == {"DatastoreAdmin": False}
    # a non-propagating entry above the path does not count: the inherited set stays
    assert permissions.acl_roles(entries, "a@pbs", "/datastore/s2") == {"Audit": True}
    assert permissions.acl_roles(entries, "a@pbs", "/datastore/s1/x") == {"DatastoreBackup": True}
    assert permissions.acl_roles(entries, "a@pbs", "/datastore/s1/ns") == {"NoAccess": True}
    assert permissions.acl_roles(entries, "c@pbs", "/datastore/s1") == {}
    privs = permissions.role_privileges({"Admin": True}, {"Sys.Audit", "Sys.Modify"})
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

    out = permissions.permissions(Client(), "a@pbs!t", "/datastore/s1")
    assert out["user"] == "a@pbs"
    assert out["token_acl_privileges"]["/datastore/s1"] == sorted(access.ROLES["DatastoreAdmin"])
    assert "Datastore.Backup" not in out["lacking_in_user"]["/datastore/s1"]
    assert "Datastore.Audit" in out["lacking_in_user"]["/datastore/s1"]
    with pytest.raises(SaltInvocationError, match="'auth_id'"):
        permissions.permissions(Client(), "nobody", "/")
