"""pbs_tape_drive states through Salt loaders against the simulated PBS (a drive together
with its changer, pool and job: tests/functional/states/test_pbs_tape_backup_job.py)."""

import pytest

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_device_path_refused_by_pbs(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_tape_drive.present(name="lto-9", path="/dev/sg99")
    assert ret.result is False and "tape device" in ret.comment
