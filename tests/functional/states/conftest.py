"""Fixtures shared by the state tests of this directory (each against the test's own
simulator, ``pbs_simulator``):

* ``testmode``: runs a test twice, live and with ``test=True``;
* ``stores``: datastores ``store1``/``store2`` and the remote ``offsite``, written straight
  into the simulator's config (sync, prune and verify job tests);
* ``backup_user``: the PBS user ``backup@pbs``, made behind Salt's back (token and ACL
  tests).
"""

import pytest


@pytest.fixture(params=(False, True), ids=("live", "test"))
def testmode(request):
    return request.param


@pytest.fixture
def stores(pbs_simulator):
    ds = pbs_simulator.state.file("datastore.cfg")
    for name in ("store1", "store2"):
        ds.set(name, "datastore", {"path": f"/srv/{name}"})
    pbs_simulator.state.file("remote.cfg").set(
        "offsite", "remote", {"host": "pbs2.example.com", "auth-id": "sync@pbs", "password": "cHc="}
    )
    pbs_simulator.clear_exchanges()


@pytest.fixture
def backup_user(pbs_simulator):
    pbs_simulator.state.users.set("backup@pbs", "user", {"userid": "backup@pbs"})
    pbs_simulator.clear_exchanges()
    return "backup@pbs"
