"""The schema-lag allow-list (tests/support/contract_lag.py): each entry is a field the
generated schema really lacks, names the PBS source and commit adding it, and the checker
accepts exactly the listed spelling: a near miss is still non-conforming."""

import re

import pytest

from tests.support import contract
from tests.support import contract_lag

UPID = "UPID:pbs1:000004D2:0001E240:0000002A:6650A1B2:create-datastore:store1:root@pam:"
SAMPLE_IDS = {"{node}": "localhost", "{realm}": "sso", "{upid}": UPID}


def _path(template):
    for placeholder, value in SAMPLE_IDS.items():
        template = template.replace(placeholder, value)
    return template


def _route(entry):
    route, _ = contract.schema().route(entry.method, _path(entry.template))
    assert route is not None, f"{entry.method} {entry.template} is not in the schema"
    return route


@pytest.mark.parametrize(
    "entry", contract_lag.SCHEMA_LAG, ids=lambda e: f"{e.method} {e.template} {e.where} {e.name}"
)
def test_entry_names_its_source_and_the_schema_really_lacks_it(entry):
    assert entry.where in contract_lag.WHERE
    assert re.fullmatch(r"[0-9a-f]{40}", entry.commit)
    assert re.match(r"(PBS|PRS) \S+\.rs", entry.source)
    route = _route(entry)
    if entry.where == "param":
        body = route["body"]
        declared = body["node"]["properties"] if body else route["params"]
        assert entry.name not in declared, "the schema knows it now: drop the entry"
    elif entry.where == "delete":
        body = route["body"]
        node = body["node"]["properties"]["delete"]
        assert entry.name not in node["items"]["enum"], "the schema knows it now: drop it"
    else:
        node = route["response"]["properties"]["data"]
        props = node["items"]["properties"] if entry.where == "item" else node["properties"]
        assert entry.name not in props, "the schema knows it now: drop the entry"


def _put(path, body):
    return {"method": "PUT", "path": "/api2/json" + path, "query": [], "body": body,
            "content_type": "application/json", "status": 200, "response": {"data": None}}


def _get(path, data):
    return {"method": "GET", "path": "/api2/json" + path, "query": [], "body": None,
            "content_type": None, "status": 200, "response": {"data": data}}


def _problems(exchange):
    found, _ = contract.check_exchange(exchange)
    return found


def test_listed_fields_pass_and_a_typo_does_not():
    node = "/nodes/localhost/config"
    assert _problems(_put(node, {"location": "latitude=1,longitude=2"})) == []
    assert _problems(_put(node, {"delete": ["location"]})) == []
    (typo,) = _problems(_put(node, {"locaton": "latitude=1,longitude=2"}))
    assert "'locaton' is not declared" in typo
    (typo,) = _problems(_put(node, {"delete": ["locaton"]}))
    assert "'locaton' is not one of" in typo
    realm = {"realm": "sso", "issuer-url": "https://id.example.com",
             "client-id": "pbs"}
    assert _problems(_get("/config/access/openid", [{**realm, "audiences": "urn:x"}])) == []
    (typo,) = _problems(_get("/config/access/openid", [{**realm, "audience": "urn:x"}]))
    assert "property 'audience' is not declared" in typo
    # listed for one route only: the same name elsewhere is still unknown
    (elsewhere,) = _problems(_put("/config/access/ldap/corp", {"audiences": "urn:x"}))
    assert "'audiences' is not declared" in elsewhere
