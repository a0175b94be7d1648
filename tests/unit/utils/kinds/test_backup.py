"""Selectors and encodings of backup contents (utils/kinds/backup.py), checked before any
request."""

import struct
import zlib

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.kinds import backup


def test_blob_is_an_uncompressed_datablob():
    blob = backup.encode_blob(b"log line\n")
    assert blob[:8] == bytes([66, 171, 56, 7, 190, 131, 112, 161])
    assert struct.unpack("<I", blob[8:12])[0] == zlib.crc32(b"log line\n")
    assert blob[12:] == b"log line\n"


@pytest.mark.parametrize("given,expected", [
    (None, "/"), ("", "/"), ("/", "/"), ("etc/hosts", "/etc/hosts"), ("/etc//hosts/", "/etc/hosts"),
])
def test_archive_path_normalised(given, expected):
    assert backup.archive_path(given) == expected


@pytest.mark.parametrize("bad", ["/etc/../root", "./x", "a\0b", 5])
def test_archive_path_refused(bad):
    with pytest.raises(SaltInvocationError, match="'path'"):
        backup.archive_path(bad)


def test_paths_travel_as_base64():
    assert backup.encode_path("/root.pxar.didx/etc") == "L3Jvb3QucHhhci5kaWR4L2V0Yw=="
    assert backup.decode_path("L3Jvb3QucHhhci5kaWR4L2V0Yw==") == "/root.pxar.didx/etc"


def test_state_names():
    assert backup.split_name("vm/100") == ("vm", "100", None)
    assert backup.split_name("vm/100/2024-05-01T02:00:00Z") == ("vm", "100",
                                                                "2024-05-01T02:00:00Z")
    with pytest.raises(SaltInvocationError, match="'name'.*not TYPE/ID"):
        backup.split_name("vm")


def test_backup_time_accepts_latest():
    assert backup.check_backup_time("latest") == "latest"
    with pytest.raises(SaltInvocationError, match="'backup_time'"):
        backup.check_backup_time("newest")
