"""Password changes: ``PUT /access/password`` with the confirmation PBS wants, never the
item PUT (no PBS needed)."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import objects
from saltext.pbs.utils.flows import users as user_flows
from saltext.pbs.utils.kinds import users
from tests.unit.utils.recorder import Recorder


def test_password_change_as_root_sends_no_confirmation():
    client = Recorder()
    user_flows.set_password(client, "a@pbs", "new-pass-1")
    assert client.requests == [
        ("PUT", "/access/password", {"userid": "a@pbs", "password": "new-pass-1"})
    ]


def test_password_change_as_other_user_confirms_with_profile_password():
    client = Recorder(username="admin@pbs", password="admin-pw")
    user_flows.set_password(client, "a@pbs", "new-pass-1")
    assert client.requests[0][2]["confirmation-password"] == "admin-pw"


def test_password_change_refused_under_token_auth():
    client = Recorder(username=None, token_id="root@pam!salt")
    with pytest.raises(SaltInvocationError, match="refuses API tokens") as exc:
        user_flows.set_password(client, "a@pbs", "new-pass-1")
    assert "new-pass-1" not in str(exc.value)
    assert client.requests == []


def test_update_via_property_leaves_item_put_out():
    client = Recorder()
    objects.send_update(client, users.USER, "a@pbs", {"password": "new-pass-1"}, (), "d" * 64)
    assert [r[:2] for r in client.requests] == [("PUT", "/access/password")]
    client = Recorder()
    objects.send_update(client, users.USER, "a@pbs", {"password": "p" * 8, "comment": "c"})
    assert [r[:2] for r in client.requests] == [
        ("PUT", "/access/users/a%40pbs"),
        ("PUT", "/access/password"),
    ]
    assert "password" not in client.requests[0][2]
