"""``pbs_prune_job`` states applied by a real ``salt-call --local`` against the simulator."""

import pytest

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]


@pytest.fixture(autouse=True, scope="module")
def datastore(pbs_sim):
    pbs_sim.state.file("datastore.cfg").set("int-store", "datastore", {"path": "/srv/int-store"})


PRUNE = Case(
    state="pbs_prune_job",
    name="int-prune",
    collection="/config/prune",
    id_key="id",
    props={
        "store": "int-store",
        "schedule": "daily",
        "keep_last": 3,
        "keep_daily": 7,
        "keep_weekly": 4,
        "comment": "default retention",
    },
    change=("keep_daily", 14),
    clear="keep_weekly",
)


def test_prune_job_scenario(scenario):
    scenario.run(PRUNE)


def test_invalid_schedule_fails_before_any_request(scenario):
    case = Case(**{**PRUNE.__dict__, "props": {**PRUNE.props, "schedule": "every day"}})
    done = scenario.present(case)
    assert done.state["result"] is False
    assert "'schedule'" in done.state["comment"] and "calendar event" in done.state["comment"]
    # (salt-call's pbs_server grain talks to PBS too; the state itself sent nothing)
    assert done.writes == []
    assert [r for r in done.requests if "/config/prune" in r["path"]] == []
