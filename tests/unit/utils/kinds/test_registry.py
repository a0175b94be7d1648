"""The registry of kinds, and the rule that kind entries are data."""

import ast
import pathlib
import pkgutil

from saltext.pbs.utils import catalog
from saltext.pbs.utils import kinds

KINDS_DIR = pathlib.Path(kinds.__file__).parent
ENGINE = {"saltext.pbs.utils.client", "saltext.pbs.utils.reconcile", "saltext.pbs.utils.objects"}
# Kind files that still hold flow code calling the engine. The list may only shrink: when
# one of them stops importing the engine, it must leave this list (the test says so).
STILL_CALL_THE_ENGINE = {"access", "namespace", "realms"}


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
    assert offenders <= STILL_CALL_THE_ENGINE, sorted(offenders - STILL_CALL_THE_ENGINE)
    assert offenders == STILL_CALL_THE_ENGINE, (
        f"no longer importing the engine, drop from the list: "
        f"{sorted(STILL_CALL_THE_ENGINE - offenders)}"
    )


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
