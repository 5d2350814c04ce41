"""CSV and Parquet candidate files, read by polars into columns (no object per row).

CSV: UTF-8 (a byte-order mark is dropped), one header row, one candidate per row; cells are
text, parsed by the input's locale (:mod:`.locale`); a yearly series is one column per year
(:mod:`.headers`). Blank rows are skipped; a row with more or
fewer cells than the header is refused by its number (``row 1`` is the header). Parquet: one
candidate per row, columns named as in CSV; typed columns are read as typed values, string
columns as text cells.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import numpy as np
import polars as pl

from emulation_rules.errors import InputError, Problem
from emulation_rules.inputs.columns import Column, RawInput
from emulation_rules.inputs.headers import Target, map_header, missing_required
from emulation_rules.inputs.locale import Locale
from emulation_rules.plan.campaign import Campaign


def read_csv(campaign: Campaign, text: str, data: bytes, label: str, locale: Locale) -> RawInput:
    """Candidates of a CSV file (``text`` decoded, ``data`` the same bytes without a BOM)."""
    sep = _separator(text)
    header = _header(text, label, sep)
    targets, only_kind = _columns(campaign, header, label, "row 1 (header)")
    names = [f"c{i}" for i in range(len(header))]
    if data.count(b'"') % 2:  # a quote left open: the csv module names the line
        raise InputError(_diagnose(text, label, len(header), sep))
    ragged = _ragged_rows(data, len(header), sep)
    if ragged:
        raise InputError(
            [
                _whole(label, f"row {row}", f"{cells} cells for {len(header)} columns")
                for row, cells in ragged[:100]
            ]
        )
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            has_header=True,
            separator=sep,
            new_columns=names,
            infer_schema=False,
            empty_string_is_null=False,
            raise_if_empty=False,
            truncate_ragged_lines=False,
        )
    except pl.exceptions.PolarsError:
        raise InputError(_diagnose(text, label, len(header), sep)) from None
    if frame.width != len(header):
        raise InputError(_diagnose(text, label, len(header), sep))
    blank_text = (
        frame.select(pl.all_horizontal(pl.all().str.strip_chars() == "")).to_series().to_numpy()
    )
    keep = np.flatnonzero(~blank_text)
    if not len(keep):
        raise InputError(f"{label}: no candidate rows under the header")
    if len(keep) != frame.height:
        frame = frame[keep.tolist()]
    raw = _raw(campaign, frame, targets, names, label, keep, locale, header_rows=1)
    if "kind" not in raw.base and only_kind is not None:
        raw.base["kind"] = [only_kind] * raw.n
    return raw


def read_parquet(campaign: Campaign, data: bytes, label: str, locale: Locale) -> RawInput:
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(f"{label}: not a readable Parquet file ({str(exc)[:120]})") from None
    header = frame.columns
    targets, only_kind = _columns(campaign, header, label, "columns")
    if frame.height == 0:
        raise InputError(f"{label}: no candidate rows")
    names = [f"c{i}" for i in range(len(header))]
    frame.columns = names
    keep = np.arange(frame.height)
    raw = _raw(campaign, frame, targets, names, label, keep, locale, header_rows=0)
    if "kind" not in raw.base and only_kind is not None:
        raw.base["kind"] = [only_kind] * raw.n
    return raw


def _raw(
    campaign: Campaign,
    frame: pl.DataFrame,
    targets: Sequence[Target | None],
    names: list[str],
    label: str,
    keep: np.ndarray,
    locale: Locale,
    *,
    header_rows: int,
) -> RawInput:
    base: dict[str, Column] = {}
    facts: dict[str, Column] = {}
    provenance: dict[str, dict[str, Column]] = {}
    attributes: dict[str, Column] = {}
    series: dict[str, dict[int, Column]] = {}
    for target, name in zip(targets, names, strict=True):
        if target is None:
            continue
        col = frame.get_column(name)
        if target.section == "base":
            base[target.key] = col
        elif target.section == "fact":
            facts[target.key] = col
        elif target.section == "attribute":
            attributes[target.key] = col
        elif target.section == "series":
            series.setdefault(target.key, {})[int(target.attr or 0)] = col
        else:
            provenance.setdefault(target.key, {})[target.attr or ""] = col
    file_rows = (keep + 1 + header_rows).tolist()

    def labels(i: int) -> str:
        return f"{label}: row {file_rows[i]}"

    del campaign
    return RawInput(
        origin=label,
        n=frame.height,
        base=base,
        facts=facts,
        provenance=provenance,
        series=series,
        attributes=attributes,
        locale=locale,
        spreadsheet=True,
        labels=labels,
    )


def _columns(
    campaign: Campaign, header: list[str], label: str, where: str
) -> tuple[list[Target | None], str | None]:
    """What each column of ``header`` holds, and the one kind of candidate the campaign has
    (None when it has both, so a kind column is needed); every header problem at once."""
    targets, problems = map_header(campaign, header)
    only_kind = single_kind(campaign)
    missing = missing_required(targets, kind_given=only_kind is not None)
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if problems:
        raise InputError([_whole(label, where, p) for p in problems])
    return targets, only_kind


def _separator(text: str) -> str:
    """The separator the header line uses most: ``,``, ``;`` (what a spreadsheet set to a
    decimal comma writes) or a tab; a comma on a tie."""
    line = text.split("\n", 1)[0]
    counts = {sep: line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts.values())
    return next(sep for sep, c in counts.items() if c == best) if best else ","


def single_kind(campaign: Campaign) -> str | None:
    """The one kind of candidate a campaign judges, if it judges only one (then a table may
    leave out the kind column)."""
    kinds = {c.kind for c in campaign.criteria} | {a.kind for a in campaign.awards}
    return next(iter(kinds)) if len(kinds) == 1 else None


def _ragged_rows(data: bytes, width: int, sep: str = ",") -> list[tuple[int, int]]:
    """(row, cells) of every non-blank row whose cell count differs from the header's.

    Counted with numpy over the positions of separators and line breaks: one inside quotes
    belongs to the cell (a doubled quote toggles the quote state twice, so it stays inside)."""
    b = np.frombuffer(data, dtype=np.uint8)
    seps = np.flatnonzero(b == ord(sep))
    breaks = np.flatnonzero(b == 10)
    quotes = np.flatnonzero(b == 34)
    if len(quotes):
        seps = seps[np.searchsorted(quotes, seps) % 2 == 0]
        breaks = breaks[np.searchsorted(quotes, breaks) % 2 == 0]
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(b)]))
    cells = np.searchsorted(seps, ends) - np.searchsorted(seps, starts) + 1
    out = []
    for k in np.flatnonzero(cells != width).tolist():
        line = data[int(starts[k]) : int(ends[k])]
        if line.translate(None, b'" \t\r' + sep.encode()):  # not a blank row
            out.append((k + 1, int(cells[k])))
    return out


def _header(text: str, label: str, sep: str) -> list[str]:
    try:
        first = next(csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True), None)
    except csv.Error as exc:
        raise InputError(f"{label}: malformed CSV at line 1: {exc}") from None
    if not first or not any(h.strip() for h in first):
        raise InputError(f"{label}: row 1 (header): the header row is empty")
    return [h.strip() for h in first]


def _diagnose(text: str, label: str, width: int, sep: str) -> str:
    """The exact row of a CSV file polars could not read (the slow path, errors only)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    try:
        for number, row in enumerate(reader, start=1):
            if row and any(c.strip() for c in row) and len(row) != width:
                return f"{label}: row {number}: {len(row)} cells for {width} columns"
    except csv.Error as exc:
        return f"{label}: malformed CSV at line {reader.line_num}: {exc}"
    return f"{label}: malformed CSV"


def _whole(label: str, where: str, rule: str) -> Problem:
    return Problem(f"{label}: {where}", "", rule)
