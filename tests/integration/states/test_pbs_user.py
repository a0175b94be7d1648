"""``pbs_user`` states applied by a real ``salt-call --local`` against the simulator: the
common scenario of tests/support/scenario.py."""

import pytest

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]


USER = Case(
    state="pbs_user",
    name="int-user@pbs",
    collection="/access/users",
    id_key="userid",
    props={
        "email": "ops@example.com",
        "comment": "first",
        "firstname": "Integration",
        "password": "int-user-pass-1",
    },
    change=("email", "backup@example.com"),
    clear="comment",
    secret=("password", "int-user-pass-2"),
    policy="on_change",
)


def test_user_scenario(scenario, pbs_sim):
    scenario.run(USER)
