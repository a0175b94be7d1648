"""pbs_backup_snapshot.get through real Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.simulator import backups

pytestmark = pytest.mark.usefixtures("pbs_loaders")


@pytest.fixture
def group(pbs_modules, pbs_simulator, tmp_path):
    pbs_modules.pbs_datastore.create("store1", path=str(tmp_path / "store1"))
    pbs_modules.pbs_namespace.create("store1", "prod")
    info = pbs_simulator.state.runtime["datastores"]["store1"]
    made = backups.add_group(info, "prod", "vm", "100")
    backups.add_snapshot(made, 1709600000, notes="first\nmore", protected=True)
    backups.add_snapshot(made, 1709686400, verify_state="ok")
    pbs_simulator.clear_exchanges()
    return made


def test_get_by_time_and_latest(pbs_modules, group):
    get = pbs_modules.pbs_backup_snapshot.get
    latest = get("store1", "vm", "100", ns="prod")
    assert (latest["backup-time"], latest["backup-time-text"]) == (1709686400,
                                                                   "2024-03-06T00:53:20Z")
    assert latest["verification"]["state"] == "ok" and latest["protected"] is False
    old = get("store1", "vm", "100", backup_time="2024-03-05T00:53:20Z", ns="prod")
    assert (old["notes"], old["comment"], old["protected"]) == ("first\nmore", "first", True)
    assert get("store1", "vm", "100", backup_time=1, ns="prod") is None
    assert get("store1", "vm", "100") is None  # not in the root namespace


def test_bad_time_sends_nothing(pbs_modules, pbs_simulator, group):
    with pytest.raises(SaltInvocationError, match="'backup_time'"):
        pbs_modules.pbs_backup_snapshot.get("store1", "vm", "100", backup_time="newest")
    assert pbs_simulator.exchanges() == []
