"""pbs_backup_snapshot.managed through real Salt loaders against the simulated PBS:
protection and notes of a snapshot chosen by time or as the newest."""

import pytest

from saltext.pbs.simulator import backups
from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

OLD, NEW = 1709600000, 1709686400  # 2024-03-05T00:53:20Z, a day later


@pytest.fixture
def group(pbs_modules, pbs_simulator, tmp_path):
    pbs_modules.pbs_datastore.create("store1", path=str(tmp_path / "store1"))
    info = pbs_simulator.state.runtime["datastores"]["store1"]
    made = backups.add_group(info, "", "vm", "100")
    backups.add_snapshot(made, OLD)
    backups.add_snapshot(made, NEW)
    pbs_simulator.clear_exchanges()
    return made


def _snap(group, when):
    return backups.find_snapshot(group, when)


def test_latest_is_protected_and_noted(pbs_states, pbs_simulator, group):
    state = pbs_states.pbs_backup_snapshot
    ret = state.managed("vm/100", store="store1", protected=True, notes="keep", test=True)
    assert ret.result is None and "2024-03-06T00:53:20Z" in ret.comment
    assert ret.changes == {"protected": {"old": False, "new": True},
                           "notes": {"old": "", "new": "keep"}}
    assert writes(pbs_simulator.exchanges()) == []

    ret = state.managed("vm/100", store="store1", protected=True, notes="keep")
    assert ret.result is True and set(ret.changes) == {"protected", "notes"}
    assert _snap(group, NEW)["protected"] and _snap(group, NEW)["notes"] == "keep"
    assert not _snap(group, OLD)["protected"]

    pbs_simulator.clear_exchanges()
    assert state.managed("vm/100", store="store1", protected=True, notes="keep").changes == {}
    assert writes(pbs_simulator.exchanges()) == []


def test_by_time_in_the_name_or_argument(pbs_states, group):
    state = pbs_states.pbs_backup_snapshot
    ret = state.managed("vm/100/2024-03-05T00:53:20Z", store="store1", protected=True)
    assert ret.result is True and ret.changes == {"protected": {"old": False, "new": True}}
    assert _snap(group, OLD)["protected"]
    ret = state.managed("old one", store="store1", backup_type="vm", backup_id="100",
                        backup_time=OLD, protected=False)
    assert ret.result is True and ret.changes == {"protected": {"old": True, "new": False}}


def test_missing_snapshot_or_group(pbs_states, pbs_simulator, group):
    state = pbs_states.pbs_backup_snapshot
    ret = state.managed("vm/100/2024-01-01T00:00:00Z", store="store1", protected=True,
                        test=True)
    assert ret.result is None and "does not exist yet" in ret.comment
    ret = state.managed("vm/100/2024-01-01T00:00:00Z", store="store1", protected=True)
    assert ret.result is False and "does not exist" in ret.comment
    ret = state.managed("ct/999", store="store1", protected=True, test=True)
    assert ret.result is None and "newest snapshot of group ct/999" in ret.comment
    assert state.managed("ct/999", store="store1", protected=True).result is False
    assert writes(pbs_simulator.exchanges()) == []


def test_bad_input_fails_before_requests(pbs_states, pbs_simulator, group):
    state = pbs_states.pbs_backup_snapshot
    for kwargs, text in (
        ({"name": "vm/100/yesterday"}, "'backup_time'"),
        ({"name": "vm/100", "protected": "yes"}, "'protected'"),
        ({"name": "vm/100", "ns": "a/b/c/d/e/f/g/h"}, "'ns'"),
    ):
        ret = state.managed(store="store1", **kwargs)
        assert ret.result is False and text in ret.comment, (kwargs, ret.comment)
    assert pbs_simulator.exchanges() == []
