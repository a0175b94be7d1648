"""``salt-call pbs.ping`` (PBS's unauthenticated ``/ping``),
``pbs.auth_check`` and the notification matcher field helpers, against the simulator."""

import pytest

from tests.support.helpers import read_request_log

pytestmark = [pytest.mark.integration]


def _paths_since(sim, before):
    return [(e["method"], e["path"].split("?")[0])
            for e in read_request_log(sim.request_log)[before:]]


def test_ping_auth_check_and_matcher_fields(salt_call_cli, pbs_sim):
    before = len(read_request_log(pbs_sim.request_log))
    ret = salt_call_cli.run("--local", "pbs.ping")
    assert ret.data is True, ret.stdout + ret.stderr
    # (the pbs_server grain's own requests come with every salt-call; the functional test
    # proves the ping itself sends no credentials)
    assert ("GET", "/api2/json/ping") in _paths_since(pbs_sim, before)

    ret = salt_call_cli.run("--local", "pbs.auth_check")
    assert ret.data is True, ret.stdout + ret.stderr

    ret = salt_call_cli.run("--local", "pbs_notification_matcher.fields")
    assert "type" in ret.data and "datastore" in ret.data, ret.stdout
    ret = salt_call_cli.run("--local", "pbs_notification_matcher.field_values", "field=type")
    assert ret.data and {v["field"] for v in ret.data} == {"type"}, ret.stdout
