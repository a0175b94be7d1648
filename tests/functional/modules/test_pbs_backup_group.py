"""pbs_backup_group.get through real Salt loaders against the simulated PBS."""

import pytest

from saltext.pbs.simulator import backups

pytestmark = pytest.mark.usefixtures("pbs_loaders")


@pytest.fixture
def info(pbs_modules, pbs_simulator, tmp_path):
    pbs_modules.pbs_datastore.create("store1", path=str(tmp_path / "store1"))
    return pbs_simulator.state.runtime["datastores"]["store1"]


def test_get_group(pbs_modules, info):
    group = backups.add_group(info, "", "vm", "100")
    backups.add_snapshot(group, 1709600000)
    backups.add_snapshot(group, 1709686400)
    group["notes"] = "db server\nsecond line"
    got = pbs_modules.pbs_backup_group.get("store1", "vm", "100")
    assert (got["owner"], got["backup-count"], got["last-backup"]) == ("root@pam", 2, 1709686400)
    assert (got["notes"], got["comment"], got["ns"]) == ("db server\nsecond line", "db server", "")
    assert pbs_modules.pbs_backup_group.get("store1", "vm", "101") is None


def test_group_without_snapshots(pbs_modules, info):
    # PBS lists such a group (its first backup under way, or its snapshot gone) with
    # last-backup 0; here it is None, and freshness leaves the group out rather than
    # reporting a backup from 1970
    backups.add_group(info, "", "ct", "200")
    got = pbs_modules.pbs_backup_group.get("store1", "ct", "200")
    assert (got["backup-count"], got["last-backup"]) == (0, None)
    assert pbs_modules.pbs_backup.groups("store1")[0]["last-backup"] == 0  # PBS's own answer
    assert pbs_modules.pbs_backup.freshness("store1", max_age="1d") == []
    # it exists: its notes can be set
    assert pbs_modules.pbs_backup.set_notes("store1", "ct", "200", "new") is True
    assert pbs_modules.pbs_backup.notes("store1", "ct", "200") == "new"


def test_deleting_the_last_snapshot_removes_the_group(pbs_modules, info):
    group = backups.add_group(info, "", "vm", "100")
    backups.add_snapshot(group, 1709600000)
    pbs_modules.pbs_backup.delete_snapshot("store1", "vm", "100", 1709600000)
    assert pbs_modules.pbs_backup_group.get("store1", "vm", "100") is None
