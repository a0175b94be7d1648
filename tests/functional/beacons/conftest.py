"""The beacons watch tasks while they run: tasks here take the simulator's default time."""

import pytest


@pytest.fixture(scope="module")
def pbs_simulator_task_duration():
    return 0.2
