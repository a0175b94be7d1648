"""Unit tests of the pbs_media_pool execution module: what it refuses before any request,
and the requests it sends (PBS takes no digest for media pools)."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.modules import pbs_media_pool


@pytest.fixture
def configure_loader_modules(module_dunders):
    return {pbs_media_pool: module_dunders}


@pytest.mark.parametrize(
    "props,field",
    [
        ({"retention": "3 fortnights"}, "retention"),
        ({"allocation": "whenever"}, "allocation"),
        ({"template": "x"}, "template"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_create_refuses_bad_input_before_any_request(pbs, props, field):
    with pytest.raises(SaltInvocationError, match=field):
        pbs_media_pool.create("weekly", **props)
    assert pbs.requests == []


def test_update_sends_no_digest_and_clears_through_the_delete_list(pbs):
    pbs_media_pool.update("weekly", retention="keep", comment=None)
    (put,) = pbs.writes
    assert put == (
        "PUT",
        "/config/media-pool/weekly",
        {"retention": "keep", "delete": ["comment"]},
    )


def test_delete_sends_no_digest(pbs):
    assert pbs_media_pool.delete("weekly") is None
    assert pbs.requests == [("DELETE", "/config/media-pool/weekly", None)]
