"""Fixtures shared by the state tests of this directory (each module has its own simulator,
``pbs_sim``, from ``tests/integration/conftest.py``):

* ``token_user``: the PBS user ``int-tok@pbs`` (token and ACL tests), made through the raw
  API if the module's simulator lacks it;
* ``tape_setup`` (module scope): the datastore, media pool and drive the tape cases refer
  to, made behind Salt's back; returns the raw API client.
"""

import pytest

from tests.support.helpers import RawApi


@pytest.fixture
def token_user(scenario):
    if scenario.api.find("/access/users", "userid", "int-tok@pbs") is None:
        scenario.api.post("/access/users", {"userid": "int-tok@pbs"})
    return "int-tok@pbs"


@pytest.fixture(scope="module")
def tape_setup(pbs_sim):
    """Objects the cases refer to, made behind Salt's back."""
    api = RawApi(pbs_sim)
    pbs_sim.state.file("datastore.cfg").set("int-store", "datastore", {"path": "/srv/int"})
    api.post("/config/media-pool", {"name": "int-job-pool"})
    api.post(
        "/config/drive", {"name": "int-job-drive", "path": "/dev/tape/by-id/scsi-10WT065326-sg"}
    )
    return api
