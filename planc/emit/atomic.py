"""Atomic writes: a file is replaced whole, or left as it was."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from planc.errors import PlancError


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: all or nothing."""
    directory = path.parent
    if not directory.is_dir():
        raise PlancError("output folder does not exist", str(directory))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    import tempfile  # here, not at the top: a tenth of start-up for a command that prints

    try:
        # A short prefix: a name that fits the file system's 255 bytes must fit with it too.
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:24]}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise PlancError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes 0600, not what we want; os.chmod by name, as os.fchmod is missing on
        # Windows before Python 3.13 (where only the read-only bit is honoured anyway).
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise PlancError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The permission bits of the file being replaced, else what ``open`` would give a new one.

    ``lstat``: a symlink is replaced by the output, not followed, so the link target's mode is
    not copied; and only the 0o777 bits, never setuid, setgid or sticky.
    """
    try:
        info = path.lstat()
        if stat.S_ISREG(info.st_mode):
            return info.st_mode & 0o777
    except OSError:
        pass
    umask = os.umask(0o022)  # read the umask: setting it is the only way
    os.umask(umask)
    return 0o666 & ~umask
