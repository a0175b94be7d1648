"""pbs_namespace execution module through real Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


@pytest.fixture
def ns(pbs_modules, tmp_path):
    pbs_modules.pbs_datastore.create("store1", path=str(tmp_path / "store1"))
    return pbs_modules.pbs_namespace


def _namespaces(sim):
    return sorted(sim.state.runtime["datastores"]["store1"]["namespaces"])


def test_create_with_parents_list_delete(ns, pbs_simulator):
    pbs_simulator.clear_exchanges()
    assert ns.create("store1", "prod/vms/web") == "prod/vms/web"
    posts = [e["body"] for e in writes(pbs_simulator.exchanges())]
    assert posts == [
        {"name": "prod"},
        {"parent": "prod", "name": "vms"},
        {"parent": "prod/vms", "name": "web"},
    ]
    assert _namespaces(pbs_simulator) == ["prod", "prod/vms", "prod/vms/web"]
    assert ns.list("store1") == ["", "prod", "prod/vms", "prod/vms/web"]
    assert ns.list("store1", parent="prod", max_depth=1) == ["prod", "prod/vms"]
    assert ns.get("store1", "prod/vms") == {"ns": "prod/vms"}
    assert ns.get("store1", "test") is None

    ns.delete("store1", "prod/vms")
    assert _namespaces(pbs_simulator) == ["prod"]


def test_delete_refuses_groups_unless_asked(ns, pbs_simulator):
    ns.create("store1", "prod")
    info = pbs_simulator.state.runtime["datastores"]["store1"]
    info.setdefault("groups", []).append(
        {"ns": "prod", "backup-type": "vm", "backup-id": "100", "snapshots": 2}
    )
    with pytest.raises(CommandExecutionError, match="delete-groups"):
        ns.delete("store1", "prod")
    assert "prod" in _namespaces(pbs_simulator)
    assert ns.delete("store1", "prod", delete_groups=True)["removed-groups"] == 1
    assert _namespaces(pbs_simulator) == []


@pytest.mark.parametrize(
    "datastore,name,field",
    [
        ("store1", "a/b/c/d/e/f/g/h", "at most 7"),
        ("store1", "x" * 33, "longer than 32"),
        ("store1", "", "name is required"),
        ("s", "prod", "datastore"),
    ],
)
def test_bad_input_sends_nothing(ns, pbs_simulator, datastore, name, field):
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match=field):
        ns.create(datastore, name)
    with pytest.raises(SaltInvocationError, match="max_depth|max-depth"):
        ns.list("store1", max_depth=8)
    assert pbs_simulator.exchanges() == []
