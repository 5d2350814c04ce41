"""Writing output files whole or not at all, and never through something that is not a file.

:func:`write_atomically` writes to a temporary file in the target's directory and renames it
over the target: the target holds the whole output or is left as it was. What is at the target
decides what happens, and nothing is replaced silently:

* nothing: a new file with the usual mode (``0666`` less the umask);
* a regular file with one name: replaced, **keeping its mode** (a ``0600`` file stays ``0600``)
  and, where the process may, its owner and group;
* a symbolic link (even to a regular file): **refused** — the rename would replace the link, not
  the file it points to; name the file itself, or remove the link;
* a regular file with more than one hard link: **refused** — the rename would give this name a
  new file and leave the other names with the old content;
* a FIFO, socket, device or directory: **refused** (write to standard output instead: ``-o -``).

The empty name is refused; ``-`` means standard output to the command line, never a file (the
CLI handles it before calling this).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from emulation_rules.errors import OutputError


def _existing_mode(target: Path) -> os.stat_result | None:
    """The target's own status (not following a link), or None; refuses what is not a plain,
    singly-linked regular file."""
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"{target}: cannot write there ({exc.strerror})") from None
    if stat.S_ISLNK(st.st_mode):
        try:
            points_to = os.readlink(target)
        except OSError:
            points_to = "?"
        raise OutputError(
            f"{target}: is a symbolic link (to {points_to}); it is not replaced: name the file "
            "itself, or remove the link first"
        )
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{target}: is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(
            f"{target}: is not a regular file (a FIFO, socket or device); it is not written "
            "to: use -o - for standard output, or name a regular file"
        )
    if st.st_nlink > 1:
        raise OutputError(
            f"{target}: has {st.st_nlink} hard links; replacing it would leave the other names "
            "with the old content: write to another name, or remove the other links first"
        )
    return st


def write_atomically(path: str | Path, text: str | bytes | Callable[[BinaryIO], None]) -> None:
    """Write ``text`` (or bytes, or what a writer function writes to the binary file it is
    given, as a streaming writer does) to ``path`` through a temporary file and a rename: whole
    or not at all (see the module's docstring for what an existing target gets)."""
    if str(path) == "":
        raise OutputError("an empty output file name: name a file, or - for standard output")
    target = Path(path)
    existing = _existing_mode(target)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write there ({exc.strerror})") from None
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as raw:
                raw.write(text)
        elif callable(text):
            with os.fdopen(fd, "wb", buffering=1 << 20) as raw:
                text(raw)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        if existing is not None:
            mode = stat.S_IMODE(existing.st_mode)
            with contextlib.suppress(OSError):  # only the owner or root may give a file away
                if (existing.st_uid, existing.st_gid) != (os.getuid(), os.getgid()):
                    os.chown(tmp, existing.st_uid, existing.st_gid)
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask  # mkstemp creates 0600; give a new file the usual mode
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{target}: cannot write ({exc.strerror})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
