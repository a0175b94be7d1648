"""pytest plugin: the ``pbs_simulator`` fixtures.

Registered through the ``pytest11`` entry point, so any project that installs saltext-pbs
can use a simulated PBS in its tests::

    def test_something(pbs_simulator):
        requests.get(pbs_simulator.url + "/api2/json/version", verify=pbs_simulator.ca_file, ...)
"""

import secrets

import pytest


def _start(tmp_path):
    from saltext.pbs.simulator import Simulator  # pylint: disable=import-outside-toplevel

    sim = Simulator(
        password=secrets.token_urlsafe(18),
        request_log=str(tmp_path / "pbs-requests.jsonl"),
        cert_dir=str(tmp_path / "pbs-cert"),
        task_duration=0.2,
        auth_delay=0.0,
    )
    return sim.start()


@pytest.fixture
def pbs_simulator(tmp_path):
    """A started simulator with a fresh state, stopped after the test."""
    sim = _start(tmp_path)
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture(scope="module")
def pbs_simulator_module(tmp_path_factory):
    """A started simulator shared by the tests of one module."""
    sim = _start(tmp_path_factory.mktemp("pbs-simulator"))
    try:
        yield sim
    finally:
        sim.stop()
