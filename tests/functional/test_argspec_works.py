"""
Salt pickles ``sys.argspec`` results (the master asks minions for them, salt-api serves
them): a default argument that does not serialise breaks that for the whole module
(saltstack/salt#61084). Every ``pbs*`` execution and state function is loaded through the
loaders and its argspec serialised.
"""

import importlib
import pkgutil

import salt.payload

import saltext.pbs.modules
import saltext.pbs.states


def _virtual_names(package):
    names = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        names.add(module.__virtualname__)
    return sorted(names)


def _by_module(argspec, package):
    # One call for all: sys.state_argspec builds a new state loader on every call.
    return {
        name: {fn: spec for fn, spec in argspec.items() if fn.split(".")[0] == name}
        for name in _virtual_names(package)
    }


def _assert_serialises(argspecs):
    for virtualname, argspec in argspecs.items():
        assert argspec, f"no functions of {virtualname} were loaded"
        assert salt.payload.loads(salt.payload.dumps(argspec)).keys() == argspec.keys()


def test_execution_module_argspecs_serialise(modules):
    argspecs = _by_module(modules.sys.argspec("pbs*"), saltext.pbs.modules)
    _assert_serialises(argspecs)
    for argspec in argspecs.values():
        assert all("profile" in spec["args"] for spec in argspec.values()), argspec


def test_state_module_argspecs_serialise(modules):
    argspecs = _by_module(modules.sys.state_argspec("pbs*"), saltext.pbs.states)
    _assert_serialises(argspecs)
