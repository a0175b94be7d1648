"""The API token kind: ids and the item path built from them (no PBS needed)."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds import tokens
from tests.unit.utils.recorder import Recorder


def test_token_id_without_bang():
    with pytest.raises(SaltInvocationError, match=r"user@realm!tokenname"):
        tokens.token_ids("backup@pbs")
    assert tokens.token_ids("a@b.c@pbs!t-1") == ("a@b.c@pbs!t-1", {"userid": "a@b.c@pbs"})


def test_token_item_path_splits_the_id():
    client = Recorder()
    path = objects.item_path(client, tokens.TOKEN, "backup@pbs!pve1", {"userid": "backup@pbs"})
    assert path == "/access/users/backup%40pbs/token/pve1"
