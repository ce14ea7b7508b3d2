"""Files the linter writes (--output, --write-baseline) and reads on the user's say (--baseline).

In CI the working directory is a checkout a pull request controls, so a path given on the
command line may be a committed symlink (to an executable, to ~/.bashrc) or a FIFO or device.

- `write_text` refuses a path that is a symlink or anything but a regular file, writes a
  temporary file in the same directory and renames it over the path (`os.replace`): a reader
  never sees half a report, and a symlink swapped in after the check is replaced, not followed.
- `read_text` reads a regular file only, opened with O_NOFOLLOW and O_NONBLOCK (a FIFO cannot
  hang it), up to a size cap (`/dev/zero` cannot exhaust memory).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile


class UnsafePath(OSError):
    """A path the linter refuses to write or read; the message says why (never file contents)."""


def _refuse_special(path: str, verb: str) -> os.stat_result | None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        raise UnsafePath(f"it is a symbolic link, which the linter does not {verb} through (give the real path)")
    if not stat.S_ISREG(info.st_mode):
        raise UnsafePath(f"it is not a regular file (a device, FIFO, socket or directory); refusing to {verb} it")
    return info


def write_text(path: str, text: str) -> None:
    """Write `text` to `path` atomically; UnsafePath for a symlink or non-regular file, OSError otherwise."""
    existing = _refuse_special(path, "write")
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        if existing is not None:
            os.chmod(temporary, stat.S_IMODE(existing.st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def read_text(path: str, limit: int) -> str:
    """The text of the regular file `path` (UTF-8), at most `limit` bytes; UnsafePath otherwise."""
    _refuse_special(path, "read")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise UnsafePath("it is not a regular file; refusing to read it")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnsafePath(f"it is larger than {limit // (1 << 20)} MiB, the most the linter reads")
    return data.decode("utf-8")
