"""Helpers shared by the tests of the kinds' execution and state modules."""

import importlib
import re
import textwrap

LOGIN_PATH = "/api2/json/access/ticket"


def api_requests(sim, fields=("method", "path"), method=None):
    """
    The requests a simulator saw, the ticket login left out, as tuples of the exchange's
    ``fields`` (``method``, ``path``, ``query``, ``status``, ...); only those of ``method``
    when given.
    """
    return [
        tuple(e[field] for field in fields)
        for e in sim.exchanges()
        if e["path"] != LOGIN_PATH and (method is None or e["method"] == method)
    ]


def module_example(name):
    """The first SLS block (``yaml``, or ``sls`` where it holds Jinja) of state module
    ``name``'s docstring, dedented."""
    doc = importlib.import_module(f"saltext.pbs.states.{name}").__doc__
    lines = re.split(r"\.\. code-block:: (?:yaml|sls)\n", doc, maxsplit=1)[1].splitlines()
    block = []
    for line in lines:
        if line.strip() and not line.startswith(" "):
            break
        block.append(line)
    return textwrap.dedent("\n".join(block)).strip() + "\n"


def assert_example_applies_and_is_idempotent(
    loaders, state_tree, module, prefix="", pillar=None, substitutions=None
):
    """
    Apply ``prefix`` (states the example relies on) plus state module ``module``'s docstring
    example: the first run succeeds and changes something, the second changes nothing.
    ``substitutions`` (``{text: replacement}``) adapt the example to the test machine,
    e.g. a file path below ``tmp_path``.
    """
    example = module_example(module)
    for text, replacement in (substitutions or {}).items():
        assert text in example, f"{text!r} is not in the example of {module}"
        example = example.replace(text, replacement)
    sls_file = state_tree / f"example_{module}.sls"
    sls_file.write_text(prefix + example, encoding="utf-8")
    try:
        first = loaders.modules.state.apply(sls_file.stem, pillar=pillar)
        assert_all_succeeded(first)
        assert any(r.changes for r in first)
        again = loaders.modules.state.apply(sls_file.stem, pillar=pillar)
        assert_all_succeeded(again)
        assert [r.name for r in again if r.changes] == []
    finally:
        sls_file.unlink()


def assert_all_succeeded(ret):
    """
    Every state of a ``state.apply`` return succeeded. ``MultiStateResult.failed`` alone
    only reports render and compile errors: a state returning ``result: False`` passes it.
    """
    assert not ret.failed, ret.errors
    failed = [(r.name, r.comment) for r in ret if r.result is not True]
    assert not failed, failed
