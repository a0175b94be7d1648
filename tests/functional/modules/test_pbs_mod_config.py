"""``pbs.config``: the resolved connection with secrets hidden, and one-line config errors.

The ``pbs`` block is the minion config of this module's loaders (set once: Salt 3008's
copy-on-write opts can leave a loaded module's ``__opts__`` behind a key changed later).
"""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import pbs_config_for

TOKEN_SECRET = "s3cr3t-value"


@pytest.fixture(scope="module")
def minion_config_overrides(pbs_simulator_module):
    profiles = {
        "tok": {"token_id": "root@pam!t", "token_secret": TOKEN_SECRET},
        "slow": {"timeout": "soon"},
    }
    return {"pbs": {**pbs_config_for(pbs_simulator_module), "profiles": profiles}}


@pytest.fixture
def sim(pbs_simulator_module):
    pbs_simulator_module.clear_exchanges()
    return pbs_simulator_module


def test_config_shows_the_resolved_connection_with_secrets_hidden(modules, sim):
    # Pillar and proxy origins are covered in tests/unit/utils/test_config.py and tests/fleet.
    shown = modules.pbs.config()
    by_token = modules.pbs.config(profile="tok")
    assert shown["connection"]["url"] == sim.url
    assert shown["connection"]["username"] == sim.user
    assert shown["connection"]["password"] == "<hidden>"
    assert shown["sources"] == {
        key: f"minion config pbs:{key}" for key in ("url", "fingerprint", "username", "password")
    }
    assert shown["profiles"] == ["slow", "tok"] and shown["proxy"] is False
    assert by_token["connection"]["token_secret"] == "<hidden>"
    assert by_token["connection"]["password"] is None  # the profile switched the method
    assert by_token["sources"]["token_id"] == "minion config pbs:profiles:tok:token_id"
    text = repr([shown, by_token])
    assert sim.password not in text and TOKEN_SECRET not in text
    assert sim.exchanges() == []  # reads configuration only


def test_config_error_names_key_and_origin_in_one_line(modules, sim):
    for call in (modules.pbs.config, modules.pbs.version):
        with pytest.raises(CommandExecutionError) as excinfo:
            call(profile="slow")
        assert not isinstance(excinfo.value, SaltInvocationError)  # no usage text from Salt
        assert str(excinfo.value) == (
            "PBS 'timeout' must be a positive number of seconds "
            "(read from minion config pbs:profiles:slow:timeout)"
        )
    assert sim.exchanges() == []
