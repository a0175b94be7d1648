"""A master drives a minion and a ``pbs`` proxy, each managing its own simulated PBS.

Runs in this order (one set of daemons for the module): targeting, apply, re-apply,
drift, the masked connection view, one PBS down while the other is up, and last the secret
scan over the job cache and every daemon's debug log.
"""

import pathlib

import pytest

from tests.fleet.conftest import MINION_ID
from tests.fleet.conftest import PROXY_ID
from tests.fleet.conftest import USER_PASSWORD
from tests.support.helpers import RawApi

pytestmark = [pytest.mark.integration]

BOTH = f"{MINION_ID},{PROXY_ID}"


def run(salt_cli, *args, tgt=BOTH):
    """Run ``salt`` through the master; the parsed return per minion."""
    if tgt == BOTH:
        args = ("-L",) + args
    ret = salt_cli.run("--static", *args, minion_tgt=tgt)
    assert isinstance(ret.data, dict), ret.stdout + ret.stderr
    return ret.data


def states(ret):
    return sorted(ret.values(), key=lambda state: state["__run_num__"])


def test_both_answer_through_the_master(salt_cli, fleet_sims):
    pings = run(salt_cli, "test.ping")
    assert pings == {MINION_ID: True, PROXY_ID: True}
    versions = run(salt_cli, "pbs.version")
    assert set(versions) == {MINION_ID, PROXY_ID}
    for version in versions.values():
        assert version["version"].startswith("4.")
    # Each reached its own PBS.
    for sim in fleet_sims.values():
        assert any(ex["path"].endswith("/version") for ex in sim.exchanges())
