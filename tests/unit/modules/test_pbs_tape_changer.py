"""Unit tests of the pbs_tape_changer execution module: what it refuses before any request,
and the request it sends."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.modules import pbs_tape_changer

CHANGER_PATH = "/dev/tape/by-id/scsi-CJ0JBE0059-changer"


@pytest.fixture
def configure_loader_modules(module_dunders):
    return {pbs_tape_changer: module_dunders}


@pytest.mark.parametrize(
    "name,props,field",
    [
        ("robot", {}, "'path'"),
        ("robot", {"path": CHANGER_PATH, "export_slots": "3,x"}, "export_slots"),
        ("robot", {"path": CHANGER_PATH, "colour": "blue"}, "colour"),
        ("bad/name", {"path": CHANGER_PATH}, "name"),
    ],
)
def test_create_refuses_bad_input_before_any_request(pbs, name, props, field):
    with pytest.raises(SaltInvocationError, match=field):
        pbs_tape_changer.create(name, **props)
    assert pbs.requests == []


def test_update_with_nothing_to_change_sends_nothing(pbs):
    with pytest.raises(SaltInvocationError, match="Nothing to update"):
        pbs_tape_changer.update("robot")
    assert pbs.requests == []


def test_create_sends_the_slots_as_a_sorted_set_and_reads_back(pbs):
    stored = {"name": "robot", "path": CHANGER_PATH, "export-slots": "3,24"}
    pbs.answers[("GET", "/config/changer/robot")] = stored
    assert pbs_tape_changer.create("robot", path=CHANGER_PATH, export_slots=[24, 3, 24]) == stored
    (post,) = pbs.writes
    assert post == (
        "POST",
        "/config/changer",
        {"name": "robot", "path": CHANGER_PATH, "export-slots": "3,24"},
    )


def test_update_clears_through_the_delete_list(pbs):
    pbs_tape_changer.update("robot", export_slots=None, eject_before_unload=True)
    (put,) = pbs.writes
    assert put[:2] == ("PUT", "/config/changer/robot")
    assert put[2]["delete"] == ["export-slots"] and put[2]["eject-before-unload"] is True


def test_list_is_exposed_as_list_and_returns_the_collection(pbs):
    assert pbs_tape_changer.__func_alias__["list_"] == "list"
    pbs.answers[("GET", "/config/changer")] = [{"name": "robot", "path": CHANGER_PATH}]
    assert pbs_tape_changer.list_(profile="tape") == [{"name": "robot", "path": CHANGER_PATH}]
    assert pbs.profiles == ["tape"]
