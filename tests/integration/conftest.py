"""Integration tests: a real ``salt-call --local`` subprocess against a simulated PBS.

* ``pbs_minion`` (package scope): a pytest-salt-factories minion *factory*. It is never
  started: ``salt-call --local`` only needs its configuration directory (no master, no
  daemon, so the tier stays cheap). ``file_roots`` is ``state_tree``.
* ``pbs_sim`` (module scope): the simulator of this test module. Its ``pbs`` block is
  written to ``<config dir>/minion.d/pbs.conf`` while the module runs, so every
  ``salt-call`` of the module talks to it.
* ``salt_call_cli``: run ``salt_call_cli.run("--local", "state.apply", "mysls")``;
  ``ret.data`` is the parsed JSON return.
* ``pbs_block_file``: write another ``pbs`` block (token auth, ...) for one test.
* ``scenario``: a :class:`tests.support.scenario.Scenario` on this module's simulator, to
  run the common state scenario of a kind (``scenario.run(Case(...))``).

Simulated tasks end as they start here (``pbs_simulator_task_duration`` 0): a salt-call that
waits for one does not poll. A module that looks at a running task overrides that fixture.
"""

import pathlib
import shutil

import pytest
import salt.utils.yaml

from tests.support.helpers import pbs_config_for
from tests.support.scenario import Scenario


@pytest.fixture(scope="module")
def pbs_simulator_task_duration():
    return 0.0


@pytest.fixture(scope="package")
def state_tree(tmp_path_factory):
    path = tmp_path_factory.mktemp("integration-state-tree")
    try:
        yield path
    finally:
        shutil.rmtree(str(path), ignore_errors=True)


@pytest.fixture(scope="package")
def pbs_minion(salt_factories, state_tree):
    overrides = {
        "file_client": "local",
        "file_roots": {"base": [str(state_tree)]},
        "log_level_logfile": "debug",
    }
    return salt_factories.salt_minion_daemon("pbs-integration-minion", overrides=overrides)


@pytest.fixture(scope="package")
def salt_call_cli(pbs_minion):
    return pbs_minion.salt_call_cli(timeout=120)


def write_pbs_block(minion, block):
    """Write (or with None, remove) the minion's ``pbs`` block; returns the file path."""
    path = pathlib.Path(minion.config_dir) / "minion.d" / "pbs.conf"
    if block is None:
        path.unlink(missing_ok=True)
    else:
        path.parent.mkdir(exist_ok=True)
        path.write_text(salt.utils.yaml.safe_dump({"pbs": block}), encoding="utf-8")
        path.chmod(0o600)
    return path


@pytest.fixture(scope="module")
def pbs_sim(pbs_simulator_module, pbs_minion):
    """The module's simulator, configured as the minion's PBS (ticket auth as root@pam)."""
    write_pbs_block(pbs_minion, pbs_config_for(pbs_simulator_module))
    try:
        yield pbs_simulator_module
    finally:
        write_pbs_block(pbs_minion, None)


@pytest.fixture
def pbs_block_file(pbs_minion):
    """Call with a block to use it for one test; the module's block is restored after."""
    saved = {}

    def write(block):
        path = pathlib.Path(pbs_minion.config_dir) / "minion.d" / "pbs.conf"
        if "text" not in saved:
            saved["text"] = path.read_text(encoding="utf-8") if path.exists() else None
        return write_pbs_block(pbs_minion, block)

    yield write
    if "text" in saved:
        path = pathlib.Path(pbs_minion.config_dir) / "minion.d" / "pbs.conf"
        if saved["text"] is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(saved["text"], encoding="utf-8")


@pytest.fixture
def scenario(salt_call_cli, state_tree, pbs_sim):
    """The common state scenario (tests/support/scenario.py) against the module's simulator."""
    return Scenario(salt_call_cli, state_tree, pbs_sim)
