"""Atomic writes: a file is replaced whole, or left as it was.

One file (``write_atomic``) is flushed to disk before it replaces the old one. Many files
(``stage_atomic`` then ``commit_atomic``, as ``planc build`` writes them) are written first and
flushed together, one ``syncfs`` for the lot, before any replaces its old file: the same
guarantee, without paying a disk flush (some milliseconds) for each file.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from planc.errors import PlancError


@dataclass(frozen=True, slots=True)
class Staged:
    """A file written beside ``path`` under a temporary name, to be put in its place."""

    temp: str
    path: str


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: all or nothing."""
    staged = _write_temp(path, data, flush=True)
    try:
        os.replace(staged.temp, path)
    except OSError as exc:
        Path(staged.temp).unlink(missing_ok=True)
        raise PlancError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    except BaseException:
        Path(staged.temp).unlink(missing_ok=True)
        raise


def stage_atomic(path: Path, data: str | bytes) -> Staged:
    """Write ``data`` beside ``path`` under a temporary name; ``commit_atomic`` puts it in place.

    Not flushed to disk yet where one flush can cover many files (Linux); elsewhere it is.
    """
    return _write_temp(path, data, flush=sys.platform != "linux")


def commit_atomic(staged: Sequence[Staged]) -> list[os.stat_result | PlancError]:
    """Flush the staged files to disk, then replace each target with its file.

    One flush per file system, before any rename: after a crash each target holds its old
    bytes or its new ones, whole. For each file, its status once in place (what the build
    manifest records) or why it could not be written; a file not put in place is removed.
    """
    results: list[os.stat_result | PlancError] = []
    failed = _flush([item.temp for item in staged])
    for item in staged:
        try:
            if failed:
                raise failed
            os.replace(item.temp, item.path)
            results.append(os.lstat(item.path))
        except OSError as exc:
            Path(item.temp).unlink(missing_ok=True)
            results.append(PlancError(f"cannot write: {exc.strerror or exc}", item.path))
    return results


def _write_temp(path: Path, data: str | bytes, flush: bool) -> Staged:
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
            if flush:
                handle.flush()
                os.fsync(handle.fileno())
        # mkstemp makes 0600, not what we want; os.chmod by name, as os.fchmod is missing on
        # Windows before Python 3.13 (where only the read-only bit is honoured anyway).
        os.chmod(tmp, _mode_for(path))
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise PlancError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Staged(tmp, str(path))


def _flush(temps: Sequence[str]) -> OSError | None:
    """Flush ``temps`` to disk: one ``syncfs`` for each file system they are on (Linux), else
    an ``fsync`` of each (``stage_atomic`` already did it where there is no ``syncfs``)."""
    if sys.platform != "linux" or not temps:
        return None
    syncfs = _syncfs()
    try:
        if syncfs is None:
            for temp in temps:
                fd = os.open(temp, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            return None
        folders = {os.path.dirname(temp) or "." for temp in temps}
        devices = {os.stat(folder).st_dev: folder for folder in folders}
        for folder in devices.values():
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                syncfs(fd)
            finally:
                os.close(fd)
    except OSError as exc:
        return exc
    return None


_SYNCFS: list[Callable[[int], None] | None] = []  # looked up once


def _syncfs() -> Callable[[int], None] | None:
    """``syncfs(2)`` from the C library (Python has no binding), or None if it is missing."""
    if not _SYNCFS:
        import ctypes

        try:
            function = ctypes.CDLL(None, use_errno=True).syncfs
        except (AttributeError, OSError):
            _SYNCFS.append(None)
            return None
        function.argtypes = [ctypes.c_int]

        def syncfs(fd: int) -> None:
            if function(fd) != 0:
                error = ctypes.get_errno()
                raise OSError(error, os.strerror(error))

        _SYNCFS.append(syncfs)
    return _SYNCFS[0]


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
