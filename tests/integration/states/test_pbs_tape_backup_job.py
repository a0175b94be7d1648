"""``pbs_tape_backup_job`` states through a real ``salt-call --local`` against the simulator:
the common scenario of tests/support/scenario.py (``tape_setup``, the objects the tape
cases refer to, comes from this directory's conftest)."""

import pytest

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]


JOB = Case(
    state="pbs_tape_backup_job",
    name="int-tape-job",
    collection="/config/tape-backup-job",
    id_key="id",
    props={
        "store": "int-store",
        "pool": "int-job-pool",
        "drive": "int-job-drive",
        "schedule": "sat 20:00",
        "latest_only": True,
        "group_filter": ["type:vm"],
        "comment": "first",
    },
    change=("schedule", "sun 20:00"),
    clear="comment",
)


def test_job_scenario(scenario, tape_setup):
    scenario.run(JOB)
