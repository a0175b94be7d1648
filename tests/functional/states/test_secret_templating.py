"""
One way to put a secret from pillar into an SLS, used by every docstring example, the docs
and the export: ``{{ pillar[...] | yaml_encode }}``. A secret with ``: ``, ``#``, quotes
and a backslash arrives at PBS exactly as it is in pillar; one with a newline renders too,
and PBS's format for secrets refuses it before any request.
"""

import re

import pytest

import saltext.pbs.states
from tests.support.helpers import loader_modules
from tests.support.kinds import module_example

NASTY = "pa: ss # 'q' \"dq\" \\ backslash"
PILLAR = {
    "pbs_secrets": {"offsite_token_secret": NASTY, "offsite_fingerprint": ":".join(["ab"] * 32)}
}
PILLAR_VALUE = re.compile(r"\{\{\s*pillar\[[^}]*\}\}")


def test_the_remote_example_sends_a_hard_secret_unchanged(pbs_loaders, pbs_simulator, state_tree):
    sls = state_tree / "templating.sls"
    sls.write_text(module_example("pbs_remote").split("\nold-remote:")[0], encoding="utf-8")
    try:
        ret = pbs_loaders.modules.state.apply("templating", pillar=PILLAR)
    finally:
        sls.unlink()
    assert not ret.failed, ret.errors
    assert all(r.result is True for r in ret), [(r.name, r.comment) for r in ret]
    stored = pbs_simulator.state.secret_store("remote.cfg:remote")["offsite"]
    assert stored["password"] == NASTY


def test_a_secret_with_a_newline_renders_and_is_refused_by_name(pbs_loaders, state_tree):
    sls = state_tree / "templating_newline.sls"
    sls.write_text(module_example("pbs_remote").split("\nold-remote:")[0], encoding="utf-8")
    pillar = {"pbs_secrets": {**PILLAR["pbs_secrets"], "offsite_token_secret": "two\nlines"}}
    try:
        ret = pbs_loaders.modules.state.apply("templating_newline", pillar=pillar, test=True)
    finally:
        sls.unlink()
    assert not ret.failed, ret.errors  # rendered: no YAML error
    (result,) = list(ret)
    assert result.result is False
    assert result.comment.startswith("Invalid value for 'password'")
    assert "two" not in result.comment


@pytest.mark.parametrize(
    "module", [m.__virtualname__ for m in loader_modules(saltext.pbs.states)]
)
def test_every_docstring_example_templates_pillar_values_one_way(module):
    try:
        example = module_example(module)
    except (AssertionError, LookupError, ValueError):
        pytest.skip("no SLS example")
    for value in PILLAR_VALUE.findall(example):
        assert value.rstrip("} ").endswith("| yaml_encode"), (module, value)
