"""``pbs_remote`` states applied by a real ``salt-call --local`` against the simulator."""

import pytest

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]

REMOTE = Case(
    state="pbs_remote",
    name="int-remote",
    collection="/config/remote",
    props={
        "host": "pbs2.example.com",
        "port": 8007,
        "auth_id": "sync@pbs!pull",
        "password": "remote-token-secret-1",
        "fingerprint": ":".join(["ab"] * 32),
        "comment": "offsite copy",
    },
    change=("host", "10.1.2.3"),
    clear="comment",
    secret=("password", "remote-token-secret-2"),
    policy="always",
)


def test_remote_scenario(scenario):
    scenario.run(REMOTE)


def test_remote_on_change_secret(scenario):
    case = Case(**{**REMOTE.__dict__, "name": "int-remote-2", "policy": "on_change"})
    scenario.create(case)
    scenario.reapply(case)
    scenario.secret(case)
    scenario.absent(case)
