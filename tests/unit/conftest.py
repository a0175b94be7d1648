"""Unit tests: modules imported directly, dunders injected by pytest-salt-factories'
``configure_loader_modules`` mechanism. Plain option dicts are provided here."""

import pytest
import salt.config


@pytest.fixture
def minion_opts(tmp_path):
    """Default minion options rooted under tmp_path."""
    opts = salt.config.DEFAULT_MINION_OPTS.copy()
    dirs = {name: str(tmp_path / name) for name in ("cachedir", "pki_dir", "sock_dir")}
    opts.update(dirs, root_dir=str(tmp_path), file_client="local", id="unit-minion")
    return opts


@pytest.fixture
def master_opts(tmp_path):
    """Default master options rooted under tmp_path."""
    opts = salt.config.DEFAULT_MASTER_OPTS.copy()
    dirs = {name: str(tmp_path / name) for name in ("cachedir", "pki_dir", "sock_dir")}
    opts.update(dirs, root_dir=str(tmp_path))
    return opts
