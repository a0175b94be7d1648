"""Fixtures shared by the execution-module tests of this directory (each against the
test's own simulator, ``pbs_simulator``):

* ``user``: the PBS user ``backup@pbs``, created through ``pbs_user.create`` (user, token
  and ACL tests);
* ``stores``: datastores ``store1``/``store2`` and the remote ``offsite``, written straight
  into the simulator's config (sync, prune and verify job tests);
* ``ep`` / ``matcher``: the ``pbs_notification_endpoint`` / ``pbs_notification_matcher``
  execution modules.
"""

import pytest


@pytest.fixture
def user(pbs_modules):
    pbs_modules.pbs_user.create("backup@pbs", comment="c", password="backup-pass-1")
    return "backup@pbs"


@pytest.fixture
def stores(pbs_simulator):
    """Two datastores and a remote, written straight into the simulator's config."""
    ds = pbs_simulator.state.file("datastore.cfg")
    for name in ("store1", "store2"):
        ds.set(name, "datastore", {"path": f"/srv/{name}"})
    pbs_simulator.state.file("remote.cfg").set(
        "offsite",
        "remote",
        {"host": "pbs2.example.com", "auth-id": "sync@pbs", "password": "cHc="},
    )
    pbs_simulator.clear_exchanges()
    return ("store1", "store2")


@pytest.fixture
def ep(pbs_modules):
    return pbs_modules.pbs_notification_endpoint


@pytest.fixture
def matcher(pbs_modules):
    return pbs_modules.pbs_notification_matcher
