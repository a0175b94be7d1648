"""The ``pbs_server`` grain loaded by Salt's own grains loader."""

import copy
import socket
import time

import pytest
import salt.loader

from saltext.pbs.grains import _process_cache

from tests.support.helpers import pbs_config_for


@pytest.fixture(autouse=True)
def forget_probes():
    """Each test starts as a new process would: no remembered probe."""
    _process_cache.clear()
    yield
    _process_cache.clear()


@pytest.fixture(scope="module")
def minion_config_overrides(pbs_simulator_module):
    # Grains see the minion config only (pillar is not compiled yet when they load).
    return {"pbs": pbs_config_for(pbs_simulator_module)}


def load_grains(loaders, **changes):
    opts = copy.deepcopy(loaders.opts)
    opts.update(changes)
    return salt.loader.grains(opts, force_refresh=True, loaded_base_name=loaders.loaded_base_name)


def test_grain_is_loaded_from_minion_config(loaders, pbs_simulator_module):
    grains = load_grains(loaders)
    assert "pbs" not in grains  # 'pbs' is the connection config key, never a grain
    grain = grains["pbs_server"]
    assert grain["reachable"] is True
    assert grain["url"] == pbs_simulator_module.url
    assert grain["version"].startswith("4.")
    assert isinstance(grain["datastores"], list)
    assert "memory_total" in grain["node"]


def test_no_pbs_block_no_grain(loaders):
    opts = copy.deepcopy(loaders.opts)
    opts.pop("pbs", None)
    grains = salt.loader.grains(opts, force_refresh=True, loaded_base_name=loaders.loaded_base_name)
    assert "pbs_server" not in grains


def test_down_pbs_does_not_slow_grains_beyond_budget(loaders, pbs_simulator_module):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    block = {**pbs_config_for(pbs_simulator_module), "url": f"https://127.0.0.1:{port}"}
    started = time.monotonic()
    grains = load_grains(loaders, pbs=block)
    elapsed = time.monotonic() - started
    assert grains["pbs_server"]["reachable"] is False
    # The whole grains run, not only ours, stays well within the grain's 3 s budget.
    assert elapsed < 3
