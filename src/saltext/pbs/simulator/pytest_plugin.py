"""pytest plugin: the ``pbs_simulator`` fixtures.

Registered through the ``pytest11`` entry point, so any project that installs saltext-pbs
can use a simulated PBS in its tests::

    def test_something(pbs_simulator):
        requests.get(pbs_simulator.url + "/api2/json/version", verify=pbs_simulator.ca_file, ...)

Tasks run for ``pbs_simulator_task_duration`` seconds (0.2 by default, so a test sees them
running). Where no test looks at a running task, override that fixture in a ``conftest.py``
or test module to return 0: tasks then end when they start and waiting for one costs no
polling.
"""

import secrets

import pytest


def _start(tmp_path, task_duration):
    from saltext.pbs.simulator import Simulator  # pylint: disable=import-outside-toplevel

    sim = Simulator(
        password=secrets.token_urlsafe(18),
        request_log=str(tmp_path / "pbs-requests.jsonl"),
        cert_dir=str(tmp_path / "pbs-cert"),
        task_duration=task_duration,
        auth_delay=0.0,
    )
    return sim.start()


@pytest.fixture(scope="module")
def pbs_simulator_task_duration():
    """Seconds a task of the simulators below runs (override to change it)."""
    return 0.2


@pytest.fixture
def pbs_simulator(tmp_path, pbs_simulator_task_duration):
    """A started simulator with a fresh state, stopped after the test."""
    sim = _start(tmp_path, pbs_simulator_task_duration)
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture(scope="module")
def pbs_simulator_module(tmp_path_factory, pbs_simulator_task_duration):
    """A started simulator shared by the tests of one module."""
    sim = _start(tmp_path_factory.mktemp("pbs-simulator"), pbs_simulator_task_duration)
    try:
        yield sim
    finally:
        sim.stop()
