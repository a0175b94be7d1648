"""``pbs_verify_job`` states applied by a real ``salt-call --local`` against the simulator."""

import pytest

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]


@pytest.fixture(autouse=True, scope="module")
def datastore(pbs_sim):
    pbs_sim.state.file("datastore.cfg").set("int-store", "datastore", {"path": "/srv/int-store"})


VERIFY = Case(
    state="pbs_verify_job",
    name="int-verify",
    collection="/config/verify",
    id_key="id",
    props={
        "store": "int-store",
        "schedule": "sat 03:00",
        "ignore_verified": False,
        "outdated_after": 30,
        "verify_threads": 8,
        "comment": "weekly",
    },
    change=("outdated_after", 14),
    clear="schedule",
)


def test_verify_job_scenario(scenario):
    scenario.run(VERIFY)


def test_out_of_range_fails_before_any_request(scenario):
    case = Case(**{**VERIFY.__dict__, "props": {**VERIFY.props, "read_threads": 33}})
    done = scenario.present(case)
    assert done.state["result"] is False
    assert "'read_threads'" in done.state["comment"] and "at most 32" in done.state["comment"]
    # (salt-call's pbs_server grain talks to PBS too; the state itself sent nothing)
    assert done.writes == []
    assert [r for r in done.requests if "/config/verify" in r["path"]] == []
