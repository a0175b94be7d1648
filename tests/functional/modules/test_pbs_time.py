"""pbs_time execution module through Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_time_get_update(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_time
    got = mod.get()
    assert got["timezone"] == "UTC" and isinstance(got["time"], int) and "localtime" in got
    got = mod.update(timezone="Europe/Vienna")
    assert got["timezone"] == "Europe/Vienna"
    (put,) = writes(pbs_simulator.exchanges())
    assert put["body"] == {"timezone": "Europe/Vienna"}  # no digest: PBS takes none here
    with pytest.raises(CommandExecutionError, match="No such timezone"):
        mod.update(timezone="Mars/Olympus")
    with pytest.raises(SaltInvocationError, match="time"):
        mod.update(time=5)
