"""Unit tests of the pbs_time execution module (a singleton: no name, no create)."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.modules import pbs_time


@pytest.fixture
def configure_loader_modules(module_dunders):
    return {pbs_time: module_dunders}


@pytest.mark.parametrize("props,field", [({"time": 5}, "time"), ({"timezone": ""}, "timezone")])
def test_update_refuses_bad_input_before_any_request(pbs, props, field):
    with pytest.raises(SaltInvocationError, match=field):
        pbs_time.update(**props)
    assert pbs.requests == []


def test_update_sends_the_timezone_without_digest(pbs):
    pbs.answers[("GET", "/nodes/localhost/time")] = {"timezone": "Europe/Vienna", "time": 1}
    assert pbs_time.update(timezone="Europe/Vienna")["timezone"] == "Europe/Vienna"
    assert pbs.writes == [("PUT", "/nodes/localhost/time", {"timezone": "Europe/Vienna"})]
