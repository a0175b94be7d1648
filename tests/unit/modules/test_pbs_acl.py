"""Unit tests of the pbs_acl execution module: what it refuses before any request, and the
requests it sends."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.modules import pbs_acl


@pytest.fixture
def configure_loader_modules(module_dunders):
    return {pbs_acl: module_dunders}


@pytest.mark.parametrize(
    "args,field",
    [
        (("/datastore/s1", "backup@pbs", "Superuser"), "'role'"),
        (("/nope", "backup@pbs", "Audit"), "Invalid value for 'path': ACL path '/nope': .* not an ACL root"),
        (("/datastore/", "backup@pbs", "Audit"), "Invalid value for 'path': ACL path '/datastore/': must not end"),
        (("/", "backup", "Audit"), "'auth_id'"),
    ],
)
def test_create_refuses_bad_input_before_any_request(pbs, args, field):
    with pytest.raises(SaltInvocationError, match=field):
        pbs_acl.create(*args)
    assert pbs.requests == []


def test_group_acls_are_refused_before_any_request(pbs):
    with pytest.raises(SaltInvocationError, match="'group'"):
        pbs_acl.create("/", None, "Audit", group="admins")
    with pytest.raises(SaltInvocationError, match="'group'"):
        pbs_acl.delete("/", None, "Audit", group="admins")
    assert pbs.requests == []


def test_roles_returns_what_pbs_lists(pbs):
    roles = [{"roleid": "Audit", "privs": ["Sys.Audit"], "comment": "read only"}]
    pbs.answers[("GET", "/access/roles")] = roles
    assert pbs_acl.roles(profile="site") == roles
    assert pbs.requests == [("GET", "/access/roles", None)] and pbs.profiles == ["site"]
