"""
Every argument of every state, given a value of the wrong type, ends in a failed (or
planned) state with a one-line comment, never in a traceback.
"""

import inspect

import pytest

import saltext.pbs.states
from tests.support.helpers import loader_modules

# a list of lists: not a name, a number, a flag or a list of names (the execution
# functions' test tries a mapping too)
WRONG = [["not", "this"]]


STATE_CASES = []
for _module in loader_modules(saltext.pbs.states):
    for _fname, _func in inspect.getmembers(_module, inspect.isfunction):
        if _fname.startswith("_") or _fname == "mod_watch" or _func.__module__ != _module.__name__:
            continue
        for _pname, _param in inspect.signature(_func).parameters.items():
            # Salt itself refuses a state id that is not text
            if _param.kind in (_param.VAR_KEYWORD, _param.VAR_POSITIONAL) or _pname in (
                "profile", "name"
            ):
                continue
            STATE_CASES.append((f"{_module.__virtualname__}.{_fname}", _pname))


@pytest.mark.parametrize("state,argument", STATE_CASES)
def test_a_state_given_a_wrong_type_fails_with_a_one_line_comment(pbs_states, state, argument):
    ret = pbs_states[state](**{"name": "probe-1", argument: WRONG})
    assert ret["result"] in (False, None, True), ret
    assert "Traceback" not in ret["comment"], ret["comment"]
    if ret["result"] is False:
        assert "\n" not in ret["comment"].strip(), ret["comment"]
