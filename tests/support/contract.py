"""The contract checker: judge recorded HTTP exchanges against the PBS API schema.

The schema comes from the generated ``clientapi_pbs`` package (a test-only dependency; it is
imported here and never by ``src/``). From its ``api`` classes we build a route table:

* each ``_<op>_serialize`` method names the HTTP ``method=`` and ``resource_path=``; the
  ``_query_params.append(('wire-name', python_name))`` and ``_path_params['x'] = x`` lines
  map the typed parameters of the public ``<op>`` method to their wire names;
* a POST/PUT operation takes one ``*Request`` pydantic model as its body;
* the ``'200'`` entry of ``_response_types_map`` names the response model.

Types, enums, lengths and ranges come from the pydantic annotations; regex patterns live in
``*_validate_regular_expression`` validators and are read from their source, then translated
from POSIX classes to Python ``re``.

An *exchange* is a dict as recorded by the simulator: ``method``, ``path`` (with
``/api2/json``), ``query`` (list of ``[key, value]``), ``body``, ``content_type``,
``status`` and ``response``. :func:`check_request` and :func:`check_response` return a list
of human-readable problems (empty when the exchange conforms).

Where the generated schema differs from what PBS really sends, the wire format wins; every
such deviation is listed once, with its reason, in :data:`QUIRKS`. Fields PBS 4.2 has and the
schema does not know yet are listed once, with the PBS commit that adds each, in
``tests/support/contract_lag.py``.
"""

import enum
import functools
import importlib
import inspect
import pkgutil
import re
import types
import typing
import urllib.parse

import annotated_types
import pydantic
from pydantic.fields import FieldInfo

from tests.support import contract_lag

# --------------------------------------------------------------------------------------------
# Known generator quirks: the one place where the checker deviates from the generated schema.
# --------------------------------------------------------------------------------------------
QUIRKS = {
    "posix-classes": (
        "Patterns use POSIX bracket classes such as [[:^cntrl:]] that Python's re misreads; "
        "they are translated (see translate_posix_classes)."
    ),
    "property-string-oneof": (
        "Property-string parameters (tuning, notify, maintenance-mode, "
        "notification-thresholds, acme, sync-attributes, ...) are modelled as "
        "oneOf(object|string) wrappers; PBS sends and accepts them only as plain strings, "
        "so a JSON object there is non-conforming."
    ),
    "webhook-header-secret": (
        "Webhook 'header'/'secret' items are modelled as oneOf(object|string); on the wire "
        "they are property strings 'name=...,value=<base64>' (same rule as above)."
    ),
    "envelope-total-changes": (
        "Every response model declares optional 'total' and 'changes'. 'changes' does not "
        "exist in PBS and is rejected; 'total' is accepted only where PBS sends it "
        "(task list, syslog, task log)."
    ),
    "envelope-digest": (
        "PBS adds a top-level 'digest' to config reads; the generated envelopes omit it. "
        "It is accepted on GET responses and must be 64 lower-case hex characters."
    ),
    "ticket-envelope": (
        "POST/DELETE /access/ticket build their own body and carry the extjs-style "
        "'status' and 'success' members even on /api2/json."
    ),
    "task-log-body": (
        "GET /nodes/{node}/tasks/{upid}/log has its own body: 'data' is a list of "
        "{n, t} lines and the envelope carries 'total', 'success' and (with test-status) "
        "'active'; the model types 'data' as Any, so the lines are checked here."
    ),
    "declared-return-null": (
        "Some handlers declare a return type but return nothing or an Option: the realm "
        "update handlers (returns LdapRealmConfig/AdRealmConfig/OpenIdRealmConfig/"
        "PamRealmConfig, function returns ()), PUT /access/users/{userid}/token/{token-name} "
        "without regenerate (src/api2/access/user.rs returns Value::Null) and GET "
        "/config/access/tfa/webauthn before it is configured (Option<WebauthnConfig>), so "
        "PBS sends {'data': null} there."
    ),
    "acme-only-return-existing": (
        "GET /config/acme/account/{name}: the model requires account.onlyReturnExisting, "
        "but PBS sets it to false and serialises it only when true (proxmox-acme "
        "AccountData, skip_serializing_if = is_false), so it is never sent."
    ),
    "snapshot-files-objects": (
        "GET /admin/datastore/{store}/snapshots: the schema types 'files' as archive names, "
        "but the Rust type is Vec<BackupContent> (pbs-api-types SnapshotListItem), so PBS "
        "sends {filename, size?, crypt-mode?} objects; checked against that shape here."
    ),
    "empty-group-last-backup": (
        "GET /admin/datastore/{store}/groups: the schema gives last-backup a minimum of 1 "
        "(a backup time), but a group without a snapshot is listed with last-backup 0 "
        "(backup_group_to_group_list_item in src/api2/admin/datastore.rs: "
        "unwrap_or((0, Vec::new()))); accepted as an integer from 0."
    ),
    "prune-result-extras": (
        "POST /admin/datastore/{store}/prune: besides the modelled keys each entry carries "
        "'protected' and, outside the root namespace, 'ns' (the PruneResult struct in "
        "src/api2/admin/datastore.rs prune); accepted as boolean and namespace string."
    ),
    "raw-download": (
        "GET /admin/datastore/{store}/download, download-decoded and pxar-file-download are "
        "AsyncHttp handlers (src/api2/admin/datastore.rs download_file, "
        "download_file_decoded, pxar_file_download): they stream the file as "
        "application/octet-stream, not a {'data': ...} envelope, so their 200 bodies are "
        "not schema-checked."
    ),
    "prune-use-task-upid": (
        "POST /admin/datastore/{store}/prune with use-task=true answers the task's UPID "
        "(json!(upid) in src/api2/admin/datastore.rs prune) although the declared return "
        "type is the prune list; such an answer is checked as a UPID string."
    ),
    "tfa-skipped-defaults": (
        "TFA entries (proxmox-tfa types.rs TfaInfo) skip an empty 'description' and "
        "'enable' when true, and TfaUser skips 'totp-locked' when false "
        "(skip_serializing_if); the models require them, so they are optional here."
    ),
    "tfa-recovery-keys": (
        "POST /access/tfa/{userid}: the model types 'recovery' as a list of integers and "
        "requires it, but TfaUpdateInfo.recovery is a Vec<String> of 'xxxx-xxxx-xxxx-xxxx' "
        "keys (proxmox-tfa api/recovery.rs) skipped when empty (a TOTP entry)."
    ),
    "network-interface-extras": (
        "GET /nodes/{node}/network[/{iface}]: PBS adds 'digest' to each interface (and "
        "'iface' to each listed one), omits the empty lists 'options', 'options6' and "
        "'altnames' (proxmox-network-api Interface, skip_serializing_if = Vec::is_empty), and "
        "the list's envelope carries 'changes', the diff of the staged configuration as text "
        "(src/api2/node/network.rs list_network_devices)."
    ),
    "null-in-response": (
        "Optional response properties may be JSON null (e.g. a task status 'id' without "
        "worker id), as the model allows; in requests null is never accepted because PBS "
        "type-checks it instead of treating it as absent."
    ),
}

_DIGEST_RE = re.compile(r"^[0-9a-f]{64}$")
_ENVELOPE_EXTRAS = {
    # (method, resource_path) -> extra top-level members PBS sends there
    ("POST", "/access/ticket"): {"status", "success"},
    ("DELETE", "/access/ticket"): {"status", "success"},
    ("GET", "/nodes/{node}/tasks/{upid}/log"): {"total", "success", "active"},
    ("GET", "/nodes/{node}/tasks"): {"total"},
    ("GET", "/nodes/{node}/syslog"): {"total"},
    ("GET", "/nodes/{node}/network"): {"changes"},  # quirk "network-interface-extras"
}
_NULL_DATA_OK = {
    # (method, resource_path) where PBS answers data null although a model is declared
    # (quirk "declared-return-null")
    ("PUT", "/config/access/ldap/{realm}"),
    ("PUT", "/config/access/ad/{realm}"),
    ("PUT", "/config/access/openid/{realm}"),
    ("PUT", "/config/access/pam"),
    ("PUT", "/config/access/pbs"),
    ("GET", "/config/access/tfa/webauthn"),
    ("PUT", "/access/users/{userid}/token/{token-name}"),
}
_NOT_REQUIRED = {
    # (method, resource_path) -> (path of nested object in 'data', properties PBS omits)
    ("GET", "/config/acme/account/{name}"): (("account",), {"onlyReturnExisting"}),
    # quirk "network-interface-extras" (in a list: of each item)
    ("GET", "/nodes/{node}/network"): ((), {"options", "options6", "altnames"}),
    ("GET", "/nodes/{node}/network/{iface}"): ((), {"options", "options6", "altnames"}),
}
_EXTRA_RESPONSE_PROPS = {
    # (method, resource_path) -> properties PBS adds to 'data' beyond the generated model
    ("GET", "/nodes/{node}/network/{iface}"): {  # quirk "network-interface-extras"
        "digest": {"type": "string", "pattern": _DIGEST_RE},
    },
}
_BACKUP_CONTENT = {
    "type": "object",
    "name": "BackupContent",
    "properties": {
        "filename": {"type": "string"},
        "size": {"type": "integer", "ge": 0},
        "crypt-mode": {"type": "string", "enum": ["none", "encrypt", "sign-only"]},
    },
    "required": {"filename"},
    "additional": False,
}
_EXTRA_ITEM_PROPS = {
    # (method, resource_path) -> properties of the items of a 'data' list that PBS sends
    # beyond (or instead of) the generated model
    ("GET", "/admin/datastore/{store}/snapshots"): {  # quirk "snapshot-files-objects"
        "files": {"type": "array", "items": _BACKUP_CONTENT},
    },
    ("GET", "/admin/datastore/{store}/groups"): {  # quirk "empty-group-last-backup"
        "last-backup": {"type": "integer", "ge": 0},
    },
    ("POST", "/admin/datastore/{store}/prune"): {  # quirk "prune-result-extras"
        "protected": {"type": "boolean"},
        "ns": {"type": "string", "max_length": 256},
    },
    ("GET", "/nodes/{node}/network"): {  # quirk "network-interface-extras"
        "digest": {"type": "string", "pattern": _DIGEST_RE},
        "iface": {"type": "string", "min_length": 1, "max_length": 15},
    },
}
_RAW_BODY = {
    # (method, resource_path) answering a raw file instead of an envelope (quirk "raw-download")
    ("GET", "/admin/datastore/{store}/download"),
    ("GET", "/admin/datastore/{store}/download-decoded"),
    ("GET", "/admin/datastore/{store}/pxar-file-download"),
}
_TASK_LOG_LINE = {
    "type": "object",
    "name": "task log line",
    "properties": {"n": {"type": "integer", "ge": 1}, "t": {"type": "string"}},
    "required": {"n", "t"},
    "additional": False,
}

# --------------------------------------------------------------------------------------------
# POSIX character classes
# --------------------------------------------------------------------------------------------
_POSIX = {
    "alnum": "A-Za-z0-9",
    "alpha": "A-Za-z",
    "digit": "0-9",
    "xdigit": "0-9A-Fa-f",
    "upper": "A-Z",
    "lower": "a-z",
    "space": r" \t\n\r\f\v",
    "blank": r" \t",
    "cntrl": r"\x00-\x1f\x7f",
    "punct": r"!-/:-@\[-`{-~",
    "print": r"\x20-\x7e",
    "graph": r"\x21-\x7e",
    "word": r"\w",
}


def translate_posix_classes(pattern):
    """Rewrite POSIX bracket classes for Python's ``re``.

    ``[[:^cntrl:]]`` (a bracket holding only a negated class) becomes ``[^\\x00-\\x1f\\x7f]``;
    ``[:cntrl:]`` inside a larger bracket expression is replaced by its range.
    """

    def whole(match):
        neg, name = match.group(1), match.group(2)
        return ("[^" if neg else "[") + _POSIX[name] + "]"

    pattern = re.sub(r"\[\[:(\^?)(\w+):\]\]", whole, pattern)
    if "[:^" in pattern:
        # A negated class mixed with other members cannot be expressed as one bracket.
        raise ValueError(f"unsupported negated POSIX class inside a bracket: {pattern}")
    return re.sub(r"\[:(\w+):\]", lambda m: _POSIX[m.group(1)], pattern)


# --------------------------------------------------------------------------------------------
# Type nodes: plain dicts built from the pydantic annotations
# --------------------------------------------------------------------------------------------
_CONSTRAINTS = {
    annotated_types.MinLen: ("min_length", "min_length"),
    annotated_types.MaxLen: ("max_length", "max_length"),
    annotated_types.Ge: ("ge", "ge"),
    annotated_types.Le: ("le", "le"),
    annotated_types.Gt: ("gt", "gt"),
    annotated_types.Lt: ("lt", "lt"),
}


def _constraints(meta):
    out = {}
    for item in meta:
        if isinstance(item, FieldInfo):
            out.update(_constraints(item.metadata))
            continue
        for cls, (attr, key) in _CONSTRAINTS.items():
            if isinstance(item, cls):
                out[key] = getattr(item, attr)
    return out


def _is_oneof_wrapper(cls):
    return "actual_instance" in cls.model_fields and "one_of_schemas" in cls.model_fields


_PATTERN_RE = re.compile(r're\.match\(r"((?:[^"\\]|\\.)*)"')


def _field_patterns(model):
    patterns = {}
    for dec in model.__pydantic_decorators__.field_validators.values():
        if not dec.cls_var_name.endswith("_validate_regular_expression"):
            continue
        match = _PATTERN_RE.search(inspect.getsource(dec.func))
        if match:
            for field in dec.info.fields:
                patterns[field] = translate_posix_classes(match.group(1))
    return patterns


class Schema:
    """Type nodes and the route table built from ``clientapi_pbs``."""

    def __init__(self):
        self._models = {}
        self.routes = []  # list of dicts: method, template, regex, literal, params, ...
        self._load_routes()

    # ---- types -----------------------------------------------------------------------------
    def node(self, annotation, extra=None):
        """Return the type node for a typing annotation."""
        extra = dict(extra or {})
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            base, *meta = typing.get_args(annotation)
            extra.update(_constraints(meta))
            return self.node(base, extra)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            nullable = len(args) < len(typing.get_args(annotation))
            if len(args) == 1:
                node = self.node(args[0], extra)
            elif all(self.node(a)["type"] in ("integer", "number") for a in args):
                node = {"type": "number", **extra}
            else:
                node = {"type": "anyof", "options": [self.node(a) for a in args]}
            if nullable:
                node = {**node, "nullable": True}
            return node
        if origin in (list, typing.List, set, tuple):
            (item,) = typing.get_args(annotation)[:1] or (typing.Any,)
            return {"type": "array", "items": self.node(item), **extra}
        if origin in (dict, typing.Dict):
            return {"type": "object", "properties": {}, "required": set(), "additional": True}
        if annotation is typing.Any:
            return {"type": "any"}
        if annotation is bool:
            return {"type": "boolean", **extra}
        if annotation is int:
            return {"type": "integer", **extra}
        if annotation is float:
            return {"type": "number", **extra}
        if annotation is str:
            return {"type": "string", **extra}
        if inspect.isclass(annotation) and issubclass(annotation, enum.Enum):
            return {"type": "string", "enum": [m.value for m in annotation], **extra}
        if inspect.isclass(annotation) and issubclass(annotation, pydantic.BaseModel):
            return self.model(annotation)
        raise TypeError(f"unsupported annotation in schema: {annotation!r}")

    def model(self, cls):
        """Return the (cached) object node of a pydantic model."""
        if cls in self._models:
            return self._models[cls]
        if _is_oneof_wrapper(cls):
            # Quirk "property-string-oneof" / "webhook-header-secret": a string on the wire.
            node = {"type": "string", "quirk": "property-string-oneof", "name": cls.__name__}
            self._models[cls] = node
            return node
        node = {"type": "object", "name": cls.__name__, "properties": {}, "required": set()}
        self._models[cls] = node  # before recursing: models may refer to themselves
        patterns = _field_patterns(cls)
        node["additional"] = "additional_properties" in cls.model_fields
        for pyname, field in cls.model_fields.items():
            if pyname == "additional_properties":
                continue
            wire = field.alias or pyname
            child = self.node(field.annotation, _constraints(field.metadata))
            if pyname in patterns:
                child = {**child, "pattern": patterns[pyname]}
            node["properties"][wire] = child
            if field.is_required():
                node["required"].add(wire)
        return node

    # ---- routes ----------------------------------------------------------------------------
    def _load_routes(self):
        api_pkg = importlib.import_module("clientapi_pbs.api")
        models = importlib.import_module("clientapi_pbs.models")
        for info in pkgutil.iter_modules(api_pkg.__path__):
            mod = importlib.import_module(f"clientapi_pbs.api.{info.name}")
            for _, cls in inspect.getmembers(mod, inspect.isclass):
                if cls.__module__ != mod.__name__:
                    continue
                for name, func in inspect.getmembers(cls, inspect.isfunction):
                    if name.startswith("_") and name.endswith("_serialize"):
                        self._add_route(cls, name[1 : -len("_serialize")], func, models)
        # Literal segments win over parameters: '/config/datastore' beats '/config/{x}'.
        self.routes.sort(key=lambda r: (-r["literal"], r["template"]))

    def _add_route(self, cls, op, serialize, models):
        src = inspect.getsource(serialize)
        method = re.search(r"method='(\w+)'", src).group(1)
        template = re.search(r"resource_path='([^']+)'", src).group(1)
        # enum-typed parameters are appended as ``name.value``
        query_re = r"_query_params\.append\(\('([^']+)', (\w+)(?:\.value)?\)"
        wire = dict((py, w) for w, py in re.findall(query_re, src))
        path_names = dict(
            (py, w) for w, py in re.findall(r"_path_params\['([^']+)'\] = (\w+)", src)
        )
        body_arg = re.search(r"_body_params = (\w+)", src)
        public = getattr(cls, op)
        op_src = inspect.getsource(public)
        resp = re.search(r"'200': (?:\"(\w+)\"|None)", op_src)
        sig = inspect.signature(public)
        params, required, path_params = {}, set(), {}
        body = None
        for pname, param in sig.parameters.items():
            if pname == "self" or pname.startswith("_"):
                continue
            if body_arg and pname == body_arg.group(1):
                ann = param.annotation
                while typing.get_origin(ann) in (typing.Annotated, typing.Union):
                    ann = [a for a in typing.get_args(ann) if a is not type(None)][0]
                body = {
                    "node": self.model(ann),
                    "required": param.default is inspect.Parameter.empty,
                }
                continue
            node = self.node(param.annotation)
            if pname in path_names:
                path_params[path_names[pname]] = node
                continue
            params[wire.get(pname, pname)] = node
            if param.default is inspect.Parameter.empty:
                required.add(wire.get(pname, pname))
        segments = template.strip("/").split("/")
        groups = {_group(s[1:-1]): s[1:-1] for s in segments if s.startswith("{")}
        regex = (
            "^/"
            + "/".join(
                "(?P<%s>[^/]+)" % _group(s[1:-1]) if s.startswith("{") else re.escape(s)
                for s in segments
            )
            + "$"
        )
        response = getattr(models, resp.group(1)) if resp and resp.group(1) else None
        self.routes.append(
            {
                "method": method,
                "template": template,
                "operation": f"{cls.__name__}.{op}",
                "regex": re.compile(regex if template != "/" else "^/$"),
                "literal": sum(1 for s in segments if not s.startswith("{")),
                "params": params,
                "required": required,
                "path_params": path_params,
                "groups": groups,
                "body": body,
                "response": self.model(response) if response else None,
            }
        )

    def route(self, method, path):
        """The route for METHOD and a path relative to /api2/json, and its path parameters."""
        candidates = []
        for route in self.routes:
            match = route["regex"].match(path)
            if match:
                candidates.append(route)
                if route["method"] == method:
                    values = {
                        route["groups"][g]: urllib.parse.unquote(v)
                        for g, v in match.groupdict().items()
                    }
                    return route, values
        return None, [r["method"] for r in candidates]


def _group(name):
    return re.sub(r"\W", "_", name)


@functools.lru_cache(maxsize=1)
def schema():
    """The schema, built once per process (takes about a second)."""
    return Schema()


# --------------------------------------------------------------------------------------------
# Value checks
# --------------------------------------------------------------------------------------------
_FORM_BOOL = {"1", "0", "true", "false", "yes", "no", "on", "off"}


def _describe(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_value(node, value, where, mode, problems):
    """Check one value against a node; append problems. mode: 'json', 'form' or 'response'."""
    kind = node["type"]
    if value is None:
        if mode == "response" and (node.get("nullable") or kind == "any"):
            return
        if mode == "response":
            problems.append(f"{where}: null where the schema requires a {kind}")
        else:
            problems.append(
                f"{where}: null is not 'absent' for PBS (it is type-checked); omit the key"
            )
        return
    if kind == "any":
        return
    if mode == "form":
        if kind == "array":
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                check_value(node["items"], item, f"{where}[{index}]", mode, problems)
            _check_length(node, items, where, problems)
            return
        if isinstance(value, list):
            problems.append(
                f"{where}: given {len(value)} times but is not an array (duplicate parameter)"
            )
            return
        value = _from_form(node, value, where, problems)
        if value is None:
            return
    if kind == "anyof":
        for option in node["options"]:
            sub = []
            check_value(option, value, where, mode, sub)
            if not sub:
                return
        problems.append(f"{where}: {_describe(value)} matches none of the allowed types")
        return
    if kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{where}: expected a boolean, got {_describe(value)}")
        return
    if kind in ("integer", "number"):
        ok = isinstance(value, int) if kind == "integer" else isinstance(value, (int, float))
        if not ok or isinstance(value, bool):
            problems.append(f"{where}: expected {kind}, got {_describe(value)}")
            return
        for key, test, text in (
            ("ge", lambda v, b: v >= b, "at least"),
            ("gt", lambda v, b: v > b, "greater than"),
            ("le", lambda v, b: v <= b, "at most"),
            ("lt", lambda v, b: v < b, "less than"),
        ):
            if key in node and not test(value, node[key]):
                problems.append(f"{where}: {value} is not {text} {node[key]}")
        return
    if kind == "string":
        if not isinstance(value, str):
            why = ""
            if node.get("quirk"):
                why = f" (property string {node['name']}: a plain string on the wire)"
            problems.append(f"{where}: expected a string, got {_describe(value)}{why}")
            return
        if "enum" in node and value not in node["enum"]:
            problems.append(f"{where}: {_describe(value)} is not one of {node['enum']}")
        _check_length(node, value, where, problems)
        if "pattern" in node and not re.match(node["pattern"], value):
            problems.append(f"{where}: {_describe(value)} does not match /{node['pattern']}/")
        return
    if kind == "array":
        if not isinstance(value, list):
            problems.append(f"{where}: expected an array, got {_describe(value)}")
            return
        _check_length(node, value, where, problems)
        for index, item in enumerate(value):
            check_value(node["items"], item, f"{where}[{index}]", mode, problems)
        return
    if kind == "object":
        check_object(node, value, where, mode, problems)
        return
    raise AssertionError(f"unknown node type {kind}")


def _check_length(node, value, where, problems):
    if "min_length" in node and len(value) < node["min_length"]:
        problems.append(f"{where}: length {len(value)} is below the minimum {node['min_length']}")
    if "max_length" in node and len(value) > node["max_length"]:
        problems.append(f"{where}: length {len(value)} is above the maximum {node['max_length']}")


def _from_form(node, text, where, problems):
    """Convert a form/query text to the JSON value PBS would parse it as, or None on error."""
    kind = node["type"]
    if not isinstance(text, str):
        problems.append(f"{where}: form values are text, got {_describe(text)}")
        return None
    if kind == "boolean":
        if text.lower() not in _FORM_BOOL:
            problems.append(f"{where}: {_describe(text)} is not a boolean")
            return None
        return text.lower() in ("1", "true", "yes", "on")
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", text):
            problems.append(f"{where}: {_describe(text)} is not an integer")
            return None
        return int(text)
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            problems.append(f"{where}: {_describe(text)} is not a number")
            return None
    if kind == "object":
        problems.append(f"{where}: objects cannot be sent as form values")
        return None
    return text


def check_object(node, value, where, mode, problems):
    if not isinstance(value, dict):
        problems.append(
            f"{where}: expected an object ({node.get('name', 'object')}), got {_describe(value)}"
        )
        return
    props = node["properties"]
    for key in sorted(node["required"] - set(value)):
        problems.append(f"{where}: required property '{key}' is missing")
    for key, item in value.items():
        if key in props:
            check_value(props[key], item, f"{where}.{key}" if where else key, mode, problems)
        elif not node.get("additional"):
            problems.append(
                f"{where}: property '{key}' is not declared in {node.get('name', 'the schema')}"
            )


# --------------------------------------------------------------------------------------------
# Exchanges
# --------------------------------------------------------------------------------------------
API_PREFIX = "/api2/json"


def in_scope(exchange):
    """Only /api2/json exchanges are judged (extjs and the simulator's /_sim side channel not)."""
    path = urllib.parse.urlsplit(exchange["path"]).path
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def _api_path(exchange):
    path = urllib.parse.urlsplit(exchange["path"]).path
    return path[len(API_PREFIX) :] or "/"


def _is_json(exchange):
    ctype = (exchange.get("content_type") or "").split(";")[0].strip().lower()
    return ctype == "application/json"


def _form_params(pairs):
    merged = {}
    for key, value in pairs:
        if key in merged:
            previous = merged[key]
            merged[key] = (previous if isinstance(previous, list) else [previous]) + [value]
        else:
            merged[key] = value
    return merged


def _locate(exchange, sch):
    """(method, path relative to /api2/json, route or None, path params or other methods)."""
    method = exchange["method"].upper()
    path = _api_path(exchange)
    return (method, path, *(sch or schema()).route(method, path))


def check_request(exchange, sch=None):
    """Problems with the request half of an exchange (empty list when it conforms)."""
    method, path, route, found = _locate(exchange, sch)
    label = f"{method} {API_PREFIX}{path}"
    if route is None:
        if found:
            return [f"{label}: method not in the schema for this path (has {sorted(set(found))})"]
        return [f"{label}: path not in the schema"]
    problems = []
    for name, value in found.items():
        node = route["path_params"].get(name, {"type": "string"})
        check_value(node, value, f"path parameter '{name}'", "form", problems)
    query = [tuple(pair) for pair in exchange.get("query") or [] if pair[0] != "_dc"]
    body = exchange.get("body")
    if method in ("GET", "DELETE"):
        if _is_json(exchange) and query:
            problems.append("query string sent with Content-Type application/json: PBS ignores it")
            query = []  # judged as PBS sees it: without those parameters
        # PBS parses a JSON body on any method (proxmox-rest-server rest.rs
        # get_request_parameters): how a DELETE carries a secret (the TFA password)
        json_delete = method == "DELETE" and _is_json(exchange) and isinstance(body, dict)
        if body not in (None, {}, "", []) and not json_delete:
            problems.append(
                "body sent with a GET/DELETE request; PBS reads parameters from the query"
            )
        declared, required, extra_ok = route["params"], route["required"], False
        params, mode = (body, "json") if json_delete else (_form_params(query), "form")
    else:
        body_spec = route["body"]
        declared = body_spec["node"]["properties"] if body_spec else {}
        required = body_spec["node"]["required"] if body_spec else set()
        extra_ok = bool(body_spec and body_spec["node"].get("additional"))
        if _is_json(exchange):
            if query:
                problems.append("query string sent with a JSON body: PBS ignores it")
            params, mode = (body if body is not None else {}), "json"
            if not isinstance(params, dict):
                return [f"{label}: JSON body must be an object, got {_describe(params)}"]
        else:
            form = body if isinstance(body, dict) else {}
            params = _form_params(
                query + [(k, v) for k, vals in form.items() for v in _listify(vals)]
            )
            mode = "form"
    # PBS 4.2 parameters the generated schema lags on (contract_lag.SCHEMA_LAG)
    declared = contract_lag.with_params(declared, method, route["template"])
    for key in sorted(required - set(params)):
        problems.append(f"required parameter '{key}' is missing")
    for key, value in params.items():
        if key in declared:
            check_value(declared[key], value, f"parameter '{key}'", mode, problems)
        elif not extra_ok:
            problems.append(f"parameter '{key}' is not declared by {route['operation']}")
    return [f"{label}: {p}" for p in problems]


def _listify(value):
    return value if isinstance(value, list) else [value]


def _relax_required(node, keys, names):
    """A copy of ``node`` where the object at ``keys`` no longer requires ``names`` (the
    items' objects when ``node`` is a list)."""
    if node.get("type") == "array":
        return {**node, "items": _relax_required(node["items"], keys, names)}
    if not keys:
        return {**node, "required": set(node.get("required", ())) - set(names)}
    child = _relax_required(node["properties"][keys[0]], keys[1:], names)
    return {**node, "properties": {**node["properties"], keys[0]: child}}


def _relax_tfa(node):
    """Quirks "tfa-skipped-defaults" and "tfa-recovery-keys"."""
    if node.get("type") == "array":
        return {**node, "items": _relax_tfa(node["items"])}
    if node.get("type") != "object":
        return node
    props, required = dict(node["properties"]), set(node.get("required", ()))
    if "entries" in props:
        props["entries"] = _relax_tfa(props["entries"])
        required -= {"totp-locked"}
    if "created" in props:
        required -= {"description", "enable"}
    if "recovery" in props:
        props["recovery"] = {"type": "array", "items": {"type": "string"}}
        required -= {"recovery"}
    return {**node, "properties": props, "required": required}


def check_response(exchange, sch=None):
    """Problems with a 200 response body on /api2/json (empty list when it conforms)."""
    method, path, route, _ = _locate(exchange, sch)
    label = f"{method} {API_PREFIX}{path} -> 200"
    if route is None:
        return [f"{label}: no route in the schema for this response"]
    body = exchange.get("response")
    if (method, route["template"]) in _RAW_BODY:
        return []
    if (
        (method, route["template"]) == ("POST", "/admin/datastore/{store}/prune")
        and isinstance(exchange.get("body"), dict)
        and exchange["body"].get("use-task") is True
    ):  # quirk "prune-use-task-upid"
        data = body.get("data") if isinstance(body, dict) else None
        ok = isinstance(data, str) and data.startswith("UPID:") and set(body) == {"data"}
        return [] if ok else [f"{label}: expected {{'data': UPID}}, got {_describe(body)}"]
    if not isinstance(body, dict) or "data" not in body:
        return [f"{label}: body is not a {{'data': ...}} envelope: {_describe(body)}"]
    problems = []
    allowed = {"data"} | _ENVELOPE_EXTRAS.get((method, route["template"]), set())
    if method == "GET":
        allowed.add("digest")
    for key in sorted(set(body) - allowed):
        problems.append(f"envelope member '{key}' is not sent by PBS here")
    if "digest" in body and not (
        isinstance(body["digest"], str) and _DIGEST_RE.match(body["digest"])
    ):
        problems.append(
            f"envelope 'digest' is not 64 lower-case hex characters: {_describe(body['digest'])}"
        )
    model = route["response"]
    if route["template"] == "/nodes/{node}/tasks/{upid}/log" and method == "GET":
        node = {"type": "array", "items": _TASK_LOG_LINE}  # quirk "task-log-body"
    elif model is not None:
        node = model["properties"]["data"]
        # PBS 4.2 properties the generated schema lags on (contract_lag.SCHEMA_LAG)
        node = contract_lag.with_response(node, method, route["template"])
        extra = _EXTRA_RESPONSE_PROPS.get((method, route["template"]))
        if extra:  # quirk "network-interface-extras"
            node = {**node, "properties": {**node["properties"], **extra}}
        extra_items = _EXTRA_ITEM_PROPS.get((method, route["template"]))
        if extra_items and node.get("type") == "array":
            items = node["items"]
            node = {**node, "items": {**items, "properties": {**items["properties"],
                                                              **extra_items}}}
        omitted = _NOT_REQUIRED.get((method, route["template"]))
        if omitted:  # quirk "acme-only-return-existing"
            node = _relax_required(node, *omitted)
        if route["template"].startswith("/access/tfa"):
            node = _relax_tfa(node)
    else:
        node = {"type": "any"}
    null_ok = body.get("data") is None and (method, route["template"]) in _NULL_DATA_OK
    if not null_ok and (
        "data" in (model or {}).get("required", {"data"}) or body.get("data") is not None
    ):
        check_value(node, body["data"], "data", "response", problems)
    return [f"{label}: {p}" for p in problems]


def check_exchange(exchange, sch=None):
    """Request and (for 200 responses) response problems of one exchange."""
    if not in_scope(exchange):
        return [], False
    problems = check_request(exchange, sch)
    # an answer a fault switch made on purpose (wrong shape, cut off) is not PBS's
    checked_response = exchange.get("status") == 200 and not exchange.get("fault")
    if checked_response:
        problems += check_response(exchange, sch)
    return problems, checked_response
