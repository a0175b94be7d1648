"""``pbs_sync_job`` states applied by a real ``salt-call --local`` against the simulator."""

import pytest

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]


@pytest.fixture(autouse=True, scope="module")
def references(pbs_sim):
    """The datastore and remote the jobs name, written straight into the simulator."""
    pbs_sim.state.file("datastore.cfg").set("int-store", "datastore", {"path": "/srv/int-store"})
    pbs_sim.state.file("remote.cfg").set(
        "int-remote",
        "remote",
        {"host": "pbs2.example.com", "auth-id": "sync@pbs", "password": "eA=="},
    )


# A push job: PBS lists only pull jobs unless asked, so every step also proves that a push
# job is found again (0 changes on re-apply, updates instead of creates).
PUSH = Case(
    state="pbs_sync_job",
    name="int-push",
    collection="/config/sync?sync-direction=all",
    id_key="id",
    props={
        "sync_direction": "push",
        "store": "int-store",
        "remote": "int-remote",
        "remote_store": "offsite",
        "schedule": "mon..fri 22:00",
        "group_filter": ["type:vm", "exclude:group:vm/100"],
        "rate_out": "20 MB",
        "verified_only": True,
        "comment": "to the DR site",
    },
    change=("rate_out", "30MB", "30 MB"),
    clear="comment",
)

PULL = Case(
    state="pbs_sync_job",
    name="int-pull",
    collection="/config/sync",
    id_key="id",
    props={
        "store": "int-store",
        "remote": "int-remote",
        "remote_store": "backups",
        "ns": "mirror",
        "remote_ns": "prod",
        "max_depth": 2,
        "transfer_last": 7,
        "remove_vanished": True,
        "schedule": "hourly",
    },
    change=("transfer_last", 3),
    clear="max_depth",
)


def test_push_job_scenario(scenario):
    scenario.run(PUSH)


def test_pull_job_scenario(scenario):
    scenario.run(PULL)


def test_unknown_remote_fails_clearly_without_write(scenario):
    case = Case(
        **{**PULL.__dict__, "name": "int-bad", "props": {**PULL.props, "remote": "nowhere"}}
    )
    done = scenario.present(case)
    assert done.state["result"] is False
    assert "remote 'nowhere' does not exist" in done.state["comment"]
    assert done.writes == []
    assert scenario.read(case) is None
