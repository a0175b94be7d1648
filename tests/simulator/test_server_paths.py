"""The simulator's list of PBS operations is the schema's (regenerate with
``python tools/gen_pbs_paths.py`` when clientapi-pbs changes)."""

import importlib.util
import pathlib

import pytest

from saltext.pbs.simulator.pbs_paths import PBS_OPERATIONS
from saltext.pbs.simulator.router import Router

TOOL = pathlib.Path(__file__).resolve().parents[2] / "tools" / "gen_pbs_paths.py"


def test_generated_operations_are_current():
    if importlib.util.find_spec("clientapi_pbs") is None:
        pytest.skip("clientapi-pbs is not installed")
    spec = importlib.util.spec_from_file_location("gen_pbs_paths", TOOL)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert list(PBS_OPERATIONS) == gen.collect()
    assert len(PBS_OPERATIONS) == 367


def test_lookup_literal_before_parameter_and_no_method_fallback():
    router = Router([])
    assert router.is_pbs_path("GET", ["config", "datastore"])
    assert router.is_pbs_path("PUT", ["config", "datastore", "any-name"])
    assert not router.is_pbs_path("PATCH", ["config", "datastore", "any-name"])
    assert not router.is_pbs_path("GET", ["config", "nonsense"])
    # a directory index PBS has is answered even with no endpoint module loaded
    ep, params = router.lookup("GET", ["access"])
    assert params == {} and {"subdir": "users"} in ep.handler(None, {})
    assert router.lookup("GET", ["config", "datastore"]) is None
