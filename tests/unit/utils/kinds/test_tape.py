"""Catalog entries of the tape configuration (drives, changers, media pools, tape backup
jobs): properties, comparisons and the validation messages given before any request."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils.kinds import tape
from tests.unit.utils.kinds import schema_oracle as oracle

KINDS = {
    "drive": (tape.DRIVE, "config_drive_create_drive_request.ConfigDriveCreateDriveRequest",
              "pbs_config_drive_inline_enum.PbsConfigDriveInlineEnum", "name"),
    "changer": (tape.CHANGER,
                "config_changer_create_changer_request.ConfigChangerCreateChangerRequest",
                "pbs_config_changer_inline_enum.PbsConfigChangerInlineEnum", "name"),
    "pool": (tape.MEDIA_POOL,
             "config_media_pool_create_media_pool_request.ConfigMediaPoolCreateMediaPoolRequest",
             "pbs_config_media_pool_inline_enum.PbsConfigMediaPoolInlineEnum", "name"),
    "job": (tape.TAPE_BACKUP_JOB,
            "config_tape_backup_job_create_tape_backup_job_request."
            "ConfigTapeBackupJobCreateTapeBackupJobRequest",
            "pbs_config_tape_backup_job_inline_enum.PbsConfigTapeBackupJobInlineEnum", "id"),
}


@pytest.mark.parametrize("key", list(KINDS))
def test_every_property_and_delete_enum(key):
    kind, request, enum, ident = KINDS[key]
    assert oracle.props_of(kind) == oracle.properties(request) - {ident}
    assert oracle.deletable_of(kind) == oracle.enum_values(enum)


def test_digest_rules_follow_the_api():
    # DELETE of drives, changers and pools takes no digest; pools take none on PUT either
    assert not tape.DRIVE.delete_digest and not tape.CHANGER.delete_digest
    assert not tape.MEDIA_POOL.delete_digest and not tape.MEDIA_POOL.update_digest
    assert tape.TAPE_BACKUP_JOB.delete_digest and tape.TAPE_BACKUP_JOB.update_digest
    assert tape.DRIVE.cache_group == tape.CHANGER.cache_group  # one tape.cfg


def test_slot_lists_compare_as_sets_of_numbers():
    prop = tape.CHANGER.prop("export_slots")
    assert prop.coerce("24, 3;3") == [3, 24] and prop.coerce([10, "2"]) == [2, 10]
    assert prop.equal(prop.from_wire("10,2"), prop.coerce([2, 10]))
    assert prop.to_wire([2, 10]) == "2,10"


@pytest.mark.parametrize(
    "value,ok",
    [("30 days", True), ("1w 2d 12h", True), ("3600", True), ("2 fortnights", False),
     ("", False), ("days", False)],
)
def test_time_spans(value, ok):
    assert (tape.check_time_span(value) is None) is ok


@pytest.mark.parametrize(
    "key,ident,reason",
    [
        ("drive", "ab", "at least 3"),
        ("drive", "x" * 33, "at most 32"),
        ("changer", "-bad", "name"),
        ("pool", "a", "at least 2"),
        ("job", "a/b", "name"),
    ],
)
def test_bad_ids(key, ident, reason):
    with pytest.raises(SaltInvocationError, match=reason) as exc:
        KINDS[key][0].check_id(ident)
    assert repr(ident) in str(exc.value)


@pytest.mark.parametrize(
    "key,kwargs,op,words",
    [
        ("drive", {"changer_drivenum": 256}, "present", ("changer_drivenum", "at most 255")),
        ("drive", {"changer_drivenum": -1}, "present", ("changer_drivenum", "at least 0")),
        ("drive", {"changer_drivenum": "two"}, "present", ("changer_drivenum", "integer")),
        ("drive", {"path": "/dev/sg0", "changer_drivenum": 1}, "create", ("changer",)),
        ("drive", {"changer": None, "changer_drivenum": 2}, "present", ("changer",)),
        ("drive", {"serial": "x"}, "present", ("Unknown", "serial")),
        ("changer", {"export_slots": [0]}, "present", ("export_slots[0]", "at least 1")),
        ("changer", {"export_slots": "a,b"}, "present", ("export_slots[0]", "integer")),
        ("changer", {"export_slots": []}, "present", ("export_slots",)),
        ("changer", {"eject_before_unload": "maybe"}, "present", ("eject_before_unload",)),
        ("pool", {"allocation": "sometimes"}, "present", ("allocation", "calendar")),
        ("pool", {"retention": "2 eons"}, "present", ("retention", "eons")),
        ("pool", {"encrypt": "ab:cd"}, "present", ("encrypt",)),
        ("pool", {"template": "x"}, "present", ("template", "at least 2")),
        ("pool", {"comment": "a\nb"}, "present", ("comment",)),
        ("job", {"store": None}, "present", ("store", "cannot be cleared")),
        ("job", {"pool": "p"}, "present", ("pool", "at least 2")),
        ("job", {"schedule": "25:00"}, "present", ("schedule",)),
        ("job", {"max_depth": 8}, "present", ("max_depth", "at most 7")),
        ("job", {"ns": "a/b/c", "max_depth": 5}, "present", ("max_depth", "exceeds")),
        ("job", {"worker_threads": 0}, "present", ("worker_threads", "at least 1")),
        ("job", {"notify_user": "nobody"}, "present", ("notify_user",)),
        ("job", {"notification_mode": "pigeon"}, "present", ("notification_mode",)),
        ("job", {"group_filter": "type:vm"}, "present", ("group_filter", "list")),
        ("job", {"group_filter": ["kind:vm"]}, "present", ("group_filter[0]",)),
        ("job", {"eject_media": 2}, "present", ("eject_media", "boolean")),
    ],
)
def test_bad_input(key, kwargs, op, words):
    with pytest.raises(SaltInvocationError) as exc:
        catalog.desired(KINDS[key][0], kwargs, op)
    for word in words:
        assert word in str(exc.value)


def test_required_on_create():
    values = catalog.desired(tape.TAPE_BACKUP_JOB, {"store": "store1"}, "create")
    assert catalog.missing_required(tape.TAPE_BACKUP_JOB, values) == ["pool", "drive"]
    assert catalog.missing_required(tape.DRIVE, {}) == ["path"]
