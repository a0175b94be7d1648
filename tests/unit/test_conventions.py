"""
The conventions every execution and state module follows (INTERFACES, "Module, function
and argument names"), checked on the modules themselves so a new or changed module cannot
drift from them unnoticed:

* execution modules: ``__virtualname__``; ``list`` defined as ``list_`` with
  ``__func_alias__``; every public function takes ``profile=None`` and has a reST docstring
  with a ``CLI Example:`` block and the PBS privilege it needs; ``get`` documents ``None``
  for an absent object; no error is returned as a dict;
* state modules: the execution module's virtual name; ``__virtual__`` refuses to load
  without its execution module; ``present``/``absent`` (``managed`` for singletons) with
  ``profile=None`` and ``update_secret="on_change"`` on ``present``; the docstring of
  ``present``/``managed`` names every property of the kind; the module docstring and each
  function's docstring carry an SLS example, and a functional test applies the module's.
"""

import ast
import inspect
import pathlib
import re

import pytest

import saltext.pbs.modules
import saltext.pbs.states
from saltext.pbs.utils import export
from tests.support.helpers import loader_modules


EXECUTION_MODULES = loader_modules(saltext.pbs.modules)
STATE_MODULES = loader_modules(saltext.pbs.states)


def _public_functions(module):
    return {
        name: obj
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and inspect.isfunction(obj)
        and obj.__module__ == module.__name__
    }


def _loaded_names(module):
    """The function names Salt exposes for an execution module (aliases applied)."""
    aliases = getattr(module, "__func_alias__", {})
    return [aliases.get(name, name) for name in _public_functions(module)]


# State modules served by an execution module of another name (INTERFACES, "Next kinds"):
# the network interface states call pbs_network, the disk states pbs_disk.
EXECUTION_MODULE_OF = {
    "pbs_network_interface": "pbs_network",
    "pbs_disk_directory": "pbs_disk",
    "pbs_zpool": "pbs_disk",
}
# States without secrets, so without update_secret: the disk states.
NO_SECRETS = {"pbs_disk_directory", "pbs_zpool"}


def _execution_module(virtualname):
    virtualname = EXECUTION_MODULE_OF.get(virtualname, virtualname)
    return next(m for m in EXECUTION_MODULES if m.__virtualname__ == virtualname)


# State modules that manage no catalog object (no read-diff-write of one object at a
# path): their state functions, named in INTERFACES ("Next kinds and areas").
OUTSIDE_CATALOG = {
    "pbs_service": {"running", "mod_watch"},
    "pbs_subscription": {"present", "absent"},
    "pbs_apt_repository": {"managed"},
    "pbs_certificate": {"custom", "acme"},
    "pbs_tfa": {"present", "absent"},
    "pbs_network": {"applied"},
    "pbs_backup_group": {"managed"},
    "pbs_backup_snapshot": {"managed"},
    "pbs_tape_key": {"present", "absent"},
    "pbs_disk_directory": {"present"},
    "pbs_zpool": {"present"},
    "pbs_encryption_key": {"present", "absent"},
}


def _kind(state_module):
    """The catalog entry a state module manages (None for :data:`OUTSIDE_CATALOG`)."""
    if state_module.__virtualname__ in OUTSIDE_CATALOG:
        return None
    kind = getattr(_execution_module(state_module.__virtualname__), "KIND", None)
    return kind or export.KINDS[state_module.__virtualname__.removeprefix("pbs_")]


def _ids(modules):
    return [m.__name__.rsplit(".", 1)[1] for m in modules]


def _functions(modules):
    return [
        pytest.param(module, name, fn, id=f"{module.__virtualname__}.{name}")
        for module in modules
        for name, fn in _public_functions(module).items()
    ]


PRIVILEGE_RE = re.compile(r"Requires\b|\broot@pam\b")


# ----- execution modules ------------------------------------------------------------------
@pytest.mark.parametrize("module", EXECUTION_MODULES, ids=_ids(EXECUTION_MODULES))
def test_execution_module_names_itself(module):
    filename = module.__name__.rsplit(".", 1)[1]
    assert module.__virtualname__ == ("pbs" if filename == "pbs_mod" else filename)
    assert module.__virtual__() == module.__virtualname__


@pytest.mark.parametrize("module", EXECUTION_MODULES, ids=_ids(EXECUTION_MODULES))
def test_list_is_defined_as_list_with_an_alias(module):
    functions = _public_functions(module)
    assert "list" not in functions, "define list_ and alias it (it shadows the builtin)"
    if "list_" in functions:
        assert module.__func_alias__.get("list_") == "list"


@pytest.mark.parametrize("module,name,fn", _functions(EXECUTION_MODULES))
def test_execution_function_takes_profile(module, name, fn):  # pylint: disable=unused-argument
    params = inspect.signature(fn).parameters
    assert "profile" in params
    assert params["profile"].default is None
    assert params["profile"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD


@pytest.mark.parametrize("module,name,fn", _functions(EXECUTION_MODULES))
def test_execution_function_docstring(module, name, fn):
    doc = inspect.getdoc(fn) or ""
    called = getattr(module, "__func_alias__", {}).get(name, name)
    example = re.search(r"CLI Example:\n\n\.\. code-block:: bash\n\n((?:    .*\n?|\n)+)", doc)
    assert example, f"{name}: no 'CLI Example:' followed by a bash code block"
    assert f"{module.__virtualname__}.{called}" in example.group(1)
    assert PRIVILEGE_RE.search(doc), f"{name}: the docstring names no PBS privilege"


# a singleton always exists, so its get never answers None
GETTERS = [
    m
    for m in EXECUTION_MODULES
    if "get" in _public_functions(m) and not getattr(getattr(m, "KIND", None), "singleton", False)
]


@pytest.mark.parametrize("module", GETTERS, ids=_ids(GETTERS))
def test_get_documents_none_for_an_absent_object(module):
    assert "``None``" in inspect.getdoc(module.get)


@pytest.mark.parametrize("module", EXECUTION_MODULES, ids=_ids(EXECUTION_MODULES))
def test_errors_are_raised_not_returned(module):
    tree = ast.parse(inspect.getsource(module))
    for node in ast.walk(tree):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Dict):
            keys = {k.value for k in node.value.keys if isinstance(k, ast.Constant)}
            assert not keys & {"error", "errors", "res", "success"}, ast.unparse(node)


# ----- state modules ----------------------------------------------------------------------
@pytest.mark.parametrize("module", STATE_MODULES, ids=_ids(STATE_MODULES))
def test_state_module_shares_the_execution_module_name(module):
    assert module.__virtualname__ == module.__name__.rsplit(".", 1)[1]
    assert _execution_module(module.__virtualname__)


@pytest.mark.parametrize("module", STATE_MODULES, ids=_ids(STATE_MODULES))
def test_state_module_loads_only_with_its_execution_module(module, monkeypatch):
    name = module.__virtualname__
    monkeypatch.setattr(module, "__salt__", {"test.ping": None}, raising=False)
    refused = module.__virtual__()
    assert isinstance(refused, tuple) and refused[0] is False
    assert name in refused[1]
    execution = _execution_module(name)
    exposed = {f"{execution.__virtualname__}.{fn}": None for fn in _loaded_names(execution)}
    monkeypatch.setattr(module, "__salt__", exposed, raising=False)
    assert module.__virtual__() == name


@pytest.mark.parametrize("module", STATE_MODULES, ids=_ids(STATE_MODULES))
def test_state_functions(module):
    functions = _public_functions(module)
    if _kind(module) is None:
        assert set(functions) == OUTSIDE_CATALOG[module.__virtualname__]
        if "present" in functions and module.__virtualname__ not in NO_SECRETS:
            params = inspect.signature(functions["present"]).parameters
            assert params["update_secret"].default == "on_change"
    elif _kind(module).singleton:
        assert "managed" in functions and "absent" not in functions and "present" not in functions
    else:
        assert {"present", "absent"} <= set(functions)
        params = inspect.signature(functions["present"]).parameters
        assert params["update_secret"].default == "on_change"
    for fn in functions.values():
        params = inspect.signature(fn).parameters
        assert next(iter(params)) == "name"
        assert params["profile"].default is None


@pytest.mark.parametrize("module", STATE_MODULES, ids=_ids(STATE_MODULES))
def test_state_docstring_lists_every_property(module):
    kind = _kind(module)
    if kind is None:
        pytest.skip("manages no catalog object: its arguments are documented by hand")
    functions = _public_functions(module)
    doc = inspect.getdoc(functions.get("present") or functions["managed"])
    documented = set(re.findall(r"[A-Za-z0-9_.]+", doc))
    props = {p.name for k in [kind, *kind.variants()] for p in k.props}
    assert not props - documented, f"undocumented properties: {sorted(props - documented)}"


@pytest.mark.parametrize("module", STATE_MODULES, ids=_ids(STATE_MODULES))
def test_state_docstrings_carry_sls_examples(module):
    name = module.__virtualname__
    assert re.search(r"\.\. code-block:: (yaml|sls)\n", module.__doc__)
    for fn_name, fn in _public_functions(module).items():
        assert f"{name}.{fn_name}" in module.__doc__, f"the module example lacks {fn_name}"
        doc = inspect.getdoc(fn)
        assert re.search(r"\.\. code-block:: (yaml|sls)\n", doc) and f"{name}.{fn_name}" in doc, (
            fn_name
        )
        assert PRIVILEGE_RE.search(doc), f"{fn_name}: the docstring names no PBS privilege"


def test_every_state_docstring_example_is_applied_by_a_functional_test():
    # tests/functional/states/test_examples_*.py apply each module's SLS example against the
    # simulator; a new state module needs an entry there (with the states it relies on).
    examples = pathlib.Path(__file__).parents[1] / "functional" / "states"
    named = set()
    for path in examples.glob("test_examples_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
    missing = [m.__virtualname__ for m in STATE_MODULES if m.__virtualname__ not in named]
    assert not missing, f"state modules whose SLS example no test applies: {missing}"


@pytest.mark.parametrize("kind", ["modules", "states"])
def test_every_module_has_a_test_file_of_its_name(kind):
    tests = pathlib.Path(__file__).parents[1]
    src = pathlib.Path(saltext.pbs.__file__).parent / kind
    names = {path.stem for path in src.glob("pbs_*.py")}
    tested = {
        name
        for name in names
        if any((tests / tier / kind / f"test_{name}.py").is_file()
               for tier in ("unit", "functional", "integration"))
    }
    assert sorted(names - tested) == [], "modules without a test file of their name"
