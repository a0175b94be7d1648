"""Private files on the minion: token secrets, beacon memory."""

import os
import tempfile


def write_private(path: str, text: str, durable: bool = True) -> None:
    """
    Write ``text`` to ``path`` readable by the minion's user only (0600, directory 0700),
    atomically: a reader sees the old content or the new, never half of it, and a failed
    write leaves no temporary file behind.

    ``durable``: flush the content to disk before it replaces the old (a token secret or
    key PBS shows only once must survive a crash). Caches that can be rebuilt pass False
    and save the disk flush.
    """
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, mode=0o700, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", dir=directory)  # 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
