"""Token flows: creating a token hands its secret to a sink, refused before any write when
it cannot be kept (no PBS needed)."""

import os
import stat

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.flows import tokens as token_flows
from saltext.pbs.utils.kinds.token_sink import Sink
from tests.unit.utils.recorder import Recorder


def test_token_whose_user_does_not_exist_is_refused_before_create(tmp_path):
    client = Recorder(answers={})
    sink = Sink(str(tmp_path / "t"))
    with pytest.raises(SaltInvocationError, match=r"'name'.*'ghost@pbs' does not exist"):
        token_flows.create_token(client, "ghost@pbs!t1", sink)
    assert [r[0] for r in client.requests] == ["GET"]
    assert not (tmp_path / "t").exists()


def test_token_create_needs_a_sink_or_return_secret():
    with pytest.raises(SaltInvocationError, match="secret_file"):
        token_flows.create_token(Recorder(), "a@pbs!t", None)


def test_create_token_writes_sink_and_returns_no_secret(tmp_path):
    client = Recorder(answers={"/access/users/a%40pbs": {"userid": "a@pbs"}})
    sink = Sink.from_args(secret_file=str(tmp_path / "d" / "a.token"))
    out = token_flows.create_token(client, "a@pbs!t", sink, properties={"comment": "c"})
    assert out == {"tokenid": "a@pbs!t", "secret_written_to": f"file {tmp_path}/d/a.token"}
    path = tmp_path / "d" / "a.token"
    assert path.read_text() == "a@pbs!t:the-secret-value\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert sink.holds("a@pbs!t") and not sink.holds("a@pbs!other")
    post = client.requests[-1]
    assert post == ("POST", "/access/users/a%40pbs/token/t", {"comment": "c"})
    shown = token_flows.create_token(client, "a@pbs!t", None, return_secret=True)
    assert shown["secret"] == "the-secret-value"
