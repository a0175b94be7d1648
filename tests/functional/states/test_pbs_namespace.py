"""pbs_namespace states through real Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


@pytest.fixture
def ns(pbs_states, pbs_modules, pbs_simulator, tmp_path):
    pbs_modules.pbs_datastore.create("store1", path=str(tmp_path / "store1"))
    pbs_simulator.clear_exchanges()
    return pbs_states.pbs_namespace


def _namespaces(sim):
    return sorted(sim.state.runtime["datastores"]["store1"].get("namespaces", []))


def test_parents_created_in_order(ns, pbs_simulator):
    ret = ns.present(name="prod/vms/web", datastore="store1", test=True)
    assert ret.result is None
    assert ret.changes["new"]["parents_created"] == ["prod", "prod/vms"]
    assert writes(pbs_simulator.exchanges()) == [] and _namespaces(pbs_simulator) == []

    ret = ns.present(name="prod/vms/web", datastore="store1")
    assert ret.result is True, ret.comment
    assert ret.changes == {
        "old": None,
        "new": {"name": "prod/vms/web", "parents_created": ["prod", "prod/vms"]},
    }
    assert [e["body"] for e in writes(pbs_simulator.exchanges())] == [
        {"name": "prod"},
        {"parent": "prod", "name": "vms"},
        {"parent": "prod/vms", "name": "web"},
    ]
    pbs_simulator.clear_exchanges()
    ret = ns.present(name="prod/vms/web", datastore="store1")
    assert ret.result is True and ret.changes == {}
    assert [e["method"] for e in pbs_simulator.exchanges() if "ticket" not in e["path"]] == ["GET"]


def test_absent_refuses_groups_unless_delete_groups(ns, pbs_simulator):
    ns.present(name="prod", datastore="store1")
    info = pbs_simulator.state.runtime["datastores"]["store1"]
    info.setdefault("groups", []).append(
        {"ns": "prod", "backup-type": "vm", "backup-id": "100", "snapshots": 1}
    )
    ret = ns.absent(name="prod", datastore="store1")
    assert ret.result is False and "delete-groups" in ret.comment
    ret = ns.absent(name="prod", datastore="store1", delete_groups=True)
    assert ret.result is True and ret.changes == {"old": {"ns": "prod"}, "new": None}
    assert _namespaces(pbs_simulator) == []
    deletes = [e for e in writes(pbs_simulator.exchanges()) if e["method"] == "DELETE"]
    assert [e["status"] for e in deletes] == [400, 200]
    delete = deletes[-1]
    assert sorted(delete["query"]) == [["delete-groups", "1"], ["ns", "prod"]]


def test_bad_input(ns, pbs_simulator):
    for name, store, text in (
        ("a/b/c/d/e/f/g/h", "store1", "at most 7"),
        ("prod", None, "'datastore' is required"),
        ("prod", "x", "'datastore'"),
    ):
        ret = ns.present(name=name, datastore=store)
        assert ret.result is False and text in ret.comment
    assert pbs_simulator.exchanges() == []
    ret = ns.present(name="prod", datastore="nostore")
    assert ret.result is False and "nostore" in ret.comment


def test_absent_once_its_datastore_is_gone(ns, pbs_modules, pbs_simulator):
    # a clean-up SLS removes namespaces, then their datastore: every later run converges
    ns.present(name="prod", datastore="store1")
    pbs_modules.pbs_datastore.delete("store1")
    pbs_simulator.clear_exchanges()
    for test in (True, False):
        ret = ns.absent(name="prod", datastore="store1", test=test)
        assert ret.result is True and ret.changes == {}, ret.comment
        assert "already absent" in ret.comment and "store1" in ret.comment
    assert writes(pbs_simulator.exchanges()) == []
    # a datastore that does not exist still fails present, which needs it
    ret = ns.present(name="prod", datastore="store1")
    assert ret.result is False and "store1" in ret.comment
