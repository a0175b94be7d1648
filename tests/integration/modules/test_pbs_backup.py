"""``salt-call pbs_backup.*`` in a real minion process against a seeded simulator."""

import pytest

from tests.support.helpers import writes

pytestmark = [pytest.mark.integration]


@pytest.fixture(scope="module")
def seeded(pbs_sim, tmp_path_factory):
    with pbs_sim.lock:
        pbs_sim.state.file("datastore.cfg").set(
            "store1", "datastore",
            {"name": "store1", "path": str(tmp_path_factory.mktemp("store1"))},
        )
    pbs_sim.seed_backups("store1", days=3, per_day=1, start_hour=0)
    return pbs_sim


def test_freshness_and_prune_dry_run(salt_call_cli, seeded):
    ret = salt_call_cli.run("--local", "pbs_backup.freshness", "store1", "max_age=26h")
    assert ret.returncode == 0, ret.stderr
    rows = ret.data
    assert sorted(r["group"] for r in rows) == ["ct/200", "host/backup-host", "vm/100"]
    assert all(r["snapshots"] == 3 and r["stale"] is False for r in rows)

    seeded.clear_exchanges()
    ret = salt_call_cli.run("--local", "pbs_backup.prune_group", "store1", "vm", "100",
                            "keep_last=1")
    assert ret.returncode == 0, ret.stderr
    assert [item["keep"] for item in ret.data] == [False, False, True]
    assert [e["body"]["dry-run"] for e in writes(seeded.exchanges())] == [True]
    assert len(seeded.state.runtime["datastores"]["store1"]["groups"][0]["snapshot-list"]) == 3


def test_bad_input_is_one_error_line(salt_call_cli, seeded):
    seeded.clear_exchanges()
    ret = salt_call_cli.run("--local", "pbs_backup.files", "store1", "vm", "100", "yesterday")
    assert ret.returncode != 0
    text = ret.stdout + ret.stderr
    assert "Invalid value for 'backup_time'" in text and "Traceback" not in text
    assert writes(seeded.exchanges()) == []
