"""Catalog entry of metric servers: a typed kind with influxdb-http and influxdb-udp."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils.kinds.metrics import INFLUXDB_HTTP
from saltext.pbs.utils.kinds.metrics import INFLUXDB_UDP
from saltext.pbs.utils.kinds.metrics import METRICS_SERVER
from tests.unit.utils.kinds import schema_oracle as oracle


@pytest.mark.parametrize(
    "kind,create,delete",
    [
        (
            INFLUXDB_HTTP,
            "config_metrics_create_influxdb_http_request.ConfigMetricsCreateInfluxdbHttpRequest",
            "pbs_config_metrics_inline_enum.PbsConfigMetricsInlineEnum",
        ),
        (
            INFLUXDB_UDP,
            "config_metrics_create_influxdb_udp_request.ConfigMetricsCreateInfluxdbUdpRequest",
            "pbs_config_metrics_inline_enum2.PbsConfigMetricsInlineEnum2",
        ),
    ],
)
def test_every_pbs4_property_and_delete_enum(kind, create, delete):
    assert oracle.props_of(kind) == oracle.properties(create) - {"name"}
    assert oracle.deletable_of(kind) == oracle.enum_values(delete)


def test_type_selects_the_variant():
    assert METRICS_SERVER.variant("influxdb-http") is INFLUXDB_HTTP
    assert METRICS_SERVER.variant("influxdb-udp").item == "/config/metrics/influxdb-udp/{name}"
    with pytest.raises(SaltInvocationError, match="'type' is required"):
        METRICS_SERVER.variant(None)
    with pytest.raises(SaltInvocationError, match="'type'.*'graphite' is not one of"):
        METRICS_SERVER.variant("graphite")
    # one name space, one config file: a write to one type refreshes both lists
    assert INFLUXDB_HTTP.cache_group == INFLUXDB_UDP.cache_group


def test_token_is_secret_and_defaults_compare():
    assert {p.wire for p in INFLUXDB_HTTP.props if p.secret} == {"token"}
    # PBS omits enable when true, and the documented defaults are never stored
    for wire, value in (
        ("enable", True),
        ("bucket", "proxmox"),
        ("organization", "proxmox"),
        ("max-body-size", 25000000),
        ("verify-tls", True),
    ):
        assert INFLUXDB_HTTP.prop(wire).equal(None, value), wire
    assert INFLUXDB_UDP.prop("mtu").equal(None, 1500)
    assert not INFLUXDB_UDP.prop("mtu").equal(None, 1400)


@pytest.mark.parametrize(
    "kind,kwargs,field,reason",
    [
        (INFLUXDB_HTTP, {"host": "a:1"}, "host", "Unknown Metrics server (influxdb-http)"),
        (INFLUXDB_HTTP, {"url": "influx.example.com"}, "url", "http:// or https://"),
        (INFLUXDB_HTTP, {"url": "ftp://influx"}, "url", "http:// or https://"),
        (INFLUXDB_HTTP, {"url": "https://influx:99999"}, "url", "port"),
        (INFLUXDB_HTTP, {"url": "https://in flux"}, "url", ""),
        (INFLUXDB_HTTP, {"bucket": ""}, "bucket", "at least 1"),
        (INFLUXDB_HTTP, {"organization": "o" * 33}, "organization", "at most 32"),
        (INFLUXDB_HTTP, {"max_body_size": 0}, "max_body_size", "at least 1"),
        (INFLUXDB_HTTP, {"verify_tls": "maybe"}, "verify_tls", "boolean"),
        (INFLUXDB_UDP, {"url": "http://x"}, "url", "Unknown Metrics server (influxdb-udp)"),
        (INFLUXDB_UDP, {"host": "influx.example.com"}, "host", "host:port"),
        (INFLUXDB_UDP, {"host": "fd00::1:8089"}, "host", "host:port"),
        (INFLUXDB_UDP, {"host": "influx:0"}, "host", "port"),
        (INFLUXDB_UDP, {"mtu": 70000}, "mtu", "at most 65535"),
        (INFLUXDB_UDP, {"host": None}, "host", "cannot be cleared"),
    ],
)
def test_bad_input_names_the_field(kind, kwargs, field, reason):
    with pytest.raises(SaltInvocationError) as exc:
        catalog.desired(kind, kwargs)
    assert f"'{field}'" in str(exc.value) and reason in str(exc.value)


def test_valid_addresses():
    assert catalog.desired(INFLUXDB_UDP, {"host": "[fd00::1]:8089"}) == {"host": "[fd00::1]:8089"}
    for url in ("http://10.0.0.1:8086", "https://[fd00::1]/influx", "https://influx"):
        assert catalog.desired(INFLUXDB_HTTP, {"url": url}) == {"url": url}
