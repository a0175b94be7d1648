"""``pbs_notification_matcher`` states applied by a real ``salt-call --local`` against the
simulator.
"""

import pytest

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]

MATCHER = Case(
    state="pbs_notification_matcher",
    name="int-matcher",
    collection="/config/notifications/matchers",
    props={
        "target": ["mail-to-root"],
        "match_severity": ["warning,error"],
        "match_field": ["exact:type=sync,verify", "regex:datastore=^prod-"],
        "match_calendar": ["mon..fri 8:00-17:30"],
        "mode": "any",
        "invert_match": True,
        "comment": "job failures in office hours",
    },
    change=("match_severity", ["error"]),
    clear="match_calendar",
)


def test_matcher_scenario(scenario):
    scenario.run(MATCHER)


def test_unknown_target_fails_clearly(scenario):
    case = Case(**{**MATCHER.__dict__, "name": "int-bad", "props": {"target": ["nowhere"]}})
    done = scenario.present(case)
    assert done.state["result"] is False
    assert "nowhere" in done.state["comment"] and "Traceback" not in done.output
    assert scenario.read(case) is None
