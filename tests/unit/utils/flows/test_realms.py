"""Realm flows: a sync's options are checked before the request."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.flows import realms
from tests.unit.utils.recorder import Recorder


def test_sync_refuses_unknown_remove_vanished_before_any_request():
    client = Recorder()
    with pytest.raises(SaltInvocationError, match="'remove_vanished'"):
        realms.sync_realm(client, "corp", remove_vanished="acl;everything")
    assert client.requests == []


def test_sync_sends_the_options_as_pbs_wants_them():
    client = Recorder()
    realms.sync_realm(
        client, "corp", remove_vanished=["acl", "entry"], enable_new="yes", wait=False
    )
    body = {"dry-run": None, "enable-new": True, "remove-vanished": "acl;entry"}
    assert client.requests == [("POST", "/access/domains/corp/sync", body)]
