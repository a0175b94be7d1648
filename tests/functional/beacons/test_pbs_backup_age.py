"""pbs_backup_age run by Salt's beacon machinery against the simulated PBS: fires once per
group when stale or verification failed, once on recovery, and remembers across a
minion restart (a new beacon loader with the same minion cache)."""

import copy
import json
import os
import stat
import time

import pytest
import salt.beacons

from saltext.pbs.simulator import backups

MINION = "func-tests-minion-opts"
HOUR = 3600
CONFIG = {"pbs_backup_age": [{"max_age": "26h"}, {"hysteresis": "1h"},
                             {"rules": [{"group": "host/*", "max_age": "8d"}]}]}


def _beacon(pbs_loaders):
    beacons = salt.beacons.Beacon(pbs_loaders.opts, pbs_loaders.modules)

    def run(config=None):
        events = beacons.process(copy.deepcopy(config or CONFIG), pbs_loaders.grains)
        return sorted((e["tag"].rsplit("/pbs_backup_age/", 1)[1], e["data"]["group"])
                      for e in events)

    run.process = beacons.process
    return run


@pytest.fixture
def store(pbs_modules, pbs_simulator, tmp_path):
    pbs_modules.pbs_datastore.create("store1", path=str(tmp_path / "store1"))
    return pbs_simulator.state.runtime["datastores"]["store1"]


def _age(store, seconds):
    """Time passes: every snapshot gets ``seconds`` older."""
    for group in store["groups"]:
        for snap in group["snapshot-list"]:
            snap["backup-time"] -= seconds


def test_fires_once_recovers_and_survives_restart(pbs_loaders, store):
    now = time.time()
    vm = backups.add_group(store, "", "vm", "100")
    backups.add_snapshot(vm, now - HOUR, verify_state="ok")
    ct = backups.add_group(store, "", "ct", "200")
    backups.add_snapshot(ct, now - HOUR, verify_state="failed")
    host = backups.add_group(store, "", "host", "files")
    backups.add_snapshot(host, now - 3 * 24 * HOUR)  # stale by 26h, fresh by its 8d rule

    poll = _beacon(pbs_loaders)
    assert poll() == [("backup/verify_failed", "ct/200")]
    assert poll() == []

    _age(store, 2 * 24 * HOUR)
    assert poll() == [("backup/stale", "ct/200"), ("backup/stale", "vm/100")]
    assert poll() == []

    cache = os.path.join(pbs_loaders.opts["cachedir"], "saltext_pbs", "beacons",
                         "pbs_backup_age.json")
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o600
    with open(cache, encoding="utf-8") as fh:
        assert json.load(fh)["alarms"] == {"store1||ct/200": ["stale", "verify_failed"],
                                           "store1||vm/100": ["stale"]}

    restarted = _beacon(pbs_loaders)  # a new loader: empty __context__, same minion cache
    assert restarted() == []

    # 25.5 h old is within 26 h but not 1 h (the hysteresis) below it: still stale
    backups.add_snapshot(vm, time.time() - 25.5 * HOUR, verify_state="ok")
    assert restarted() == []
    backups.add_snapshot(vm, time.time() - 60, verify_state="ok")
    assert restarted() == [("backup/recovered", "vm/100")]
    backups.add_snapshot(ct, time.time() - 60, verify_state="failed")
    assert restarted() == []  # fresh again, but the newest verification failed too
    backups.add_snapshot(ct, time.time() - 30, verify_state="ok")
    assert restarted() == [("backup/recovered", "ct/200")]
    assert restarted() == []


def test_event_data_and_scope(pbs_loaders, store, pbs_simulator):
    pbs_simulator.seed_backups("store1", days=1, per_day=1, groups_spec=["vm/300"], ns="prod",
                               owner="root@pam", verify_state="failed", start_hour=0)
    poll = _beacon(pbs_loaders)
    events = poll.process({"pbs_backup_age": [{"ns": "prod"}, {"stores": ["store1"]}]},
                          pbs_loaders.grains)
    assert [e["tag"] for e in events] == [
        f"salt/beacon/{MINION}/pbs_backup_age/backup/verify_failed"]
    data = events[0]["data"]
    assert {k: data[k] for k in ("store", "ns", "group", "backup_type", "backup_id",
                                 "verification", "owner", "max_age")} == {
        "store": "store1", "ns": "prod", "group": "vm/300", "backup_type": "vm",
        "backup_id": "300", "verification": "failed", "owner": "root@pam", "max_age": 93600}
    assert data["last_backup_time"] == backups.time_string(data["last_backup"])
    # a namespace outside the watched one is not looked at
    assert poll({"pbs_backup_age": [{"ns": "other"}]}) == []
