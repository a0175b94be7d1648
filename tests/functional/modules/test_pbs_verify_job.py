"""pbs_verify_job execution module against the simulator.

Results are checked in the simulator's config files and request log; ``stores`` (datastores
and a remote) comes from this directory's conftest.
"""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _cfg(sim, name):
    return sim.state.file(name)


@pytest.mark.parametrize(
    "module,name,props,field",
    [
        ("pbs_verify_job", "job 1", {"store": "store1"}, "name"),
        ("pbs_verify_job", "job1", {"store": "store1", "outdated_after": -2}, "outdated_after"),
        ("pbs_verify_job", "job1", {"store": "store1", "disable": True}, "disable"),
    ],
)
def test_bad_input_sends_nothing(pbs_modules, pbs_simulator, stores, module, name, props, field):
    with pytest.raises(SaltInvocationError, match=field):
        getattr(pbs_modules, module).create(name, **props)
    assert pbs_simulator.exchanges() == []


def test_verify_job_crud(pbs_modules, pbs_simulator, stores):
    verify = pbs_modules.pbs_verify_job
    verify.create("v-1", store="store2", schedule="sat 03:00", outdated_after=30)
    assert _cfg(pbs_simulator, "verification.cfg").props("v-1")["outdated-after"] == 30
    assert verify.update("v-1", ignore_verified=False)["ignore-verified"] is False
    verify.delete("v-1")
    assert _cfg(pbs_simulator, "verification.cfg").props("v-1") is None
    with pytest.raises(CommandExecutionError, match="does not exist|no such"):
        verify.delete("v-1")


def test_failed_run_raises_with_log(pbs_modules, pbs_simulator, stores):
    pbs_modules.pbs_verify_job.create("v-1", store="store1")
    pbs_simulator.faults.fail_next_task(
        "verification failed on 2 snapshots", worker_type="verificationjob"
    )
    with pytest.raises(CommandExecutionError, match="verification failed"):
        pbs_modules.pbs_verify_job.run("v-1", wait=True)
