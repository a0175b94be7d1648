"""``pbs_backup_snapshot.managed`` applied by a real ``salt-call --local`` against the
simulator: the newest snapshot protected and noted, then steady."""

import pytest

from saltext.pbs.simulator import backups
from saltext.pbs.simulator.endpoints.datastore import runtime

pytestmark = [pytest.mark.integration]

SLS = """
scenario-object:
  pbs_backup_snapshot.managed:
    - name: vm/100
    - store: int-snap-store
    - backup_time: latest
    - protected: true
    - notes: before the upgrade
"""


@pytest.fixture
def group(scenario, pbs_sim, tmp_path):
    with pbs_sim.lock:  # behind Salt's back, no task: the groups go in right after
        if pbs_sim.state.file("datastore.cfg").get("int-snap-store") is None:
            pbs_sim.state.file("datastore.cfg").set(
                "int-snap-store", "datastore", {"name": "int-snap-store", "path": str(tmp_path)})
    with pbs_sim.lock:
        info = runtime(pbs_sim.state, "int-snap-store")
        made = backups.add_group(info, "", "vm", "100")
        backups.add_snapshot(made, 1709600000)
        backups.add_snapshot(made, 1709686400)
    return made


def test_latest_snapshot_managed(scenario, group):
    applied = scenario.apply(SLS, test=True)
    assert applied.state["result"] is None and applied.writes == []
    assert "2024-03-06T00:53:20Z" in applied.state["comment"]

    applied = scenario.apply(SLS)
    assert applied.state["result"] is True, applied.state["comment"]
    assert applied.state["changes"] == {"protected": {"old": False, "new": True},
                                        "notes": {"old": "", "new": "before the upgrade"}}
    newest, older = backups.snapshots(group)
    assert (newest["protected"], newest["notes"]) == (True, "before the upgrade")
    assert not older["protected"]

    applied = scenario.apply(SLS)
    assert applied.state["result"] is True and applied.state["changes"] == {}
    assert applied.writes == []
