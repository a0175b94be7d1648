"""Private files on the minion: token secrets, beacon memory."""

import os
import tempfile


def write_private(path: str, text: str) -> None:
    """
    Write ``text`` to ``path`` readable by the minion's user only (0600, directory 0700),
    atomically: a reader sees the old content or the new, never half of it, and a failed
    write leaves no temporary file behind.
    """
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, mode=0o700, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", dir=directory)  # 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
