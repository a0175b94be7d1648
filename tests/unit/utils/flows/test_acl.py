"""ACL flows: bad entries are refused naming the field, before any request."""

import pytest

from saltext.pbs.utils.flows import acl
from tests.unit.utils.recorder import Recorder


@pytest.mark.parametrize(
    "entries,reason",
    [
        ("Audit", "'entries'"),
        ([{"auth_id": "a@pbs"}], "entries[0]"),
        ([{"auth_id": "a@pbs", "role": "Audit", "color": "red"}], "unknown key(s) color"),
        ([{"auth_id": "a@pbs", "role": "Audit"}] * 2, "listed twice"),
    ],
)
def test_managed_refuses_bad_entries_before_any_request(entries, reason):
    client = Recorder()
    ret = acl.acl_managed("/datastore/s1", entries, opts={}, context={}, client=client)
    assert ret["result"] is False and reason in ret["comment"]
    assert client.requests == []
