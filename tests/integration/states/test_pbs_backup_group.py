"""``pbs_backup_group.managed`` applied by a real ``salt-call --local`` against the
simulator: test mode, apply, steady state, and a group that does not exist yet."""

import pytest

from saltext.pbs.simulator import backups
from saltext.pbs.simulator.endpoints.datastore import runtime

pytestmark = [pytest.mark.integration]

SLS = """
scenario-object:
  pbs_backup_group.managed:
    - name: {group}
    - store: int-bk-store
    - owner: int-bk@pbs
    - notes: nightly database dump
"""


@pytest.fixture
def group(scenario, pbs_sim, tmp_path):
    with pbs_sim.lock:  # behind Salt's back, no task: the groups go in right after
        if pbs_sim.state.file("datastore.cfg").get("int-bk-store") is None:
            pbs_sim.state.file("datastore.cfg").set(
                "int-bk-store", "datastore", {"name": "int-bk-store", "path": str(tmp_path)})
    if scenario.api.find("/access/users", "userid", "int-bk@pbs") is None:
        scenario.api.post("/access/users", {"userid": "int-bk@pbs"})
    with pbs_sim.lock:
        info = runtime(pbs_sim.state, "int-bk-store")
        made = backups.add_group(info, "", "vm", "100")
        backups.add_snapshot(made, 1709600000)
    return made


def test_group_managed(scenario, group):
    applied = scenario.apply(SLS.format(group="vm/100"), test=True)
    assert applied.state["result"] is None and applied.writes == []
    assert applied.state["changes"]["owner"] == {"old": "root@pam", "new": "int-bk@pbs"}

    applied = scenario.apply(SLS.format(group="vm/100"))
    assert applied.state["result"] is True, applied.state["comment"]
    assert set(applied.state["changes"]) == {"notes", "owner"}
    assert (group["owner"], group["notes"]) == ("int-bk@pbs", "nightly database dump")

    applied = scenario.apply(SLS.format(group="vm/100"))
    assert applied.state["result"] is True and applied.state["changes"] == {}
    assert applied.writes == []


def test_group_not_there_yet(scenario, group):
    applied = scenario.apply(SLS.format(group="ct/404"), test=True)
    assert applied.state["result"] is None and "does not exist yet" in applied.state["comment"]
    applied = scenario.apply(SLS.format(group="ct/404"))
    assert applied.state["result"] is False and "Traceback" not in applied.output
    assert "ct/404 in datastore 'int-bk-store' does not exist" in applied.state["comment"]
    assert applied.writes == []
