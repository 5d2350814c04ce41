"""Cells a spreadsheet shows as text and never runs.

A CSV cell (or a workbook cell) that starts with ``=``, ``+``, ``-`` or ``@`` is read by Excel,
LibreOffice and Google Sheets as a formula; one starting with a tab or a carriage return is
trimmed and then read the same way. An id such as ``=HYPERLINK("http://…")`` or ``-2+3`` written
as is would run in the office's spreadsheet (formula injection).

:func:`spreadsheet_text` writes such a cell with a leading apostrophe (``'=HYPERLINK(…)``), the
mark spreadsheets themselves use for "this is text"; a cell that already starts with an
apostrophe gets one more, so the rule reverses exactly: **a cell that starts with ``'`` had one
``'`` put in front of it; remove that one to get the value.** Every other cell is written as it
is. In the XLSX workbook cells are typed text (never formulas) and the same cells carry Excel's
quote prefix (a style, not a character: the value is the id itself).
"""

from __future__ import annotations

from typing import Final

#: first characters a spreadsheet would read as the start of a formula (or trim, then read)
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` (or a trimmed ``text``) as a formula."""
    return text[:1] in FORMULA_STARTS


def spreadsheet_text(value: object) -> str:
    """A CSV cell's text, escaped with a leading ``'`` where a spreadsheet would run it."""
    text = "" if value is None else str(value)
    if text[:1] in FORMULA_STARTS or text[:1] == "'":
        return "'" + text
    return text


def unescape(text: str) -> str:
    """The value of a cell written by :func:`spreadsheet_text`."""
    return text[1:] if text[:1] == "'" else text
