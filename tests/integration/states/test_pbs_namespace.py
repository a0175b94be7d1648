"""``pbs_namespace`` states applied by a real ``salt-call --local`` against the simulator."""

import pytest

from tests.support.scenario import Case

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
def store(scenario, tmp_path):
    if scenario.api.find("/config/datastore", "name", "int-ns-store") is None:
        body = {"name": "int-ns-store", "path": str(tmp_path)}
        upid = scenario.api.post("/config/datastore", body)
        scenario.api.get(f"/nodes/localhost/tasks/{upid}/status")


@pytest.mark.usefixtures("store")
def test_namespace_scenario(scenario):
    scenario.test_create(NS)
    assert scenario.api.find(NS.collection, "ns", "prod") is None
    scenario.create(NS)
    # the missing parent was created first
    assert scenario.api.find(NS.collection, "ns", "prod") is not None
    scenario.reapply(NS)
    scenario.absent(NS)
    assert scenario.api.find(NS.collection, "ns", "prod") is not None
