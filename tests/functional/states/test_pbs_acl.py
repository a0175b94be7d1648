"""pbs_acl states through Salt loaders against the simulated PBS. ``backup_user`` comes
from this directory's conftest.

Results are checked in the simulator's state and its (unmasked) exchanges.
"""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _writes(sim):
    return writes(sim.exchanges())


def _acl(sim):
    return sorted(sim.state.acl_entries())


def test_acl_present_reapply_propagate_absent(pbs_states, pbs_simulator, backup_user):
    sim = pbs_simulator
    args = {"name": "/datastore/store1", "auth_id": "backup@pbs", "role": "DatastoreBackup"}
    ret = pbs_states.pbs_acl.present(**args)
    assert ret.result is True, ret.comment
    assert ret.name == "/datastore/store1"
    assert ret.changes == {
        "old": None,
        "new": {"path": "/datastore/store1", "auth_id": "backup@pbs", "role": "DatastoreBackup"},
    }
    assert _acl(sim) == [("/datastore/store1", "backup@pbs", "DatastoreBackup", True)]
    (put,) = _writes(sim)
    assert put["body"] == {
        "path": "/datastore/store1",
        "auth-id": "backup@pbs",
        "role": "DatastoreBackup",
    }

    sim.clear_exchanges()
    ret = pbs_states.pbs_acl.present(**args, propagate=True)
    assert ret.result is True and ret.changes == {} and _writes(sim) == []

    ret = pbs_states.pbs_acl.present(**args, propagate=False)
    assert ret.changes == {"propagate": {"old": True, "new": False}}
    (put,) = _writes(sim)
    assert put["body"]["propagate"] is False and "digest" in put["body"]
    assert _acl(sim) == [("/datastore/store1", "backup@pbs", "DatastoreBackup", False)]

    sim.clear_exchanges()
    ret = pbs_states.pbs_acl.absent(**args, test=True)
    assert ret.result is None and _writes(sim) == []
    ret = pbs_states.pbs_acl.absent(**args)
    assert ret.result is True and _acl(sim) == []
    (put,) = [w for w in _writes(sim)]
    assert put["body"]["delete"] is True


@pytest.mark.parametrize(
    "args,field",
    [
        ({"name": "/datastore/s1", "auth_id": "backup@pbs", "role": "Superuser"}, "'role'"),
        ({"name": "/nope", "auth_id": "backup@pbs", "role": "Audit"}, "'name'"),
        ({"name": "/datastore/", "auth_id": "backup@pbs", "role": "Audit"}, "'name'"),
        ({"name": "/", "auth_id": "backup", "role": "Audit"}, "'auth_id'"),
        ({"name": "/", "group": "admins", "role": "Audit"}, "'group'"),
    ],
)
def test_acl_bad_input(pbs_states, pbs_simulator, args, field):
    ret = pbs_states.pbs_acl.present(**args)
    assert ret.result is False and field in ret.comment, ret.comment
    assert pbs_simulator.exchanges() == []


def test_acl_unknown_auth_id_is_named(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_acl.present(name="/", auth_id="ghost@pbs!tok", role="Audit")
    assert ret.result is False
    assert "'auth_id'" in ret.comment and "ghost@pbs!tok" in ret.comment


def test_acl_managed_makes_path_exact(pbs_states, pbs_simulator, backup_user):
    sim = pbs_simulator
    sim.create_token("backup@pbs", "pve1")
    sim.add_acl("/datastore/store1", "backup@pbs", "DatastoreAdmin")
    sim.add_acl("/datastore/store1", "backup@pbs!pve1", "DatastoreBackup", propagate=False)
    sim.add_acl("/datastore/store1/ns", "backup@pbs", "DatastoreAudit")  # below: untouched
    entries = [
        {"auth_id": "backup@pbs", "role": "DatastoreBackup"},
        {"auth_id": "backup@pbs!pve1", "role": "DatastoreBackup", "propagate": True},
    ]
    sim.clear_exchanges()
    ret = pbs_states.pbs_acl.managed(name="/datastore/store1", entries=entries, test=True)
    assert ret.result is None and _writes(sim) == []
    assert set(ret.changes) == {
        "DatastoreAdmin for backup@pbs",
        "DatastoreBackup for backup@pbs",
        "DatastoreBackup for backup@pbs!pve1",
    }
    ret = pbs_states.pbs_acl.managed(name="/datastore/store1", entries=entries)
    assert ret.result is True, ret.comment
    assert _acl(sim) == [
        ("/datastore/store1", "backup@pbs", "DatastoreBackup", True),
        ("/datastore/store1", "backup@pbs!pve1", "DatastoreBackup", True),
        ("/datastore/store1/ns", "backup@pbs", "DatastoreAudit", True),
    ]
    sim.clear_exchanges()
    ret = pbs_states.pbs_acl.managed(name="/datastore/store1", entries=entries)
    assert ret.result is True and ret.changes == {} and _writes(sim) == []
    gets = [
        e for e in sim.exchanges() if e["method"] == "GET" and e["path"].endswith("/access/acl")
    ]
    assert len(gets) == 1


def test_acl_managed_bad_entry(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_acl.managed(name="/", entries=[{"auth_id": "a@pbs", "role": "Nope"}])
    assert ret.result is False and "entries[0]" in ret.comment and "'role'" in ret.comment
    ret = pbs_states.pbs_acl.managed(name="/", entries=[{"group": "g1", "role": "Audit"}])
    assert ret.result is False and "'group'" in ret.comment
