"""Unit tests of the pbs_token execution module: what it refuses before any request (a
token is never created when its secret would have nowhere to go)."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.modules import pbs_token


@pytest.fixture
def configure_loader_modules(module_dunders):
    return {pbs_token: module_dunders}


def test_create_without_a_sink_creates_nothing(pbs):
    with pytest.raises(SaltInvocationError, match="secret_file"):
        pbs_token.create("backup@pbs!t1")
    assert pbs.requests == []


def test_create_with_a_relative_secret_file_is_refused(pbs):
    with pytest.raises(SaltInvocationError, match="secret_file"):
        pbs_token.create("backup@pbs!t1", secret_file="relative/t1.token")
    assert pbs.requests == []


@pytest.mark.parametrize("name", ["backup@pbs", "backup!t1", "backup@pbs!"])
def test_a_name_that_is_no_token_id_is_refused(pbs, name):
    for call in (pbs_token.get, pbs_token.delete):
        with pytest.raises(SaltInvocationError, match="name"):
            call(name)
    assert pbs.requests == []


def test_get_reads_the_token_under_its_user_percent_encoded(pbs):
    token = {"tokenid": "backup@pbs!t1", "comment": "one"}
    pbs.answers[("GET", "/access/users/backup%40pbs/token/t1")] = token
    assert pbs_token.get("backup@pbs!t1") == token
    assert [r[:2] for r in pbs.requests] == [("GET", "/access/users/backup%40pbs/token/t1")]
