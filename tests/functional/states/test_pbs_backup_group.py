"""pbs_backup_group.managed through real Salt loaders against the simulated PBS: owner and
notes with exact drift, test mode, a group that does not exist yet."""

import pytest

from saltext.pbs.simulator import backups
from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


@pytest.fixture
def group(pbs_modules, pbs_simulator, tmp_path):
    pbs_modules.pbs_datastore.create("store1", path=str(tmp_path / "store1"))
    pbs_modules.pbs_user.create("backup@pbs")
    info = pbs_simulator.state.runtime["datastores"]["store1"]
    made = backups.add_group(info, "", "vm", "100")
    backups.add_snapshot(made, 1709600000)
    pbs_simulator.clear_exchanges()
    return made


def test_owner_and_notes_converge(pbs_states, pbs_simulator, group):
    state = pbs_states.pbs_backup_group
    ret = state.managed("vm/100", store="store1", owner="backup@pbs", notes="db\nserver",
                        test=True)
    assert ret.result is None
    assert ret.changes == {"notes": {"old": "", "new": "db\nserver"},
                           "owner": {"old": "root@pam", "new": "backup@pbs"}}
    assert writes(pbs_simulator.exchanges()) == []

    ret = state.managed("vm/100", store="store1", owner="backup@pbs", notes="db\nserver")
    assert ret.result is True, ret.comment
    assert set(ret.changes) == {"notes", "owner"}
    assert (group["owner"], group["notes"]) == ("backup@pbs", "db\nserver")
    assert [e["path"].rsplit("/", 1)[-1] for e in writes(pbs_simulator.exchanges())] == [
        "group-notes", "change-owner"]

    pbs_simulator.clear_exchanges()
    ret = state.managed("vm/100", store="store1", owner="backup@pbs", notes="db\nserver")
    assert ret.result is True and ret.changes == {}
    assert writes(pbs_simulator.exchanges()) == []
    # exact: a trailing newline is a change
    ret = state.managed("vm/100", store="store1", notes="db\nserver\n", test=True)
    assert ret.result is None and ret.changes == {
        "notes": {"old": "db\nserver", "new": "db\nserver\n"}}


def test_group_not_there_yet(pbs_states, pbs_simulator, group):
    state = pbs_states.pbs_backup_group
    ret = state.managed("ct/300", store="store1", notes="x", test=True)
    assert ret.result is None and ret.changes == {}
    assert "does not exist yet" in ret.comment and "ct/300" in ret.comment
    ret = state.managed("ct/300", store="store1", notes="x")
    assert ret.result is False and "ct/300 in datastore 'store1' does not exist" in ret.comment
    assert writes(pbs_simulator.exchanges()) == []


def test_bad_input_fails_before_requests(pbs_states, pbs_simulator, group):
    state = pbs_states.pbs_backup_group
    for kwargs, text in (
        ({"name": "vm"}, "'name'"),
        ({"name": "vm/100/2024-03-05T00:00:00Z"}, "names a snapshot"),
        ({"name": "disk/100"}, "'backup_type'"),
        ({"name": "vm/100", "owner": "nobody"}, "'owner'"),
        ({"name": "vm/100", "notes": ["a"]}, "'notes'"),
    ):
        ret = state.managed(store="store1", **kwargs)
        assert ret.result is False and text in ret.comment, (kwargs, ret.comment)
    assert pbs_simulator.exchanges() == []


def test_failure_names_what_was_applied(pbs_states, pbs_simulator, group):
    # the owner must exist: PBS refuses after the notes were set
    ret = pbs_states.pbs_backup_group.managed("vm/100", store="store1", notes="n",
                                              owner="ghost@pbs")
    assert ret.result is False
    assert "setting owner failed" in ret.comment and "changed before the failure: notes" in (
        ret.comment)
    assert ret.changes == {"notes": {"old": "", "new": "n"}} and group["owner"] == "root@pam"
