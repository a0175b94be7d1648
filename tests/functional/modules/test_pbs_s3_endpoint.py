"""pbs_s3_endpoint execution module through real Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

PROPS = {"endpoint": "minio.example.com", "access_key": "ak1", "secret_key": "s3-secret-x"}


@pytest.fixture
def s3(pbs_modules):
    return pbs_modules.pbs_s3_endpoint


def _stored(sim, ident):
    return sim.state.file("s3.cfg").props(ident)


def test_create_get_list_update_delete(s3, pbs_simulator):
    assert s3.get("minio") is None
    created = s3.create("minio", port=9000, rate_in="10M", put_rate_limit=20, **PROPS)
    assert created["id"] == "minio" and created["rate-in"] == "10 MB"
    assert "secret-key" not in created
    (post,) = writes(pbs_simulator.exchanges())
    assert post["body"]["secret-key"] == "s3-secret-x" and post["body"]["put-rate-limit"] == 20
    stored = _stored(pbs_simulator, "minio")
    assert (stored["endpoint"], stored["port"], stored["rate-in"]) == (
        "minio.example.com",
        9000,
        "10 MB",
    )
    assert [e["id"] for e in s3.list()] == ["minio"]

    updated = s3.update(
        "minio", port=None, region="eu-1", provider_quirks=["skip-if-none-match-header"]
    )
    assert "port" not in updated and updated["region"] == "eu-1"
    put = writes(pbs_simulator.exchanges())[-1]
    assert put["body"]["delete"] == ["port"]

    s3.delete("minio")
    assert _stored(pbs_simulator, "minio") is None


def test_list_buckets(s3, pbs_simulator):
    s3.create("minio", **PROPS)
    pbs_simulator.state.runtime.setdefault("s3-buckets", {})["minio"] = ["b1", "b2"]
    assert s3.list_buckets("minio") == ["b1", "b2"]
    with pytest.raises(SaltInvocationError, match="name"):
        s3.list_buckets("x")


def test_update_refuses_put_rate_limit_before_any_request(s3, pbs_simulator):
    s3.create("minio", put_rate_limit=5, **PROPS)
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match="put_rate_limit"):
        s3.update("minio", put_rate_limit=10)
    with pytest.raises(SaltInvocationError, match="secret_key.*cannot be cleared"):
        s3.update("minio", secret_key=None)
    assert pbs_simulator.exchanges() == []


@pytest.mark.parametrize(
    "name,props,field",
    [
        ("m", PROPS, "name"),
        ("minio", {**PROPS, "endpoint": "https://minio"}, "endpoint"),
        ("minio", {**PROPS, "port": 0}, "port"),
        ("minio", {**PROPS, "rate_in": "10 parsecs"}, "rate_in"),
        ("minio", {**PROPS, "colour": "red"}, "colour"),
        ("minio", {"endpoint": "minio"}, "access_key"),
    ],
)
def test_bad_input_sends_nothing(s3, pbs_simulator, name, props, field):
    with pytest.raises(SaltInvocationError, match=field):
        s3.create(name, **props)
    assert pbs_simulator.exchanges() == []


def test_pbs_errors_raise(s3, pbs_simulator):
    s3.create("minio", **PROPS)
    with pytest.raises(CommandExecutionError, match="already exists"):
        s3.create("minio", **PROPS)
    with pytest.raises(CommandExecutionError, match="do not exist"):
        s3.delete("nothere")
