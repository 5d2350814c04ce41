"""XLSX candidate files (the campaign's own form, or any sheet laid out like it), read with
python-calamine (a Rust reader: typed cells, no formula is evaluated; a formula cell gives the
value the spreadsheet last saved). A formula cell with no saved value — written by a program,
never opened in a spreadsheet — is refused by its cell rather than read as empty: calamine
cannot tell it from a blank, so the workbook's XML is searched for such cells.

Every sheet with data is read, except the form's instructions and lists (``Hướng dẫn``,
``Danh mục``). Its first row is the header (:mod:`.headers`: field or fact ids, or the
Vietnamese headers the form writes); collectives and individuals may share one sheet (with a
``kind`` column) or sit on two, a sheet named ``Tập thể`` or ``Cá nhân`` giving the kind of its
rows. Cells keep their types (a number is a number); a text cell is parsed by the input's
locale (``99,95``, ``Có``). Every problem names its cell, e.g. ``form.xlsx: Tập thể!D7``.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from typing import Any

from emulation_rules.errors import InputError, Problem
from emulation_rules.inputs.columns import RawInput
from emulation_rules.inputs.headers import Target, map_header, missing_required
from emulation_rules.inputs.locale import Locale, fold
from emulation_rules.inputs.tables import single_kind

#: sheets of the form that hold no candidates
SKIPPED_SHEETS = ("huong dan", "danh muc", "instructions", "lists")
_SHEET_KINDS = {
    "tap the": "collective",
    "collective": "collective",
    "collectives": "collective",
    "ca nhan": "individual",
    "individual": "individual",
    "individuals": "individual",
}


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _cell(value: Any) -> Any:
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dt.timedelta | dt.time):
        return str(value)
    return value


_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_RELATION = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_SAVED = re.compile(rb"<(?:\w+:)?v>[^<]")


def _attributes(text: bytes) -> dict[str, str]:
    return {
        k.decode().rpartition(":")[2] if k != b"r:id" else "rid": html.unescape(v.decode())
        for k, v in _ATTRIBUTE.findall(text)
    }


def unsaved_formulas(data: bytes) -> dict[str, list[str]]:
    """Sheet name -> the references of its formula cells that hold no saved value (the workbook's
    XML read as text: only the sheet list, its relations, and the sheets that hold a formula)."""
    out: dict[str, list[str]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            targets = {
                a.get("Id", ""): a.get("Target", "")
                for a in map(_attributes, _RELATION.findall(zf.read("xl/_rels/workbook.xml.rels")))
            }
            for sheet in map(_attributes, _SHEET.findall(zf.read("xl/workbook.xml"))):
                target = targets.get(sheet.get("rid", ""), "")
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                if path not in names:
                    continue
                xml = zf.read(path)
                if not _FORMULA.search(xml):
                    continue
                refs = [
                    _attributes(attrs).get("r", "?")
                    for attrs, body in _CELL.findall(xml)
                    if body and _FORMULA.search(body) and not _SAVED.search(body)
                ]
                if refs:
                    out[sheet.get("name", "")] = refs
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return {}  # not laid out as expected: calamine's own reading says what is wrong
    return out


def read_xlsx(campaign: Any, data: bytes, label: str, locale: Locale) -> RawInput:
    """Candidates of every data sheet of an XLSX workbook, as typed columns."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for a broken file
        raise InputError(f"{label}: not a readable XLSX workbook ({str(exc)[:120]})") from None
    problems: list[Problem] = []
    formulas = unsaved_formulas(data)
    base: dict[str, list[Any]] = {}
    facts: dict[str, list[Any]] = {}
    provenance: dict[str, dict[str, list[Any]]] = {}
    attributes: dict[str, list[Any]] = {}
    series: dict[str, dict[str, list[Any]]] = {}
    places: list[tuple[str, int]] = []  # (sheet, spreadsheet row) of each candidate
    letters: list[dict[str, str]] = []  # per sheet: column key -> letter
    sheet_of_row: list[int] = []
    n = 0
    for sheet_name in book.sheet_names:
        if fold(sheet_name) in SKIPPED_SHEETS:
            continue
        rows = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        if not rows or not any(str(c).strip() for r in rows for c in r):
            continue
        header = [str(c) if c is not None else "" for c in rows[0]]
        targets, found = map_header(campaign, header)
        sheet_kind = _SHEET_KINDS.get(fold(sheet_name)) or single_kind(campaign)
        has_kind = any(t is not None and t.key == "kind" and t.section == "base" for t in targets)
        missing = missing_required(targets, kind_given=sheet_kind is not None)
        if missing:
            found.append(
                f"missing column(s) {', '.join(missing)}"
                + (
                    " (or name the sheet 'Tập thể' or 'Cá nhân' to give the kind of its rows)"
                    if "kind" in missing
                    else ""
                )
            )
        problems.extend(Problem(f"{label}: {sheet_name}!1 (header)", "", p) for p in found)
        problems.extend(
            Problem(
                f"{label}: {sheet_name}!{ref}",
                "",
                "a formula with no saved value (the file was written by a program and never "
                "saved by a spreadsheet): type the value, or open and save the file in a "
                "spreadsheet",
                cell=f"{sheet_name}!{ref}",
            )
            for ref in formulas.get(sheet_name, ())
        )
        if found:
            continue
        keys = {t.column_key: column_letter(k) for k, t in enumerate(targets) if t is not None}
        sheet_index = len(letters)
        letters.append(keys)
        data_rows = [
            (number, r)
            for number, r in enumerate(rows[1:], start=2)
            if any(c != "" and (type(c) is not str or c.strip()) for c in r)
        ]
        m = len(data_rows)
        for k, target in enumerate(targets):
            if target is None:
                if any(k < len(r) and str(r[k]).strip() for _, r in data_rows):
                    problems.append(
                        Problem(
                            f"{label}: {sheet_name}!{column_letter(k)}1 (header)",
                            "",
                            "a column with values has no header",
                        )
                    )
                continue
            if target.section in ("fact", "series"):  # the parsers read '' as empty, 3.0 as 3
                values = [r[k] if k < len(r) else None for _, r in data_rows]
            else:
                values = [_cell(r[k]) if k < len(r) else None for _, r in data_rows]
            _column(base, facts, provenance, attributes, series, target, n)[n:] = values
        if sheet_kind is not None and not has_kind:
            _column(base, facts, provenance, attributes, series, Target("base", "kind"), n)[n:] = [
                sheet_kind
            ] * m
        for store in (base, facts, attributes):
            for col in store.values():
                col.extend([None] * (n + m - len(col)))
        for nested in (provenance, series):
            for cols in nested.values():
                for col in cols.values():
                    col.extend([None] * (n + m - len(col)))
        places.extend((sheet_name, number) for number, _ in data_rows)
        sheet_of_row.extend([sheet_index] * m)
        n += m
    if problems:
        raise InputError(problems)
    if n == 0:
        raise InputError(f"{label}: no candidate rows in any sheet")

    def labels(i: int) -> str:
        sheet, row = places[i]
        return f"{label}: {sheet}, row {row}"

    def cell(i: int, key: str) -> str | None:
        sheet, row = places[i]
        letter = letters[sheet_of_row[i]].get(key)
        return f"{sheet}!{letter}{row}" if letter else f"{sheet}, row {row}"

    return RawInput(
        origin=label,
        n=n,
        base=dict(base),
        facts=dict(facts),
        provenance={k: dict(v) for k, v in provenance.items()},
        series={k: {int(y): col for y, col in v.items()} for k, v in series.items()},
        attributes=dict(attributes),
        locale=locale,
        spreadsheet=True,
        labels=labels,
        cell=cell,
    )


def _column(
    base: dict[str, list[Any]],
    facts: dict[str, list[Any]],
    provenance: dict[str, dict[str, list[Any]]],
    attributes: dict[str, list[Any]],
    series: dict[str, dict[str, list[Any]]],
    target: Target,
    n: int,
) -> list[Any]:
    if target.section == "series":
        store = series.setdefault(target.key, {})
        key = target.attr or ""
    elif target.section == "base":
        store = base
        key = target.key
    elif target.section == "fact":
        store = facts
        key = target.key
    elif target.section == "attribute":
        store = attributes
        key = target.key
    else:
        store = provenance.setdefault(target.key, {})
        key = target.attr or ""
    if key not in store:
        store[key] = [None] * n
    return store[key]
