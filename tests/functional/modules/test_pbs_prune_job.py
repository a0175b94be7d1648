"""pbs_prune_job execution module against the simulator.

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
        ("pbs_prune_job", "job1", {"store": "store1"}, "schedule"),
        (
            "pbs_prune_job",
            "job1",
            {"store": "store1", "schedule": "daily", "keep_last": 0},
            "keep_last",
        ),
        ("pbs_prune_job", "job1", {"store": "store1", "schedule": "daily", "colour": 1}, "colour"),
    ],
)
def test_bad_input_sends_nothing(pbs_modules, pbs_simulator, stores, module, name, props, field):
    with pytest.raises(SaltInvocationError, match=field):
        getattr(pbs_modules, module).create(name, **props)
    assert pbs_simulator.exchanges() == []


def test_prune_job_crud(pbs_modules, pbs_simulator, stores):
    prune = pbs_modules.pbs_prune_job
    created = prune.create("p-1", store="store1", schedule="daily", keep_last=3, keep_daily=7)
    assert created["keep-last"] == 3
    assert _cfg(pbs_simulator, "prune.cfg").props("p-1")["keep-daily"] == 7
    assert prune.update("p-1", keep_daily=None, disable=True)["disable"] is True
    assert "keep-daily" not in _cfg(pbs_simulator, "prune.cfg").props("p-1")
    assert [j["id"] for j in prune.list()] == ["p-1"]
    prune.delete("p-1")
    assert prune.get("p-1") is None


def test_create_existing_is_a_pbs_error(pbs_modules, stores):
    pbs_modules.pbs_prune_job.create("p-1", store="store1", schedule="daily")
    with pytest.raises(CommandExecutionError, match="already exists"):
        pbs_modules.pbs_prune_job.create("p-1", store="store1", schedule="daily")
