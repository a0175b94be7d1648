"""pbs_acl execution module against the simulated PBS (results checked in the simulator's
state)."""

import pytest
from salt.exceptions import CommandExecutionError

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_acl_functions(pbs_modules, pbs_simulator, user):
    created = pbs_modules.pbs_acl.create("/datastore/s1", user, "DatastoreBackup", propagate=False)
    assert created == {
        "path": "/datastore/s1",
        "auth_id": user,
        "role": "DatastoreBackup",
        "propagate": False,
    }
    assert ("/datastore/s1", user, "DatastoreBackup", False) in pbs_simulator.state.acl_entries()
    pbs_simulator.add_acl("/datastore/s1/ns", user, "DatastoreAudit")
    assert len(pbs_modules.pbs_acl.list(path="/datastore/s1")) == 1
    assert len(pbs_modules.pbs_acl.list(path="/datastore/s1", exact=False)) == 2
    assert len(pbs_modules.pbs_acl.list(auth_id=user)) == 2
    roles = {r["roleid"]: r["privs"] for r in pbs_modules.pbs_acl.roles()}
    assert roles["DatastoreBackup"] == ["Datastore.Backup"]
    perms = pbs_modules.pbs_acl.permissions(user, path="/datastore/s1")
    assert perms["effective"] == {"/datastore/s1": {"Datastore.Backup": False}}
    pbs_modules.pbs_acl.delete("/datastore/s1", user, "DatastoreBackup")
    assert (
        "/datastore/s1",
        user,
        "DatastoreBackup",
        False,
    ) not in pbs_simulator.state.acl_entries()
    with pytest.raises(CommandExecutionError, match="no such user"):
        pbs_modules.pbs_acl.create("/", "ghost@pbs", "Audit")
