"""``pbs_media_pool`` states through a real ``salt-call --local`` against the simulator:
the common scenario of tests/support/scenario.py (``tape_setup``, the objects the tape
cases refer to, comes from this directory's conftest)."""

import pytest

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]


POOL = Case(
    state="pbs_media_pool",
    name="int-pool",
    collection="/config/media-pool",
    props={
        "allocation": "sat 18:00",
        "retention": "30 days",
        "template": "weekly-%Y-%m-%d",
        "comment": "first",
    },
    change=("retention", "keep"),
    clear="comment",
)


def test_pool_scenario(scenario, tape_setup):
    scenario.run(POOL)
