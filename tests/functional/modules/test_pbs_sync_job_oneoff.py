"""pbs_sync_job.pull / push (PBS's /pull and /push) through Salt's loaders: the simulator
really copies the seeded backup groups between its stores."""

import logging

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


@pytest.fixture
def sync(pbs_modules):
    return pbs_modules.pbs_sync_job


@pytest.fixture
def seeded(pbs_simulator, stores):  # pylint: disable=unused-argument
    """store1 with 3 days of one snapshot a day in vm/100, ct/200, host/backup-host."""
    pbs_simulator.seed_backups("store1", days=3, per_day=1, start_hour=0)
    pbs_simulator.clear_exchanges()
    return pbs_simulator


def _groups(sim, store):
    info = sim.state.runtime["datastores"].get(store) or {}
    return {
        (g.get("ns", ""), f"{g['backup-type']}/{g['backup-id']}"):
            (g.get("owner"), len(g.get("snapshot-list", [])))
        for g in info.get("groups", [])
    }


def test_local_pull_copies_groups_then_only_new_snapshots(sync, seeded, caplog):
    with caplog.at_level(logging.INFO, logger="saltext.pbs"):
        result = sync.pull("store2", "store1")
    assert result["exitstatus"] == "OK" and result["type"] == "sync" and result["id"] == "store2"
    assert result["summary"]["snapshots"] == 9
    assert (result["summary"]["groups_found"], result["summary"]["groups_total"]) == (3, 3)
    assert _groups(seeded, "store2") == {
        ("", "vm/100"): ("root@pam", 3), ("", "ct/200"): ("root@pam", 3),
        ("", "host/backup-host"): ("root@pam", 3),
    }
    messages = [r.getMessage() for r in caplog.records]
    assert any("PBS task sync 'store2': " in m and "Found 3 groups to sync" in m
               for m in messages)
    (post,) = writes(seeded.exchanges())
    assert post["path"].endswith("/pull")
    assert post["body"] == {"store": "store2", "remote-store": "store1"}

    # a second pull skips what the target has (the newest is synced again, as PBS does)
    again = sync.pull("store2", "store1")
    assert again["summary"]["snapshots"] == 3
    assert _groups(seeded, "store2")[("", "vm/100")] == ("root@pam", 3)


def test_pull_options_filter_transfer_last_and_namespace(sync, seeded):
    result = sync.pull("store2", "store1", ns="copy", group_filter=["type:vm", "type:ct"],
                       transfer_last=1)
    assert result["summary"]["snapshots"] == 2
    assert result["summary"]["namespaces_created"] == 1
    assert _groups(seeded, "store2") == {("copy", "vm/100"): ("root@pam", 1),
                                         ("copy", "ct/200"): ("root@pam", 1)}
    sent = writes(seeded.exchanges())[-1]["body"]
    assert sorted(sent["group-filter"]) == ["type:ct", "type:vm"] and sent["transfer-last"] == 1


def test_pull_remove_vanished_deletes_what_the_source_lost(sync, seeded):
    sync.pull("store2", "store1")
    group = next(g for g in seeded.state.runtime["datastores"]["store1"]["groups"]
                 if g["backup-id"] == "100")
    group["snapshot-list"].sort(key=lambda s: s["backup-time"])
    del group["snapshot-list"][0]
    result = sync.pull("store2", "store1", remove_vanished=True)
    assert result["summary"]["removed_snapshots"] == 1
    assert _groups(seeded, "store2")[("", "vm/100")] == ("root@pam", 2)


def test_push_to_a_remote_sets_the_remote_owner(sync, seeded):
    result = sync.push("store1", "offsite", "store2", group_filter=["exclude:type:host"])
    assert result["exitstatus"] == "OK"
    assert result["summary"]["snapshots"] == 6
    assert _groups(seeded, "store2") == {("", "vm/100"): ("sync@pbs", 3),
                                         ("", "ct/200"): ("sync@pbs", 3)}
    upid = sync.push("store1", "offsite", "store2", wait=False)
    assert upid.startswith("UPID:") and ":sync:store1:" in upid


def test_owner_mismatch_fails_the_task_with_its_log(sync, seeded):
    sync.push("store1", "offsite", "store2")  # groups now owned by sync@pbs
    with pytest.raises(CommandExecutionError) as err:
        sync.pull("store2", "store1")
    text = str(err.value)
    assert "PBS task sync 'store2' failed: sync failed with some errors." in text
    assert "owner check failed" in text


def test_bad_input_is_refused_before_any_request(sync, seeded):
    with pytest.raises(SaltInvocationError, match="'remote_store'"):
        sync.pull("store1", "store1")
    with pytest.raises(SaltInvocationError, match="Unknown option 'schedule' for a pull"):
        sync.pull("store2", "store1", schedule="daily")
    with pytest.raises(SaltInvocationError, match="Unknown option 'resync_corrupt' for a push"):
        sync.push("store1", "offsite", "store2", resync_corrupt=True)
    with pytest.raises(SaltInvocationError, match="'max_depth'"):
        sync.pull("store2", "store1", ns="a/b/c/d", max_depth=5)
    with pytest.raises(SaltInvocationError, match="'group_filter\[0\]'"):
        sync.pull("store2", "store1", group_filter=["kind:vm"])
    with pytest.raises(SaltInvocationError, match="'transfer_last'"):
        sync.pull("store2", "store1", transfer_last=0)
    assert writes(seeded.exchanges()) == []
    # what only PBS can tell: a remote that does not exist
    with pytest.raises(CommandExecutionError, match="no such remote 'ghost'"):
        sync.pull("store2", "store1", remote="ghost")
