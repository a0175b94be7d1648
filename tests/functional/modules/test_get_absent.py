"""``get`` of every kind returns ``None`` for an object that does not exist (it never
raises "not found"), through the loaders against a simulated PBS."""

import importlib
import inspect
import pkgutil

import pytest

import saltext.pbs.modules

# Ids of the right shape for kinds whose ids are not plain names.
ABSENT = {
    "pbs_user": ("nobody@pbs",),
    "pbs_token": ("root@pam!nothing",),
    "pbs_namespace": ("store1", "nothing"),
    # a standard repository handle that a fresh PBS has not configured
    "pbs_apt_repository": ("no-subscription",),
    "pbs_tape_key": (":".join(["ab"] * 32),),
    # a group and a snapshot in a datastore that exists
    "pbs_backup_group": ("store1", "vm", "999"),
    "pbs_backup_snapshot": ("store1", "vm", "999"),
    "pbs_tfa": ("root@pam", "totp-nothing"),
    "pbs_disk": ("sdz",),
}
NEEDS_STORE1 = {"pbs_namespace", "pbs_backup_group", "pbs_backup_snapshot"}


def _getters():
    names = []
    for info in pkgutil.iter_modules(saltext.pbs.modules.__path__):
        module = importlib.import_module(f"saltext.pbs.modules.{info.name}")
        kind = getattr(module, "KIND", None)
        # a get without an id reads the node's one object (the subscription): never absent
        takes_id = hasattr(module, "get") and "profile" != next(
            iter(inspect.signature(module.get).parameters), "profile"
        )
        if takes_id and not (kind is not None and kind.singleton):
            names.append(module.__virtualname__)
    return sorted(names)


@pytest.mark.parametrize("module", _getters())
def test_get_returns_none_for_an_absent_object(pbs_modules, pbs_simulator, module):
    args = ABSENT.get(module, ("nothing1",))
    if module in NEEDS_STORE1 and pbs_modules.pbs_datastore.get("store1") is None:
        # in a datastore that exists (a missing datastore is an error)
        pbs_modules.pbs_datastore.create("store1", path="/srv/example/store1")
    pbs_simulator.clear_exchanges()
    assert getattr(pbs_modules, module).get(*args) is None
    # Answered by PBS, not short-cut locally.
    assert any(e["method"] == "GET" for e in pbs_simulator.exchanges())
