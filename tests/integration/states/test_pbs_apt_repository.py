"""``pbs_apt_repository.managed`` applied by a real ``salt-call --local`` against the
simulator: added (after a ``test=True`` dry run), re-applied with 0 changes, one change
(enterprise disabled), read back through the API."""

import pytest

pytestmark = [pytest.mark.integration]


def _sls(handle, enabled):
    return f"{handle}:\n  pbs_apt_repository.managed:\n    - enabled: {str(enabled).lower()}\n"


def _status(scenario):
    listing = scenario.api.get("/nodes/localhost/apt/repositories")
    return {r["handle"]: r.get("status") for r in listing["standard-repos"]}


def test_managed(scenario):
    dry = scenario.apply(_sls("no-subscription", True), test=True)
    assert dry.state["result"] is None and dry.writes == []
    assert _status(scenario)["no-subscription"] is None
    done = scenario.apply(_sls("no-subscription", True))
    assert done.state["result"] is True, done.state["comment"]
    (put,) = done.writes
    assert put["method"] == "PUT" and put["body"]["handle"] == "no-subscription"
    again = scenario.apply(_sls("no-subscription", True))
    assert again.state["changes"] == {} and again.writes == []
    dry = scenario.apply(_sls("enterprise", False), test=True)
    assert dry.state["changes"] == {"enabled": {"old": True, "new": False}} and dry.writes == []
    done = scenario.apply(_sls("enterprise", False))
    assert done.state["changes"] == {"enabled": {"old": True, "new": False}}
    assert _status(scenario) == {"enterprise": False, "no-subscription": True, "test": None}
    refused = scenario.apply(_sls("ceph-squid-enterprise", True))
    assert refused.state["result"] is False and refused.writes == []
