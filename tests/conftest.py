"""Shared test configuration.

* Registers the contract-check plugin (``tests/support/contract_plugin.py``): every exchange
  with a simulated PBS is judged against the PBS API schema.
* ``salt_factories_config`` for pytest-salt-factories.
* The simulator fixtures (``pbs_simulator``, ``pbs_simulator_module``) come from the
  ``pbs_simulator`` pytest plugin that saltext-pbs registers through its ``pytest11`` entry
  point.
"""

import logging
import os

import pytest
import salt._logging.impl

from saltext.pbs import PACKAGE_ROOT
from saltext.pbs.utils import tickets
from tests.support.helpers import pbs_config_for

pytest_plugins = ["tests.support.contract_plugin"]

# Salt raises the root logger's level when it is imported; tests want the default back so
# that only what a test captures on purpose (caplog) is recorded.
logging.root.setLevel(logging.WARNING)


def _drop_salt_temp_log_handler():
    # Salt buffers early log records in a temporary handler bound to the sys.stderr of the
    # moment (pytest's capture) and writes them out at exit, when that stream is closed:
    # a screenful of "Logging error" noise. Remove it; pytest captures logs itself.
    salt._logging.impl.shutdown_temp_handler()  # pylint: disable=protected-access


_drop_salt_temp_log_handler()


def pytest_sessionfinish():
    _drop_salt_temp_log_handler()


@pytest.fixture(autouse=True)
def _fresh_shared_tickets():
    """Every test starts without PBS tickets shared from an earlier test (tests count
    logins); within a test, clients of one process share them as in a salt-call."""
    tickets.clear()
    yield
    tickets.clear()


@pytest.fixture(scope="session")
def salt_factories_config():
    """Return a dictionary with the keyword arguments for FactoriesManager."""
    return {
        "code_dir": str(PACKAGE_ROOT),
        "inject_sitecustomize": "COVERAGE_PROCESS_START" in os.environ,
        "start_timeout": 120 if os.environ.get("CI") else 60,
    }


@pytest.fixture
def pbs_minion_config(pbs_simulator):
    """The ``pbs`` block of a minion config pointing at the test's simulator (ticket auth)."""
    return pbs_config_for(pbs_simulator)
