"""``salt-call pbs_backup.*`` in a real minion process against a seeded simulator."""

import pytest

from saltext.pbs.simulator import backups
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


def test_catalog_download_and_log(salt_call_cli, seeded, tmp_path):
    with seeded.lock:
        info = seeded.state.runtime["datastores"]["store1"]
        group = backups.add_group(info, "", "host", "int-web")
        backups.add_snapshot(group, 1709600000, files=backups.make_files("host", scale=1e-6))
    ret = salt_call_cli.run("--local", "pbs_backup.catalog", "store1", "host", "int-web",
                            "1709600000", "path=/root.pxar.didx/etc")
    assert ret.returncode == 0, ret.stderr
    assert "/root.pxar.didx/etc/hostname" in [e["path"] for e in ret.data]

    dest = tmp_path / "hostname"
    ret = salt_call_cli.run("--local", "pbs_backup.download", "store1", "host", "int-web",
                            "1709600000", "root.pxar.didx", str(dest), "path=/etc/hostname")
    assert ret.returncode == 0, ret.stderr
    assert dest.read_bytes() == b"int-web\n" and ret.data["size"] == len(b"int-web\n")
    # the bytes went to the file, not into the job return
    assert ret.data == {"path": str(dest), "size": 8, "content_type": "application/octet-stream"}

    log_file = tmp_path / "client.log"
    log_file.write_text("done\n", encoding="utf-8")
    ret = salt_call_cli.run("--local", "pbs_backup.upload_log", "store1", "host", "int-web",
                            "2024-03-05T00:53:20Z", str(log_file))
    assert ret.returncode == 0 and ret.data is True, ret.stderr
    ret = salt_call_cli.run("--local", "pbs_backup_snapshot.get", "store1", "host", "int-web")
    assert "client.log.blob" in [f["filename"] for f in ret.data["files"]]
    ret = salt_call_cli.run("--local", "pbs_backup_group.get", "store1", "host", "int-web")
    assert ret.data["backup-count"] == 1 and ret.data["last-backup"] == 1709600000
