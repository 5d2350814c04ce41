"""Text for a terminal that shows what the data says, and nothing else.

Names, ids and unit ids come from the input; a terminal would run what they carry. So every value
shown is passed through :func:`safe`, which writes control characters as escapes instead of
passing them through: C0 controls (ESC starts colour codes, OSC 8 hyperlinks and window titles;
a newline or carriage return would forge a line), DEL, C1 controls (U+0080–U+009F, which some
terminals read as ESC + a letter) and the bidirectional overrides and isolates (U+202A–U+202E,
U+2066–U+2069, which reorder what is shown). ``\\x1b``, ``\\x9b``, ``\\u202e``: an escape is
visible and copyable, and the rest of the value is untouched.

Tables are drawn by Rich with markup, emoji shortcodes and highlighting off: ``so-:smile:`` stays
``so-:smile:`` (an id copied from a table is the id), a ``[bold]`` in a name is text, and no
regular expression runs over a value (Rich's highlighter is quadratic on a long word: a name of
100,000 characters took most of a minute). :class:`Report` collects lines and tables; its text
gets a last pass that escapes any control character but the newlines it put there itself.
"""

from __future__ import annotations

import io
import re
from typing import Final

from rich.console import Console
from rich.table import Table

#: what :func:`safe` escapes: C0 (all), DEL, C1, bidi overrides and isolates
_CONTROL: Final = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: the same, but newlines (the report's own line ends) are kept
_CONTROL_BUT_NEWLINE: Final = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

#: width of the plain console the tables are drawn for
WIDTH: Final = 120


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: object) -> str:
    """``text`` with every control character written as an escape (``\\x1b``, ``\\u202e``)."""
    value = str(text)
    return _CONTROL.sub(_escape, value) if _CONTROL.search(value) else value


def safe_lines(text: str) -> str:
    """Like :func:`safe`, but newlines are kept (for a whole report)."""
    return _CONTROL_BUT_NEWLINE.sub(_escape, text) if _CONTROL_BUT_NEWLINE.search(text) else text


def plain_console(buffer: io.StringIO) -> Console:
    """A console that prints text as given: no colour, markup, emoji or highlighting."""
    return Console(
        file=buffer,
        width=WIDTH,
        color_system=None,
        force_terminal=False,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=True,
    )


class Report:
    """Lines and tables of a terminal report; :meth:`text` is the whole, made safe."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def line(self, text: str = "") -> None:
        """One line (the caller has made its values safe with :func:`safe`)."""
        self._parts.append(text + "\n")

    def table(self, table: Table) -> None:
        buffer = io.StringIO()
        plain_console(buffer).print(table)
        self._parts.append(buffer.getvalue())

    def text(self) -> str:
        return safe_lines("".join(self._parts))
