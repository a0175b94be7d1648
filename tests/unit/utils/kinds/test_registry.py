"""The registry of kinds, and the rule that kind entries are data."""

import ast
import importlib
import pathlib
import pkgutil

from saltext.pbs.utils import catalog
from saltext.pbs.utils import kinds

KINDS_DIR = pathlib.Path(kinds.__file__).parent
ENGINE = {"saltext.pbs.utils.client", "saltext.pbs.utils.reconcile", "saltext.pbs.utils.objects"}


def _engine_imports(path):
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = {f"{node.module}.{alias.name}" for alias in node.names} | {node.module}
            found |= names & ENGINE
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names} & ENGINE
    return found


def test_kind_files_import_no_client_engine_or_objects():
    offenders = {
        info.name
        for info in pkgutil.iter_modules([str(KINDS_DIR)])
        if _engine_imports(KINDS_DIR / f"{info.name}.py")
    }
    assert not offenders, sorted(offenders)


def test_every_kind_of_the_kind_files_is_in_the_registry():
    # A typed kind's variants are reached through it (Kind.types), not listed themselves.
    listed = {id(kind) for kind in kinds.REGISTRY}
    listed |= {id(variant) for kind in kinds.REGISTRY for variant in kind.variants()}
    missing = [
        f"{info.name}.{attr}"
        for info in pkgutil.iter_modules([str(KINDS_DIR)])
        for attr, value in vars(importlib.import_module(f"{kinds.__name__}.{info.name}")).items()
        if isinstance(value, catalog.Kind) and id(value) not in listed
    ]
    assert not missing


def test_registry_holds_each_kind_once_by_a_unique_name():
    assert all(isinstance(kind, catalog.Kind) for kind in kinds.REGISTRY)
    names = [kind.name for kind in kinds.REGISTRY]
    assert len(names) == len(set(names))
    assert kinds.by_name("datastore") is kinds.datastore.DATASTORE


def test_registry_orders_every_kind_after_its_parent_kinds():
    # A parent placeholder names its kind by the kind's name or id key (a token's
    # ``userid`` is a user), as export resolves it.
    position = {kind.name: i for i, kind in enumerate(kinds.REGISTRY)}
    checked = 0
    for kind in kinds.REGISTRY:
        for parent in kind.parents:
            owners = [k for k in kinds.REGISTRY if parent in (k.name, k.id_key) and not k.types]
            for owner in owners:
                assert position[owner.name] < position[kind.name], (kind.name, owner.name)
                checked += 1
    assert checked >= 2  # tokens after users, namespaces after datastores
