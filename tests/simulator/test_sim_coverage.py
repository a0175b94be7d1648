"""tools/sim_coverage.py: the simulated share of the PBS API, run as a user runs it."""

import pathlib
import re
import subprocess
import sys

import pytest

from saltext.pbs.simulator import core  # noqa: F401  (registers every endpoint)
from saltext.pbs.simulator.pbs_paths import PBS_OPERATIONS
from saltext.pbs.simulator.router import ENDPOINTS

pytest.importorskip("clientapi_pbs")

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "tools" / "sim_coverage.py"
PARAM = re.compile(r"\{[^}]+\}")


def _run(*args):
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=True,
        timeout=120,
    )
    return proc.stdout.splitlines()


def _norm(path):
    return PARAM.sub("{}", path)


def test_coverage_report_counts():
    lines = _run()
    match = re.fullmatch(
        r"simulated (\d+)/(\d+) operations \(\+(\d+) directory indexes answered generically\)",
        lines[-1],
    )
    assert match, lines[-1]
    done, total = int(match.group(1)), int(match.group(2))
    # the schema's operations are the simulator's list of known PBS operations
    assert total == len(PBS_OPERATIONS)
    known = {(m, _norm(p)) for m, p in PBS_OPERATIONS}
    registered = {(ep.method, _norm(ep.template)) for ep in ENDPOINTS}
    assert done == len(known & registered)
    # every simulated endpoint is a real PBS operation
    assert not [line for line in lines if line.startswith("not in the schema")]
    rows = {line.split()[0]: line.split()[1] for line in lines[1:-1] if "/" in line}
    assert rows["config_datastore"] == "5/5"
    assert sum(int(r.split("/")[1]) for r in rows.values()) == total


def test_missing_operations_listed():
    lines = _run("--missing")
    listed = {line.split("not simulated: ")[1] for line in lines if "not simulated: " in line}
    registered = {(ep.method, _norm(ep.template)) for ep in ENDPOINTS}
    for method, path in PBS_OPERATIONS:
        if (method, _norm(path)) in registered:
            assert f"{method} {path}" not in listed
    assert "POST /config/datastore" not in listed
    assert listed, "some PBS operations are not simulated (e.g. disks, network)"
