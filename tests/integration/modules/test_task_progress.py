"""A long PBS task is not silent on Salt's default console: a real ``salt-call`` at the
default log level (warning) shows that the task still runs, with its last log line."""

import pytest

from tests.support.helpers import pbs_config_for

pytestmark = [pytest.mark.integration]


@pytest.fixture(scope="module")
def pbs_simulator_task_duration():
    return 4.0  # seconds: longer than this module's progress_after


def test_a_long_task_reports_at_the_default_console_level(
    salt_call_cli, pbs_sim, pbs_block_file
):
    with pbs_sim.lock:
        pbs_sim.state.file("datastore.cfg").set("slowstore", "datastore", {"path": "/srv/slow"})
    pbs_block_file(pbs_config_for(pbs_sim, progress_after=1))
    ret = salt_call_cli.run(
        "--local", "--log-level=warning", "pbs_datastore.gc_start", "slowstore", "wait=True"
    )
    assert ret.returncode == 0, ret.stdout + ret.stderr
    assert ret.data["exitstatus"] == "OK"
    console = ret.stdout + ret.stderr
    assert "PBS task garbage_collection 'slowstore' still running after 1s" in console, console
