"""Functional tests: real Salt loaders in-process (pytest-salt-factories ``Loaders``).

Fixtures, from the salt-extension template:

* ``loaders`` (module scope), ``modules``, ``states``, ``state_tree``, ``state_tree_prod``;
  override ``minion_config_defaults`` / ``minion_config_overrides`` in a test module.

Against a simulated PBS (function scope, a fresh simulator per test):

* ``pbs_loaders``: ``loaders`` whose minion config has a ``pbs`` block pointing at
  ``pbs_simulator`` (root@pam, password, pinned fingerprint);
* ``pbs_modules`` / ``pbs_states``: its execution and state modules, e.g.
  ``pbs_states.pbs_datastore.present(name="store1", path="/tmp/x")``;
* ``pbs_minion_config`` (from ``tests/conftest.py``): that ``pbs`` block as a dict.

To use a different block (token auth, profiles), call
``tests.support.helpers.configure_pbs(loaders, block)``.

Retries of a read do not wait here (``PbsClient.backoff`` is 0); their attempts still count.

Simulated tasks end as they start here (``pbs_simulator_task_duration`` 0): module and
state tests wait for them without polling. A test that looks at a running task spawns it
with a ``duration`` or overrides that fixture.
"""

import os
import shutil
from unittest import mock

import pytest
import salt.utils.event
import salt.utils.extmods
from saltfactories.utils.functional import Loaders

from saltext.pbs.utils.client import PbsClient
from tests.support.helpers import configure_pbs


@pytest.fixture(scope="module")
def pbs_simulator_task_duration():
    return 0.0


@pytest.fixture(scope="package")
def minion_id():
    return "func-tests-minion-opts"


@pytest.fixture(scope="module")
def state_tree(tmp_path_factory):
    path = tmp_path_factory.mktemp("state-tree-base")
    try:
        yield path
    finally:
        shutil.rmtree(str(path), ignore_errors=True)


@pytest.fixture(scope="module")
def state_tree_prod(tmp_path_factory):
    path = tmp_path_factory.mktemp("state-tree-prod")
    try:
        yield path
    finally:
        shutil.rmtree(str(path), ignore_errors=True)


@pytest.fixture(scope="module")
def minion_config_defaults():
    """Override in a test module to change the minion's default configuration."""
    return {}


@pytest.fixture(scope="module")
def minion_config_overrides():
    """Override in a test module to change the minion's configuration."""
    return {}


@pytest.fixture(scope="module")
def minion_opts(
    salt_factories,
    minion_id,
    state_tree,
    state_tree_prod,
    minion_config_defaults,
    minion_config_overrides,
):
    overrides = dict(minion_config_overrides)
    overrides.update(
        {
            "file_client": "local",
            "file_roots": {"base": [str(state_tree)], "prod": [str(state_tree_prod)]},
        }
    )
    factory = salt_factories.salt_minion_daemon(
        minion_id, defaults=minion_config_defaults, overrides=overrides
    )
    return factory.config.copy()


def _no_minion_event_bus(self, timeout=1):  # pylint: disable=unused-argument
    return False


_real_extmods_sync = salt.utils.extmods.sync


def _sync_only_what_exists(opts, form, *args, **kwargs):
    """``salt.utils.extmods.sync``, skipped when no file root has a ``_<form>`` directory
    (it would find nothing: a fresh state tree is empty)."""
    roots = [root for env_roots in opts["file_roots"].values() for root in env_roots]
    if any(os.path.isdir(os.path.join(root, "_" + form)) for root in roots):
        return _real_extmods_sync(opts, form, *args, **kwargs)
    return [], False


@pytest.fixture(scope="module")
def loaders(minion_opts):
    # Loaders() runs saltutil.sync_all: 21 module types, each with a file client, though
    # the module's state tree is still empty; only types with a directory are synced. It
    # ends by signalling a pillar refresh on the minion's event bus. No minion runs here,
    # so that signal waits a full second for a connection that never comes and is then
    # dropped; refuse the connection at once instead (same outcome, without the wait).
    with mock.patch.object(salt.utils.extmods, "sync", _sync_only_what_exists), \
            mock.patch.object(salt.utils.event.SaltEvent, "connect_pull", _no_minion_event_bus):
        return Loaders(minion_opts)


@pytest.fixture(autouse=True)
def _no_retry_backoff(monkeypatch):
    """Retried reads keep every attempt but wait nothing in between: the backoff's
    timing is the unit tests' business (tests/unit/utils/test_client.py)."""
    monkeypatch.setattr(PbsClient, "backoff", 0.0)


@pytest.fixture(autouse=True)
def reset_loaders_state(loaders):
    try:
        yield
    finally:
        # Clears __context__ (so cached PBS clients never outlive a test's simulator) and
        # the minion cache directory.
        loaders.reset_state()


@pytest.fixture(scope="module")
def modules(loaders):
    return loaders.modules


@pytest.fixture(scope="module")
def states(loaders):
    return loaders.states


@pytest.fixture
def pbs_loaders(loaders, pbs_minion_config):
    configure_pbs(loaders, pbs_minion_config)
    try:
        yield loaders
    finally:
        configure_pbs(loaders, None)


@pytest.fixture
def pbs_modules(pbs_loaders):
    return pbs_loaders.modules


@pytest.fixture
def pbs_states(pbs_loaders):
    return pbs_loaders.states
