"""``pbs_namespace`` states applied by a real ``salt-call --local`` against the simulator."""

import pytest

from tests.support.scenario import Case
from tests.support.scenario import Scenario

pytestmark = [pytest.mark.integration]

NS = Case(
    state="pbs_namespace",
    name="prod/vms",
    collection="/admin/datastore/int-ns-store/namespace",
    id_key="ns",
    args={"datastore": "int-ns-store"},
    props={},
)


@pytest.fixture
def scenario(salt_call_cli, state_tree, pbs_sim, tmp_path):
    api = Scenario(salt_call_cli, state_tree, pbs_sim).api
    if api.find("/config/datastore", "name", "int-ns-store") is None:
        upid = api.post("/config/datastore", {"name": "int-ns-store", "path": str(tmp_path)})
        api.get(f"/nodes/localhost/tasks/{upid}/status")
    return Scenario(salt_call_cli, state_tree, pbs_sim)


def test_namespace_scenario(scenario):
    scenario.test_create(NS)
    assert scenario.api.find(NS.collection, "ns", "prod") is None
    scenario.create(NS)
    # the missing parent was created first
    assert scenario.api.find(NS.collection, "ns", "prod") is not None
    scenario.reapply(NS)
    scenario.absent(NS)
    assert scenario.api.find(NS.collection, "ns", "prod") is not None
