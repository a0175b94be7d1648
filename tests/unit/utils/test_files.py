"""Private files on the minion."""

import os
import stat

import pytest

from saltext.pbs.utils import files


def test_written_for_the_owner_only(tmp_path):
    path = tmp_path / "new" / "secret.token"
    files.write_private(str(path), "id:value\n")
    assert path.read_text() == "id:value\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    files.write_private(str(path), "id:other\n")
    assert path.read_text() == "id:other\n"
    assert os.listdir(path.parent) == ["secret.token"]  # no temporary file left


def test_a_failed_write_keeps_the_old_content_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "memory.json"
    files.write_private(str(path), "old")

    def refuse(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        files.write_private(str(path), "new")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["memory.json"]


def test_durable_writes_flush_to_disk_and_cache_writes_do_not(tmp_path, monkeypatch):
    flushed = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: flushed.append(fd) or real_fsync(fd))
    files.write_private(str(tmp_path / "secret"), "s")
    assert len(flushed) == 1
    files.write_private(str(tmp_path / "cache"), "c", durable=False)
    assert len(flushed) == 1
    assert (tmp_path / "cache").read_text() == "c"
