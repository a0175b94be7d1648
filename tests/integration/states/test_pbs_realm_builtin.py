"""``pbs_realm.present`` for the built-in ``pbs`` realm and a refused ``absent`` of ``pam``,
applied by a real ``salt-call --local`` against the simulator."""

import pytest

pytestmark = [pytest.mark.integration]

PRESENT = "pbs:\n  pbs_realm.present:\n    - type: pbs\n    - comment: local users\n"


def test_builtin_realm(scenario):
    dry = scenario.apply(PRESENT, test=True)
    assert dry.state["result"] is None and dry.writes == []
    done = scenario.apply(PRESENT)
    assert done.state["changes"]["comment"]["new"] == "local users"
    assert scenario.api.get("/config/access/pbs")["comment"] == "local users"
    again = scenario.apply(PRESENT)
    assert again.state["changes"] == {} and again.writes == []
    refused = scenario.apply("pam:\n  pbs_realm.absent: []\n")
    assert refused.state["result"] is False and "cannot be removed" in refused.state["comment"]
    assert refused.writes == []
