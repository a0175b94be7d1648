"""The user kind: ids, realm rules for passwords, property checks (no PBS needed)."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils.kinds import users


def test_user_id_without_realm():
    with pytest.raises(SaltInvocationError, match=r"User name 'backup'.*name@realm"):
        users.check_user("backup", {})


@pytest.mark.parametrize("realm", ["pam", "ldap", "ad", "openid", "corp"])
def test_password_refused_outside_pbs_realm(realm):
    with pytest.raises(SaltInvocationError, match=r"'password'.*realm"):
        users.check_user(f"alice@{realm}", {"password": "long-enough-1"})
    assert users.check_user("alice@pbs", {"password": "long-enough-1"}) == "alice@pbs"


def test_password_length_and_empty_name_parts():
    with pytest.raises(SaltInvocationError, match="'password'.*at least 8"):
        catalog.desired(users.USER, {"password": "short"}, "create")
    with pytest.raises(SaltInvocationError, match="'firstname'"):
        catalog.desired(users.USER, {"firstname": ""}, "present")
