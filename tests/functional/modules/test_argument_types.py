"""
Every argument of every execution function, given a value of the wrong type (a mapping
where a name, a number or a flag belongs), ends in a Salt error naming the problem, never
in a Python exception from deep inside (``unhashable type``, ``could not convert``).
"""

import inspect

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

import saltext.pbs.modules
from tests.support.helpers import loader_modules

# a mapping and a list of lists: neither is a name, a number, a flag or a list of names
WRONG = ({"not": "this"}, [["not", "this"]])
def _functions():
    for module in loader_modules(saltext.pbs.modules):
        name = module.__virtualname__
        for fname, func in inspect.getmembers(module, inspect.isfunction):
            if fname.startswith("_") or func.__module__ != module.__name__:
                continue
            public = getattr(module, "__func_alias__", {}).get(fname, fname)
            yield f"{name}.{public}", func


CASES = []
for full, func in _functions():
    sig = inspect.signature(func)
    for pname, param in sig.parameters.items():
        if param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL) or pname == "profile":
            continue
        CASES.append((full, pname))


@pytest.mark.parametrize("wrong", WRONG, ids=("mapping", "nested-list"))
@pytest.mark.parametrize("function,argument", CASES)
def test_a_wrong_type_is_a_salt_error(pbs_modules, function, argument, wrong):
    func = dict(_functions())[function]
    kwargs = {}
    for pname, param in inspect.signature(func).parameters.items():
        if param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL) or pname == "profile":
            continue
        if param.default is param.empty:
            kwargs[pname] = "probe-1"
    kwargs[argument] = wrong
    # Anything else (TypeError, ValueError ...) fails the test; so does a request the
    # schema check finds wrong, i.e. a bad value sent on to PBS.
    try:
        pbs_modules[function](**kwargs)
    except (SaltInvocationError, CommandExecutionError):
        pass

