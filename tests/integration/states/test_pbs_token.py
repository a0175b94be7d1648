"""``pbs_token`` states applied by a real ``salt-call --local`` against the simulator: the
common scenario, where the secret goes, and a lost secret. ``token_user`` comes from this
directory's conftest."""

import os
import stat

import pytest

from tests.support.helpers import writes
from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]


def test_token_scenario(scenario, token_user, tmp_path, pbs_sim):
    sink = tmp_path / "tokens" / "int.token"
    case = Case(
        state="pbs_token",
        name="int-tok@pbs!ci",
        collection="/access/users/int-tok@pbs/token",
        id_key="tokenid",
        props={"comment": "first", "secret_file": str(sink)},
        change=("comment", "second"),
        clear="comment",
    )
    scenario.test_create(case)
    assert not sink.exists()
    done = scenario.present(case)
    assert done.state["result"] is True, done.state["comment"]
    assert done.state["changes"]["new"]["secret"] == "<hidden>"
    assert scenario.read(case)["comment"] == "first"
    (create,) = [e for e in writes(done.exchanges) if e["method"] == "POST"]
    secret = create["response"]["data"]["value"]
    assert sink.read_text(encoding="utf-8") == f"int-tok@pbs!ci:{secret}\n"
    assert stat.S_IMODE(os.stat(sink).st_mode) == 0o600
    assert secret not in done.output
    with open(pbs_sim.request_log, encoding="utf-8") as fh:
        assert secret not in fh.read()

    scenario.reapply(case)
    scenario.change_one(case)
    scenario.test_change(case)
    scenario.clear(case)
    assert sink.read_text(encoding="utf-8") == f"int-tok@pbs!ci:{secret}\n"  # never rotated

    sink.unlink()
    lost = scenario.present(case)
    assert lost.state["result"] is False
    assert "pbs_token.regenerate int-tok@pbs!ci" in lost.state["comment"]
    assert lost.writes == []
    scenario.absent(case)
