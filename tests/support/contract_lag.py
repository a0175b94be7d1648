"""Schema lag: the one allow-list of PBS fields the generated ``clientapi_pbs`` schema does
not know yet.

The generated schema comes from an API dump older than PBS 4.2.3, so a few properties PBS
4.2 has are missing from it. Each is listed here once, with where it appears, its type as
PBS declares it, and the PBS source file and commit that add it. The contract checker
(tests/support/contract.py) accepts exactly these and still rejects every other field the
schema does not declare (tests/contract/test_checker.py shows a near-miss spelling fails).

``where`` is one of:

* ``param``: a request parameter (query of GET/DELETE, body of POST/PUT);
* ``delete``: a value of the ``delete`` parameter (PBS's ``DeletableProperty``);
* ``data``: a property of the response's ``data`` object;
* ``item``: a property of each item of the response's ``data`` list.

Repositories: ``PBS`` is proxmox-backup, ``PRS`` is proxmox (proxmox-rs, which holds
pbs-api-types).
"""

import dataclasses

# proxmox-schema's GENERIC_URI_REGEX is not needed: a string is what the wire carries.
_LOCATION = {"type": "string", "min_length": 1}
_AUDIENCES = {"type": "string", "max_length": 4096}
_ENDTIME = {"type": "integer", "ge": 0}


@dataclasses.dataclass(frozen=True)
class LagField:
    method: str
    template: str  # resource path as the generated schema names it
    where: str  # param, delete, data, item
    name: str
    node: dict  # the checker's type node (unused for ``delete``)
    source: str  # "<repo> <file>" that adds the field
    commit: str  # the commit (40 hex) that adds it there


_NODE_LOCATION = ("PRS pbs-api-types/src/node.rs (NodeConfig.location, NodeLocation); PBS "
                  "src/api2/node/config.rs (update, DeletableProperty::Location)")
_NODE_LOCATION_COMMITS = ("d75e2ce0f3ba82ce514f5697ea32fa95b486190d",  # PRS: type
                          "70aada28d413e9f0565477c66e7e0c4b8d02a133")  # PBS: API
_AUDIENCE_SRC = ("PRS pbs-api-types/src/openid.rs (OpenIdRealmConfig.audiences); PBS "
                 "src/api2/config/access/openid.rs (DeletableProperty::Audiences)")
_AUDIENCE_COMMITS = ("37cdbc7c6cfcb01aa40e24d35fd147aa305dcb2d",  # PRS: type
                     "eadde76c7cc4b58722306224a80ad309e0f892ee")  # PBS: API

SCHEMA_LAG = (
    LagField("GET", "/nodes/{node}/config", "data", "location", _LOCATION,
             _NODE_LOCATION, _NODE_LOCATION_COMMITS[0]),
    LagField("PUT", "/nodes/{node}/config", "param", "location", _LOCATION,
             _NODE_LOCATION, _NODE_LOCATION_COMMITS[1]),
    LagField("PUT", "/nodes/{node}/config", "delete", "location", {},
             _NODE_LOCATION, _NODE_LOCATION_COMMITS[1]),
    LagField("GET", "/config/access/openid", "item", "audiences", _AUDIENCES,
             _AUDIENCE_SRC, _AUDIENCE_COMMITS[0]),
    LagField("GET", "/config/access/openid/{realm}", "data", "audiences", _AUDIENCES,
             _AUDIENCE_SRC, _AUDIENCE_COMMITS[0]),
    LagField("POST", "/config/access/openid", "param", "audiences", _AUDIENCES,
             _AUDIENCE_SRC, _AUDIENCE_COMMITS[1]),
    LagField("PUT", "/config/access/openid/{realm}", "param", "audiences", _AUDIENCES,
             _AUDIENCE_SRC, _AUDIENCE_COMMITS[1]),
    LagField("PUT", "/config/access/openid/{realm}", "delete", "audiences", {},
             _AUDIENCE_SRC, _AUDIENCE_COMMITS[1]),
    LagField("GET", "/nodes/{node}/tasks/{upid}/status", "data", "endtime", _ENDTIME,
             "PBS src/api2/node/tasks.rs (get_task_status: endtime of a stopped task)",
             "2683bca432f934d032aa709ed9c690302ab564d5"),
)

WHERE = ("param", "delete", "data", "item")


def fields(method, template, where, lag=SCHEMA_LAG):
    """``{name: node}`` of the lagging fields at ``method template`` in ``where``."""
    return {
        f.name: f.node
        for f in lag
        if f.method == method and f.template == template and f.where == where
    }


def with_params(declared, method, template, lag=SCHEMA_LAG):
    """The declared request parameters plus the lagging ones (and ``delete`` values)."""
    extra = fields(method, template, "param", lag)
    deletable = sorted(fields(method, template, "delete", lag))
    out = {**declared, **extra}
    if deletable and "delete" in out:
        node = out["delete"]
        items = node.get("items", node)
        if "enum" in items:
            items = {**items, "enum": list(items["enum"]) + deletable}
            out["delete"] = {**node, "items": items} if "items" in node else items
    return out


def with_response(node, method, template, lag=SCHEMA_LAG):
    """The response ``data`` node plus the lagging properties of it or of its items."""
    data = fields(method, template, "data", lag)
    if data and node.get("type") == "object":
        node = {**node, "properties": {**node["properties"], **data}}
    items = fields(method, template, "item", lag)
    if items and node.get("type") == "array" and node["items"].get("type") == "object":
        inner = node["items"]
        node = {**node, "items": {**inner, "properties": {**inner["properties"], **items}}}
    return node
