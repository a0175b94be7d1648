"""Catalog entries of the node settings (node config, DNS, time): properties and the
validation messages given before any request."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils.kinds.node import DNS
from saltext.pbs.utils.kinds.node import NODE_CONFIG
from saltext.pbs.utils.kinds.node import TIME
from tests.support import contract_lag
from tests.unit.utils.kinds import schema_oracle as oracle


def _err(kind, kwargs, op="present"):
    with pytest.raises(SaltInvocationError) as exc:
        catalog.desired(kind, kwargs, op)
    return str(exc.value)


def test_every_property_and_delete_enum():
    for kind, request, enum in (
        (NODE_CONFIG, "nodes_config_update_config_request.NodesConfigUpdateConfigRequest",
         "pbs_nodes_config_inline_enum.PbsNodesConfigInlineEnum"),
        (DNS, "nodes_dns_update_dns_request.NodesDnsUpdateDnsRequest",
         "pbs_nodes_dns_inline_enum.PbsNodesDnsInlineEnum"),
        (TIME, "nodes_time_update_time_request.NodesTimeUpdateTimeRequest", None),
    ):
        # PBS 4.2 properties the schema lags on come from the contract's one allow-list
        lagging = set(contract_lag.fields("PUT", kind.item, "param"))
        lagging_deletable = set(contract_lag.fields("PUT", kind.item, "delete"))
        assert oracle.props_of(kind) == (
            oracle.properties(request) - {"delete", "digest"}) | lagging
        if enum:
            assert oracle.deletable_of(kind) == oracle.enum_values(enum) | lagging_deletable
        assert kind.singleton
    assert not TIME.update_digest and DNS.update_digest and NODE_CONFIG.update_digest


def test_node_config_values():
    values = catalog.desired(
        NODE_CONFIG,
        {
            "acme": "account=default",
            "acmedomain0": "pbs.example.com,plugin=cf",
            "acmedomain1": {"domain": "b.example.com", "alias": "_acme.example.net"},
            "ciphers_tls_1_2": "ECDHE-RSA-AES256-GCM-SHA384",
            "ciphers-tls-1.3": "TLS_AES_256_GCM_SHA384",
            "task_log_max_days": "7",
            "description": "line 1\nline 2",
            "http_proxy": "proxy.example.com:3128",
            "email_from": None,
        },
    )
    assert values["acme"] == {"account": "default"}
    assert values["acmedomain0"] == {"domain": "pbs.example.com", "plugin": "cf"}
    assert values["ciphers-tls-1.2"] and values["ciphers-tls-1.3"]
    assert values["task-log-max-days"] == 7 and values["email-from"] is None
    body = catalog.wire_body(NODE_CONFIG, values)
    assert body["acmedomain1"] == "domain=b.example.com,alias=_acme.example.net"
    assert "email-from" not in body


def test_proxy_password_hidden_in_output():
    prop = NODE_CONFIG.prop("http_proxy")
    value = prop.coerce("http://user:pw-secret-1@proxy.example.com:3128")
    assert prop.display(value) == "http://user:<hidden>@proxy.example.com:3128"
    err = _err(NODE_CONFIG, {"http_proxy": "ftp://user:pw-secret-2@proxy:1"})
    assert "http_proxy" in err and "pw-secret-2" not in err


@pytest.mark.parametrize(
    "kwargs,words",
    [
        ({"default_lang": "xx"}, ("default_lang", "xx")),
        ({"task_log_max_days": -1}, ("task_log_max_days", "at least 0")),
        ({"task_log_max_days": "many"}, ("task_log_max_days", "integer")),
        ({"task_log_max_days": True}, ("task_log_max_days", "integer")),
        ({"email_from": "x"}, ("email_from", "2")),
        ({"consent_text": "x" * 65537}, ("consent_text", "65536")),
        ({"ciphers_tls_1_2": "A;B"}, ("ciphers_tls_1_2",)),
        ({"acme": {"user": "x"}}, ("acme", "unknown key 'user'")),
        ({"acme": {}}, ("acme", "account")),
        ({"acmedomain4": {"domain": "-bad-"}}, ("acmedomain4.domain",)),
        ({"acmedomain0": {"domain": "a.example.com", "plugin": "x/y"}}, ("plugin",)),
        ({"acmedomain0": "a.example.com", "acmedomain2": "A.EXAMPLE.com"}, ("acmedomain2",)),
        ({"acmedomain5": "a.example.com"}, ("Unknown", "acmedomain5")),
        ({"http_proxy": "proxy.example.com:99999"}, ("http_proxy", "port")),
        ({"http_proxy": ["x"]}, ("http_proxy", "string")),
        ({"location": "x"}, ("location", "key=")),
        ({"location": {"latitude": 1}}, ("location", "longitude")),
        ({"location": {"latitude": 1, "longitude": 200}}, ("location", "longitude")),
        ({"locaton": {"latitude": 1, "longitude": 2}}, ("Unknown", "locaton")),
    ],
)
def test_node_config_bad_input(kwargs, words):
    err = _err(NODE_CONFIG, kwargs)
    for word in words:
        assert word in err


@pytest.mark.parametrize(
    "kwargs,words",
    [
        ({"dns1": "300.1.1.1"}, ("dns1", "IP address")),
        ({"dns2": 5}, ("dns2",)),
        ({"search": "bad domain"}, ("search",)),
        ({"search": None}, ("search", "cannot be cleared")),
        ({"dns1": None, "dns3": "192.0.2.1"}, ("dns1", "dns3")),
        ({"dns2": None, "dns3": "192.0.2.1"}, ("dns2", "dns3")),
        ({"digest": "0" * 64}, ("Unknown", "digest")),
    ],
)
def test_dns_bad_input(kwargs, words):
    err = _err(DNS, kwargs)
    for word in words:
        assert word in err


def test_dns_clearing_the_last_server_is_fine():
    assert catalog.desired(DNS, {"dns1": "192.0.2.1", "dns3": None}) == {
        "dns1": "192.0.2.1",
        "dns3": None,
    }


@pytest.mark.parametrize(
    "kwargs,words",
    [
        ({"timezone": "X"}, ("timezone", "at least 2")),
        ({"timezone": None}, ("timezone", "cannot be cleared")),
        ({"timezone": "Europe/\x01"}, ("timezone",)),
        ({"time": 1}, ("Unknown", "time")),
        ({"localtime": 1}, ("Unknown", "localtime")),
    ],
)
def test_time_bad_input(kwargs, words):
    err = _err(TIME, kwargs)
    for word in words:
        assert word in err
