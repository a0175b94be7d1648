"""
The catalog is the one source of every property sentence and privilege line
(:mod:`saltext.pbs.utils.docs` renders them into the docstrings), and what it says must
agree with PBS and with the catalog's own facts:

* every ``Kind.privileges`` entry of a request names what PBS names for that request:
  the ``Permissions:`` text of the operation in the ``clientapi_pbs`` SDK (generated from
  PBS's API schema) and the router permission the simulator declares (taken from PBS's
  source) must both be found in it, privileges and ACL paths;
* every ``Prop.doc`` agrees with the Prop's fields: a stated default is ``Prop.default``,
  a stated range or length is ``minimum``/``maximum``/``min_length``/``max_length``, the
  values of an ``enum`` are all named;
* execution functions of a kind operation and state functions take their privilege line
  from a marker, ``present``/``managed`` their property list; no state docstring
  describes a property by hand any more;
* every ``CLI Example:`` calls ``salt-call <virtualname>.<function>`` with ``key=value``
  arguments the function takes (a parameter, or a property of its kind when it takes
  ``**properties``).
"""

import ast
import importlib
import inspect
import pkgutil
import re
import shlex

import pytest

import saltext.pbs.modules
import saltext.pbs.states
from saltext.pbs.simulator import perms
from saltext.pbs.simulator import router
from saltext.pbs.utils import docs
from saltext.pbs.utils import kinds
from saltext.pbs.utils.catalog import Prop
from tests.support import contract
from tests.support.helpers import loader_modules

importlib.import_module("saltext.pbs.simulator.core")  # registers the simulator's endpoints


# Requests whose SDK ``Permissions:`` text contradicts PBS's code: (kind, op) -> (the
# privileges the text names wrongly, reason).
_SDK_TEXT_WRONG = {
    ("prune_job", "get"): (
        {"Datastore.Verify"},
        "the text is copied from verify jobs; read_prune_job checks Datastore.Audit"
        " (PBS src/api2/config/prune.rs)",
    ),
    ("prune_job", "delete"): (
        {"Datastore.Verify"},
        "the text is copied from verify jobs; delete_prune_job checks Datastore.Modify"
        " (PBS src/api2/config/prune.rs)",
    ),
    **{
        ("sync_job", op): (
            {"Remote.DatastoreModify"},
            "for remove_vanished on a push job the code checks Remote.DatastorePrune, not"
            " RemoteDatastore.Modify (PBS src/api2/config/sync.rs"
            " check_sync_job_modify_access)",
        )
        for op in ("create", "update", "delete")
    },
    **{
        ("sync_job", op): (
            {"Remote.DatastoreAudit"},
            "a push job is read with Remote.Audit on the remote datastore path; no"
            " RemoteDatastore.Audit privilege exists (PBS src/api2/config/sync.rs"
            " check_sync_job_read_access)",
        )
        for op in ("list", "get")
    },
}

# Execution functions named like a kind operation that send another request.
_OWN_REQUEST = {
    ("pbs_realm", "list_"): "lists /access/domains (open to anyone), not the realm configs",
}

FUNCTION_OPS = {"list_": "list", "get": "get", "create": "create", "update": "update",
                "delete": "delete"}

KINDS = [(kind, sub) for kind in kinds.REGISTRY for sub in (kind.variants() or [kind])]


def _kind_id(pair):
    kind, sub = pair
    return kind.name if sub is kind else f"{kind.name}:{kind.type_of(sub)}"


# Modules that manage no catalog object: each function's privilege line is hand-written, and
# that line is its only copy (the host areas' services, certificates and repositories, the
# backup contents, the ``pbs`` module's node and task functions).
NO_CATALOG_OBJECT = {
    "pbs", "pbs_apt", "pbs_apt_repository", "pbs_backup", "pbs_certificate", "pbs_service",
    "pbs_subscription", "pbs_backup_group", "pbs_backup_snapshot", "pbs_tape", "pbs_tape_key",
    "pbs_tape_media", "pbs_disk", "pbs_disk_directory", "pbs_zpool", "pbs_tfa",
    "pbs_encryption_key",
}
EXECUTION_MODULES = [
    m for m in loader_modules(saltext.pbs.modules) if m.__virtualname__ not in NO_CATALOG_OBJECT
]
STATE_MODULES = [
    m for m in loader_modules(saltext.pbs.states) if m.__virtualname__ not in NO_CATALOG_OBJECT
]
ALL_EXECUTION_MODULES = loader_modules(saltext.pbs.modules)


def _kind_of(module):
    """The kind a module renders its markers from (the argument of its render call)."""
    tree = ast.parse(inspect.getsource(module))
    for node in tree.body:
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and ast.unparse(node.value.func) == "docs.render"
        ):
            return kinds.by_name(node.value.args[1].value)
    return None


def _source_docstrings(module):
    """``{function name: docstring as written}``: the markers before rendering."""
    tree = ast.parse(inspect.getsource(module))
    return {
        node.name: ast.get_docstring(node, clean=True) or ""
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    }


# ----- rendering ----------------------------------------------------------------------------
def test_markers_render_from_the_catalog():
    remote = kinds.by_name("remote")
    text = docs.render_text("    {{privilege:get}}\n\n    {{properties}}\n", remote)
    assert "    Requires ``Remote.Audit`` on ``/remote/{name}``." in text
    assert "\n    port\n        API port of the remote" in text
    flat = " ".join(text.split())
    assert "Required to create; cannot be cleared." in flat  # host
    assert "Write-only (shown as ``<hidden>``)." in flat  # password
    with pytest.raises(ValueError, match="no privilege 'frobnicate'"):
        docs.render_text("    {{privilege:frobnicate}}\n", remote)


def test_flags_come_from_the_prop_fields():
    prop = Prop("x", "integer", doc="A count", minimum=1, maximum=9, default=3, secret=True)
    assert docs.property_sentence(prop) == (
        "A count. Write-only (shown as ``<hidden>``). Cannot be cleared. Default 3. Range 1-9."
    )
    prop = Prop("y", doc="Where (default ``a``)", default="a", create_only=True, required=True)
    assert docs.property_sentence(prop) == (
        "Where (default ``a``). Required to create; cannot be changed after creation."
    )


def test_typed_kinds_list_each_types_properties():
    text = docs.properties_text(kinds.by_name("metrics_server"))
    assert text.index("Every type:") < text.index("Properties of ``influxdb-http``:")
    assert text.index("Properties of ``influxdb-http``:") < text.index("\nurl\n")
    assert text.index("Properties of ``influxdb-udp``:") < text.index("\nmtu\n")


@pytest.mark.parametrize("module", ALL_EXECUTION_MODULES + STATE_MODULES, ids=lambda m: m.__name__)
def test_rendered_docstrings_carry_no_marker(module):
    for name, fn in vars(module).items():
        if inspect.isfunction(fn) and fn.__module__ == module.__name__:
            assert not docs.MARKER_RE.search(inspect.getdoc(fn) or ""), name
    assert not docs.MARKER_RE.search(module.__doc__ or "")


# ----- privileges agree with PBS ------------------------------------------------------------
def _requests(kind):
    """``{op: (method, path template)}`` of the requests a kind's operations send."""
    if kind.singleton:
        return {"get": ("GET", kind.item), "update": ("PUT", kind.item)}
    out = {"list": ("GET", kind.collection)}
    if kind.item:
        out["get"] = ("GET", kind.item)
    wire = kind.wire
    out["create"] = (wire.create_method, kind.item if wire.create_on_item else kind.collection)
    out["update"] = ("PUT", kind.item or kind.collection)
    out["delete"] = (wire.delete_method, kind.item or kind.collection)
    return out


def _fill(template):
    return re.sub(r"\{(\w+)\}", lambda m: "localhost" if m.group(1) == "node" else "x", template)


_PRIV_CONSTANT = re.compile(r"\b(DATASTORE|SYS|REMOTE|TAPE|PERMISSIONS|REALM)_([A-Z_]+)\b")
_PRIV_NAME = re.compile(r"\b(RemoteDatastore|[A-Z][a-z]+)\.([A-Z][A-Za-z]+)\b")


def _privileges_in(text):
    """Privilege names in a text, normalised (``DATASTORE_AUDIT``, ``RemoteDatastore.Backup``)."""
    found = set()
    for area, rest in _PRIV_CONSTANT.findall(text):
        found.add(f"{area.title()}.{''.join(w.title() for w in rest.split('_'))}")
    for area, rest in _PRIV_NAME.findall(text):
        found.add(f"Remote.Datastore{rest}" if area == "RemoteDatastore" else f"{area}.{rest}")
    return found


def _paths_in(text):
    """ACL paths in a text with placeholders normalised (``/datastore/{}[/{}]``)."""
    paths = re.findall(r"(?<![\w.])(/(?:[a-z{][\w{}\[\]/.-]*)?)(?![A-Za-z])", text)
    return {re.sub(r"\{[^}]*\}", "{}", p.rstrip(".,;)'")) for p in paths}


def _sdk_permissions(method, template):
    route, _ = contract.schema().route(method, _fill(template))
    if route is None:
        return None
    cls_name, op = route["operation"].split(".")
    cls = next(
        getattr(importlib.import_module(f"clientapi_pbs.api.{info.name}"), cls_name)
        for info in pkgutil.iter_modules(importlib.import_module("clientapi_pbs.api").__path__)
        if hasattr(importlib.import_module(f"clientapi_pbs.api.{info.name}"), cls_name)
    )
    text = inspect.getdoc(getattr(cls, op)) or ""
    match = re.search(r"Permissions:\s*(.*?)(?:\n\s*\n|\n:param|$)", text, re.S)
    return " ".join(match.group(1).split()) if match else None


def _router_permission(method, template):
    """``(privileges, paths)`` the simulator's router checks for a request (PBS's access)."""
    wanted = re.sub(r"\{[^}]*\}", "{}", template)
    for ep in router.ENDPOINTS:
        if ep.method == method and re.sub(r"\{[^}]*\}", "{}", ep.template) == wanted:
            return _describe(ep.permission)
    return set(), set()


def _describe(permission):
    if isinstance(permission, perms.Privilege):
        return set(permission.privs), {re.sub(r"\{[^}]*\}", "{}", permission.path_template)}
    privs, paths = set(), set()
    for part in getattr(permission, "alternatives", ()) + getattr(permission, "parts", ()):
        more_privs, more_paths = _describe(part)
        privs |= more_privs
        paths |= more_paths
    return privs, paths


def _privilege_cases():
    for kind, sub in KINDS:
        for op, (method, template) in _requests(sub).items():
            if op in (sub.privileges or kind.privileges):
                yield pytest.param(kind, sub, op, method, template,
                                   id=f"{_kind_id((kind, sub))}.{op}")


@pytest.mark.parametrize("kind,sub,op,method,template", _privilege_cases())
def test_privilege_names_what_pbs_names(kind, sub, op, method, template):
    ours = (sub.privileges or kind.privileges)[op]
    our_privs, our_paths = _privileges_in(ours), _paths_in(ours)
    sdk = _sdk_permissions(method, template)
    if sdk:
        wrong, _reason = _SDK_TEXT_WRONG.get((kind.name, op), (set(), ""))
        missing = _privileges_in(sdk) - wrong - our_privs
        assert not missing, f"PBS's text {sdk!r} names {sorted(missing)}; ours: {ours!r}"
        missing = _paths_in(sdk) - our_paths
        assert not missing, f"PBS's text {sdk!r} names paths {sorted(missing)}; ours: {ours!r}"
    privs, paths = _router_permission(method, template)
    assert privs <= our_privs, f"PBS checks {sorted(privs)} on {sorted(paths)}; ours: {ours!r}"
    assert paths <= our_paths, f"PBS checks {sorted(privs)} on {sorted(paths)}; ours: {ours!r}"


def test_sdk_text_exceptions_are_still_needed():
    for (name, op), (wrong, _reason) in _SDK_TEXT_WRONG.items():
        kind = kinds.by_name(name)
        method, template = _requests(kind)[op]
        assert wrong & _privileges_in(_sdk_permissions(method, template) or ""), (name, op)


# ----- property sentences agree with the Prop's fields --------------------------------------
_LITERAL = re.compile(r"``([^`]*)``")


def _value(token):
    token = token.strip()
    if token in ("true", "false"):
        return token == "true"
    if re.fullmatch(r"-?\d+", token):
        return int(token)
    literal = _LITERAL.fullmatch(token)
    if literal:
        return "" if literal.group(1) == "''" else literal.group(1)
    return None


def stated_defaults(doc):
    """The values a sentence states as the default (``default X`` or ``X (default)``)."""
    found = []
    for before in re.findall(r"(``[^`]*``|\b\w+)\s*\(default\)", doc):
        found.append(_value(before))
    for clause in re.findall(r"\bdefault\b(?!\)):?\s*([^);]*)", doc):
        token = re.match(r"\s*(``[^`]*``|true|false|-?\d+)", clause)
        if token:
            found.append(_value(token.group(1)))
        else:
            literal = _LITERAL.search(clause)
            found.append(_value(literal.group(0)) if literal else None)
    return found


def stated_ranges(doc):
    """``[(kind, low, high)]`` a sentence states: ``value`` or ``length`` ranges."""
    text = _LITERAL.sub("", doc)
    out = []
    ranges = re.findall(r"(?<![\w.:])(\d+)\s*(?:-|to)\s*(\d+)(\s+characters)?", text)
    for low, high, chars in ranges:
        out.append(("length" if chars else "value", int(low), int(high)))
    for high, unit in re.findall(r"\bat most (\d+)\s*(KiB|characters)?", text):
        scale = 1024 if unit == "KiB" else 1
        out.append(("length" if unit else "value", None, int(high) * scale))
    for low in re.findall(r"\bat least (\d+)", text):
        out.append(("value", int(low), None))
    for low in re.findall(r"\b(\d+) or more\b", text):
        out.append(("value", int(low), None))
    return out


def _prop_cases():
    for kind, sub in KINDS:
        for prop in sub.props:
            yield pytest.param(kind, prop, id=f"{_kind_id((kind, sub))}.{prop.wire}")


@pytest.mark.parametrize("kind,prop", _prop_cases())
def test_property_sentence_agrees_with_its_fields(kind, prop):
    doc = prop.doc
    assert doc.strip(), "every property has a sentence"
    if prop.default is not None:
        for value in stated_defaults(doc):
            assert value == prop.default, (
                f"{doc!r} states default {value!r}, Prop.default {prop.default!r}"
            )
    if prop.type in ("integer", "string"):
        for what, low, high in stated_ranges(doc):
            if what == "length":
                assert (low is None or low == prop.min_length) and high == prop.max_length, (
                    f"{doc!r} states {low}-{high} characters;"
                    f" min_length {prop.min_length}, max_length {prop.max_length}"
                )
            else:
                in_range = (low is None or low == prop.minimum) and (
                    high is None or high == prop.maximum
                )
                assert in_range, (
                    f"{doc!r} states {low}-{high}; minimum {prop.minimum}, maximum {prop.maximum}"
                )
    if prop.enum:
        named = set(_LITERAL.findall(doc))
        assert set(prop.enum) <= named, f"{doc!r} does not name {sorted(set(prop.enum) - named)}"
        listed = re.findall(r"(``[^`]+``(?:(?:, | or )``[^`]+``)+)", doc)
        for group in listed:
            values = set(_LITERAL.findall(group))
            if values & set(prop.enum):
                assert values <= set(prop.enum), f"{doc!r} lists {sorted(values - set(prop.enum))}"
    for flag in ("write-only", "required to create", "cannot be cleared"):
        assert flag not in doc.lower(), f"{doc!r}: '{flag}' is rendered from the Prop's fields"


# ----- docstrings take their prose from markers ---------------------------------------------
@pytest.mark.parametrize("module", EXECUTION_MODULES, ids=lambda m: m.__name__)
def test_kind_operations_take_their_privilege_from_the_catalog(module):
    kind = _kind_of(module)
    assert kind is not None, "the module ends with docs.render(globals(), '<kind>')"
    name = module.__name__.rsplit(".", 1)[1]
    for fn_name, doc in _source_docstrings(module).items():
        op = FUNCTION_OPS.get(fn_name)
        if op is None or (name, fn_name) in _OWN_REQUEST:
            continue
        assert f"{{{{privilege:{op}}}}}" in doc, f"{fn_name}: no {{{{privilege:{op}}}}} marker"
        assert not re.search(r"^Requires\b", doc, re.M), f"{fn_name}: a hand-written privilege"


@pytest.mark.parametrize("module", STATE_MODULES, ids=lambda m: m.__name__)
def test_states_take_properties_and_privileges_from_the_catalog(module):
    kind = _kind_of(module)
    assert kind is not None, "the module ends with docs.render(globals(), '<kind>')"
    names = {p.name for k in [kind, *kind.variants()] for p in k.props}
    for fn_name, doc in _source_docstrings(module).items():
        assert re.search(r"\{\{privileges?:\w+\}\}", doc), f"{fn_name}: no privilege marker"
        assert not re.search(r"^Requires\b", doc, re.M), f"{fn_name}: a hand-written privilege"
        terms = set(re.findall(r"^([a-z_0-9]+)$", doc, re.M))
        handwritten = terms & names
        assert not handwritten, f"{fn_name} describes {sorted(handwritten)} by hand"
        if (fn_name == "present" or kind.singleton) and kind.props:
            assert "{{properties}}" in doc, f"{fn_name}: no {{{{properties}}}} marker"


# ----- CLI examples call what exists --------------------------------------------------------
def _cli_calls(doc):
    block = re.search(r"CLI Example:\n\n\.\. code-block:: bash\n\n((?:    .*\n?|\n)+)", doc)
    text = block.group(1).replace("\\\n", " ") if block else ""
    return [shlex.split(line) for line in text.splitlines() if line.strip()]


def _cli_cases():
    for module in ALL_EXECUTION_MODULES:
        aliases = getattr(module, "__func_alias__", {})
        for name, fn in vars(module).items():
            if not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            if name.startswith("_"):
                continue
            yield pytest.param(module, aliases.get(name, name), fn,
                               id=f"{module.__virtualname__}.{name}")


@pytest.mark.parametrize("module,called,fn", _cli_cases())
def test_cli_example_arguments_exist(module, called, fn):
    kind = _kind_of(module)
    params = inspect.signature(fn).parameters
    takes_properties = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    calls = _cli_calls(inspect.getdoc(fn) or "")
    assert calls, "no CLI example"
    for words in calls:
        assert words[:2] == ["salt-call", f"{module.__virtualname__}.{called}"], words
        for word in words[2:]:
            key = word.split("=", 1)[0]
            if "=" not in word or word.startswith("-") or not re.fullmatch(r"[\w.-]+", key):
                continue
            if key in params and params[key].kind is not inspect.Parameter.VAR_KEYWORD:
                continue
            assert takes_properties and kind is not None, f"{key}: not an argument of {called}"
            assert any(k.prop(key) for k in [kind, *kind.variants()]), (
                f"{key}: neither an argument of {called} nor a {kind.title} property"
            )
