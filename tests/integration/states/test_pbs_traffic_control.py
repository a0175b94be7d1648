"""``pbs_traffic_control`` states applied by a real ``salt-call --local`` against the simulator."""

import pytest

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]

RULE = Case(
    state="pbs_traffic_control",
    name="int-rule",
    collection="/config/traffic-control",
    props={
        "network": ["10.0.0.0/8", "fd00::/8"],
        "rate_in": "100 MB",
        "burst_in": "200 MB",
        "users": ["sync@pbs"],
        "timeframe": ["mon..fri 8:00-18:00", "sat 10-14"],
        "comment": "office hours",
    },
    change=("network", ["fd00::/8", "10.0.0.0/8", "192.168.0.0/16"]),
    clear="timeframe",
)


def test_traffic_control_scenario(scenario):
    scenario.run(RULE)


def test_lists_are_sets_and_sizes_normalised(scenario):
    case = Case(**{**RULE.__dict__, "name": "int-rule-sets"})
    scenario.create(case)
    reordered = {
        **case.props,
        "network": list(reversed(case.props["network"])),
        "timeframe": list(reversed(case.props["timeframe"])),
        "rate_in": "100M",
    }
    scenario.reapply(case, reordered)
    scenario.absent(case)
