"""pbs_s3_endpoint states through real Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import writes
from tests.support.kinds import api_requests

pytestmark = pytest.mark.usefixtures("pbs_loaders")

PROPS = {"endpoint": "minio.example.com", "access_key": "ak1", "secret_key": "s3-secret-a"}


def test_create_reapply_one_list_and_secret_hidden(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_s3_endpoint.present(name="minio", port=9000, **PROPS)
    assert ret.result is True, ret.comment
    assert ret.changes["new"]["secret_key"] == "<hidden>"
    assert "s3-secret-a" not in repr(ret.raw)
    pbs_simulator.clear_exchanges()
    ret = pbs_states.pbs_s3_endpoint.present(name="minio", port=9000, **PROPS)
    assert ret.result is True and ret.changes == {}
    assert api_requests(pbs_simulator, ("path",), method="GET") == [("/api2/json/config/s3",)]
    assert writes(pbs_simulator.exchanges()) == []


def test_put_rate_limit_change_fails_without_write(pbs_states, pbs_simulator):
    pbs_states.pbs_s3_endpoint.present(name="minio", put_rate_limit=10, **PROPS)
    pbs_simulator.clear_exchanges()
    ret = pbs_states.pbs_s3_endpoint.present(name="minio", put_rate_limit=20, **PROPS)
    assert ret.result is False
    assert "'put_rate_limit' cannot be changed" in ret.comment
    assert writes(pbs_simulator.exchanges()) == []


def test_adopted_endpoint_sends_secret_once(pbs_states, pbs_modules, pbs_simulator):
    # created outside the state: no hash of the secret is stored, so it counts as changed once
    pbs_modules.pbs_s3_endpoint.create("minio", **PROPS)
    pbs_simulator.clear_exchanges()
    ret = pbs_states.pbs_s3_endpoint.present(name="minio", **PROPS)
    assert ret.changes == {"secret_key": {"old": "<hidden>", "new": "<hidden>"}}
    (put,) = writes(pbs_simulator.exchanges())
    assert put["body"]["secret-key"] == "s3-secret-a"
    ret = pbs_states.pbs_s3_endpoint.present(name="minio", **PROPS)
    assert ret.changes == {}


def test_absent_and_in_use(pbs_states, pbs_modules, pbs_simulator, tmp_path):
    pbs_states.pbs_s3_endpoint.present(name="minio", **PROPS)
    pbs_modules.pbs_datastore.create(
        "s3store",
        path=str(tmp_path / "cache"),
        backend={"type": "s3", "client": "minio", "bucket": "pbs"},
    )
    ret = pbs_states.pbs_s3_endpoint.absent(name="minio")
    assert ret.result is False and "in-use" in ret.comment
    pbs_modules.pbs_datastore.delete("s3store")
    pbs_simulator.clear_exchanges()
    ret = pbs_states.pbs_s3_endpoint.absent(name="minio", test=True)
    assert ret.result is None and writes(pbs_simulator.exchanges()) == []
    ret = pbs_states.pbs_s3_endpoint.absent(name="minio")
    assert ret.result is True and ret.changes["new"] is None
    assert pbs_simulator.state.file("s3.cfg").props("minio") is None
