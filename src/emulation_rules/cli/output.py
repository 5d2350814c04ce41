"""Where a command's output goes (``-o``/``--output``) and in which language (``--lang``).

* no ``-o``, or ``-o -``: standard output (``-`` is never a file name); a binary document (XLSX,
  DOCX) is not written to a terminal — name a file, or redirect standard output;
* ``-o ''``: an error (an empty name is not standard output);
* ``-o FILE``: written whole or not at all by
  :func:`~emulation_rules.outputs.files.write_atomically`, which refuses symbolic links, FIFOs,
  devices and files with several hard links, and keeps an existing file's mode.

``--lang vi|en`` (default ``vi``, or the ``EMULATION_RULES_LANG`` environment variable) is the
language of everything a person reads; JSON, CSV headers and status words stay English.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any, BinaryIO, TypeVar

import click

from emulation_rules.cli.common import fail
from emulation_rules.messages import DEFAULT_LANGUAGE, LANGUAGES
from emulation_rules.outputs.files import write_atomically

F = TypeVar("F")

LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(list(LANGUAGES)),
    default=DEFAULT_LANGUAGE,
    show_default=True,
    envvar="EMULATION_RULES_LANG",
    help="language of what people read (tables, explanations, documents); JSON stays English",
)

OUTPUT_OPTION = click.option(
    "--output",
    "-o",
    metavar="FILE",
    help="write here (whole or not at all), not to standard output; - is standard output",
)


def to_stdout(output: str | None) -> bool:
    """Whether ``-o`` means standard output (absent or ``-``); an empty name is an error."""
    if output is None or output == "-":
        return True
    if not output.strip():
        fail("--output: an empty file name (name a file, or - for standard output)")
    return False


def emit(
    output: str | None,
    data: str | bytes | Callable[[BinaryIO], None],
    *,
    what: str = "the output",
) -> None:
    """Write ``data`` to ``-o`` FILE, or to standard output; ``data`` may be a writer function
    that streams UTF-8 text to the binary file it is given."""
    if not to_stdout(output):
        assert output is not None
        write_atomically(output, data)
        return
    if callable(data):
        sys.stdout.flush()
        try:
            data(sys.stdout.buffer)
            sys.stdout.buffer.flush()
        except OSError as exc:  # the reader went away (`| head`): stop quietly, like cat
            if not (isinstance(exc, BrokenPipeError) or "Broken pipe" in str(exc)):
                raise
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(1)
        return
    if isinstance(data, bytes):
        stream = sys.stdout
        if stream.isatty():
            fail(
                f"{what} is a binary file: name it with -o FILE (or redirect standard output "
                "to a file)"
            )
        stream.flush()
        stream.buffer.write(data)
        stream.buffer.flush()
        return
    click.echo(data, nl=False)


def versions() -> dict[str, str]:
    """The versions a document names: the library's, and the campaign's plugin's."""
    out: dict[str, str] = {}
    try:
        out["emulation-rules"] = version("emulation-rules")
    except PackageNotFoundError:  # pragma: no cover - a source tree without metadata
        out["emulation-rules"] = "unknown"
    ctx = click.get_current_context(silent=True)
    entry: Any = ctx.meta.get("emulation_rules.entry") if ctx is not None else None
    if entry is not None and entry.plugin_version:
        out[entry.plugin] = str(entry.plugin_version)
    return out


def suffix_format(output: str | None, formats: dict[str, str]) -> str | None:
    """The format a file name's suffix asks for (``result.xlsx`` -> ``xlsx``), if any."""
    if output is None or output == "-":
        return None
    lower = output.lower()
    for suffix, fmt in formats.items():
        if lower.endswith(suffix):
            return fmt
    return None
