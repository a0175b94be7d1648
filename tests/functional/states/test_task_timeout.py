"""
``task_timeout`` on the states that start PBS tasks: checked before any request, and the
bound of the wait for the task (the task goes on on PBS; the state fails saying so).
"""

import pytest


@pytest.fixture(scope="module")
def pbs_simulator_task_duration():
    # tasks of this module's simulator outlast every wait the tests allow
    return 60.0


def _calls(sim):
    return [
        (e["method"], e["path"]) for e in sim.exchanges() if not e["path"].endswith("/ticket")
    ]


@pytest.mark.parametrize(
    "state,args",
    [
        ("pbs_datastore.present", {"name": "tt-store", "path": "/mnt/tt"}),
        ("pbs_datastore.absent", {"name": "tt-store"}),
        ("pbs_acme_account.absent", {"name": "tt-account"}),
        ("pbs_service.running", {"name": "chrony"}),
        ("pbs_certificate.acme", {"name": "cert"}),
    ],
)
@pytest.mark.parametrize("bad", ["soon", -1, [5]])
def test_a_task_timeout_that_is_not_seconds_fails_before_any_request(
    pbs_states, pbs_simulator, state, args, bad
):
    pbs_simulator.clear_exchanges()
    ret = pbs_states[state](**args, task_timeout=bad)
    assert ret["result"] is False
    assert ret["comment"].startswith(
        "Invalid value for 'task_timeout': expected a positive number of seconds"
    )
    assert ret["changes"] == {}
    assert not _calls(pbs_simulator)


def test_a_create_task_waits_no_longer_than_the_states_task_timeout(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_datastore.present("tt-slow", path="/mnt/tt-slow", task_timeout=0.5)
    assert ret["result"] is False
    assert "still running after 0.5s" in ret["comment"]
