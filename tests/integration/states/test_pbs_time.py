"""``pbs_time`` (a singleton with one ``managed`` state) applied by a real ``salt-call --local``
against the simulator: the steps of tests/support/singleton.py, and an unknown
timezone refused."""

import pytest

from tests.support.singleton import singleton_sls
from tests.support.singleton import singleton_steps

pytestmark = [pytest.mark.integration]


def test_time(scenario):
    stored = singleton_steps(
        scenario,
        "pbs_time.managed",
        "/nodes/localhost/time",
        {"timezone": "Europe/Vienna"},
        change=("timezone", "America/New_York"),
    )
    assert stored["timezone"] == "America/New_York"
    refused = scenario.apply(singleton_sls("pbs_time.managed", {"timezone": "Mars/Olympus"}))
    assert refused.state["result"] is False and "No such timezone" in refused.state["comment"]
