"""The complete SLS examples in the docstrings of the job and notification state modules
apply cleanly against the simulator, and a second run changes nothing.

The objects an example refers to (datastores, remotes) are created by states put in front
of it, as a user's SLS would do.
"""

import importlib
import textwrap

import pytest

pytestmark = pytest.mark.usefixtures("pbs_loaders")

PILLAR = {"pbs_smtp_password": "pw-example", "gotify_token": "tok-example", "chat_token": "x1"}


def _datastore(name):
    return f"{name}:\n  pbs_datastore.present:\n    - path: /srv/example/{name}\n"


def _remote(name):
    return (
        f"{name}:\n  pbs_remote.present:\n    - host: {name}.example.com\n"
        "    - auth_id: sync@pbs\n    - password: example\n"
    )


def _sendmail(name):
    return (
        f"{name}:\n  pbs_notification_endpoint.present:\n    - type: sendmail\n"
        "    - mailto: [a@example.com]\n"
    )


PREREQUISITES = {
    "pbs_sync_job": _datastore("local") + _remote("offsite") + _remote("dr-site"),
    "pbs_prune_job": _datastore("store1"),
    "pbs_verify_job": _datastore("store1"),
    "pbs_notification_endpoint": "",
    "pbs_notification_matcher": _sendmail("ops-mail") + _sendmail("phone"),
}


def module_example(name):
    """The first YAML block of a state module's docstring."""
    doc = importlib.import_module(f"saltext.pbs.states.{name}").__doc__
    lines = doc.split(".. code-block:: yaml", 1)[1].splitlines()[1:]
    block = []
    for line in lines:
        if line.strip() and not line.startswith(" "):
            break
        block.append(line)
    return textwrap.dedent("\n".join(block)).strip() + "\n"


@pytest.mark.parametrize("module", sorted(PREREQUISITES))
def test_docstring_example_applies_and_is_idempotent(pbs_loaders, state_tree, module):
    sls = PREREQUISITES[module] + module_example(module)
    sls_file = state_tree / f"example_{module}.sls"
    sls_file.write_text(sls, encoding="utf-8")
    try:
        first = pbs_loaders.modules.state.apply(sls_file.stem, pillar=PILLAR)
        assert not first.failed, [(r.name, r.comment) for r in first if not r.result]
        assert any(r.changes for r in first)
        again = pbs_loaders.modules.state.apply(sls_file.stem, pillar=PILLAR)
        assert not again.failed, [(r.name, r.comment) for r in again if not r.result]
        assert [r.name for r in again if r.changes] == []
    finally:
        sls_file.unlink()
