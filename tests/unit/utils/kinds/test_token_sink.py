"""Where token secrets go: sink arguments and write failures (no PBS needed)."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.kinds.token_sink import Sink


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"secret_file": "rel/path"}, "'secret_file'"),
        ({"secret_sdb": "vault/x"}, "'secret_sdb'"),
        ({"secret_sdb": "sdb://only-profile"}, "'secret_sdb'"),
        ({"secret_file": "/a", "secret_sdb": "sdb://p/k"}, "not both"),
    ],
)
def test_sink_arguments_validated(kwargs, field):
    with pytest.raises(SaltInvocationError, match=field):
        Sink.from_args(**kwargs)


def test_sink_write_failure_names_sink_not_secret(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    sink = Sink(str(blocker / "sub" / "t.token"))
    with pytest.raises(CommandExecutionError) as exc:
        sink.write("a@pbs!t", "the-secret-value")
    assert "pbs_token.regenerate a@pbs!t secret_file=" in str(exc.value)
    assert "the-secret-value" not in str(exc.value)
