"""pbs_token execution module against the simulated PBS (results checked in the simulator's
state)."""

import pytest
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_token_functions(pbs_modules, pbs_simulator, user, tmp_path):
    sink = tmp_path / "t.token"
    out = pbs_modules.pbs_token.create("backup@pbs!t1", secret_file=str(sink), comment="one")
    assert out == {"tokenid": "backup@pbs!t1", "secret_written_to": f"file {sink}"}
    secret = pbs_simulator.state.secret_store("token.shadow")["backup@pbs!t1"]
    assert sink.read_text() == f"backup@pbs!t1:{secret}\n"

    assert pbs_modules.pbs_token.get("backup@pbs!t1")["comment"] == "one"
    assert [t["tokenid"] for t in pbs_modules.pbs_token.list(userid=user)] == ["backup@pbs!t1"]
    assert "backup@pbs!t1" in [t["tokenid"] for t in pbs_modules.pbs_token.list()]
    assert pbs_modules.pbs_token.update("backup@pbs!t1", enable=False)["enable"] is False

    out = pbs_modules.pbs_token.regenerate("backup@pbs!t1", secret_file=str(sink))
    assert "secret" not in out
    new = pbs_simulator.state.secret_store("token.shadow")["backup@pbs!t1"]
    assert new != secret and sink.read_text() == f"backup@pbs!t1:{new}\n"
    shown = pbs_modules.pbs_token.regenerate("backup@pbs!t1", return_secret=True)
    assert shown["secret"] == pbs_simulator.state.secret_store("token.shadow")["backup@pbs!t1"]

    pbs_modules.pbs_token.delete("backup@pbs!t1")
    assert pbs_modules.pbs_token.get("backup@pbs!t1") is None


def test_token_create_without_sink_sends_nothing(pbs_modules, pbs_simulator, user):
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match="secret_file"):
        pbs_modules.pbs_token.create("backup@pbs!t2")
    assert writes(pbs_simulator.exchanges()) == []
