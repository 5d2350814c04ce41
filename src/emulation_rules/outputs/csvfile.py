"""The result's CSV written from its arrays, a chunk of rows at a time.

The same text as the reference writer of :mod:`.results` (``csv.writer`` over
:func:`~.results.csv_rows`, every cell through :func:`~.cells.spreadsheet_text`), which a test
compares it with on every shipped sample and on synthetic campaigns: a header, one row per
candidate (its verdict on every criterion, eligibility, and per award its place and rank), then
in report mode one row per refused candidate.

How: verdict, eligibility and status words and ranks never need quoting or escaping, so they
are looked up from the code arrays by Polars; the candidates' own fields (id, name, unit type,
unit) are written as they are unless a cell needs the spreadsheet escape or CSV quoting, in
which case that cell (only) is written by the reference. Polars writes the rows
(``write_csv`` with every cell already final), :data:`CHUNK` rows at a time, so memory holds
one chunk whatever the number of candidates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO

import numpy as np

from emulation_rules.engine.columnar import ELIGIBILITY, OTHER_KIND, VERDICTS
from emulation_rules.evaluation.result import Result
from emulation_rules.outputs.cells import spreadsheet_text
from emulation_rules.outputs.common import allocation_status

#: the byte-order mark put before a CSV meant for a spreadsheet
BOM = "\ufeff"
#: rows written at a time
CHUNK = 65536
#: a cell with one of these, or starting with what a spreadsheet runs, is written by the reference
_SPECIAL = r"""^[=+\-@\t\r']|[,"\r\n]"""


def csv_header(result: Result) -> list[str]:
    criteria = [c.id for c in result.plan.criteria]
    awards = [a.id for a in result.plan.awards]
    head = (
        ["id", "name", "kind", "unit_type", "unit_id"]
        + criteria
        + list(awards)
        + [f"{a}.allocation" for a in awards]
        + [f"{a}.rank" for a in awards]
    )
    if report_mode(result):
        head.append("rejected")
    return head


def report_mode(result: Result) -> bool:
    """Whether the result lists refused candidates (``on_invalid="report"``)."""
    return result.validated is not None and result.validated.on_invalid == "report"


def rejected_rows(result: Result) -> Iterator[list[str]]:
    """The CSV's rows of the refused candidates (report mode): id, name, empty cells, then
    their problems in the last column."""
    width = 5 + len(result.plan.criteria) + 3 * len(result.plan.awards)
    for r in result.rejected:
        problems = "; ".join(
            f"{p.field}: {p.rule}" + (f" (got {p.value})" if p.value is not None else "")
            for p in r.problems
        )
        yield [r.id or "", r.name or ""] + [""] * (width - 2) + [problems]


def reference_cell(value: str) -> str:
    """One cell as ``csv.writer`` writes it after :func:`spreadsheet_text`."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([spreadsheet_text(value)])
    return out.getvalue()


def text_cells(values: Sequence[str | None]) -> Any:
    """The cells of a text column (None is empty) as a Polars column, final: as they are,
    unless escaping or quoting is needed, then as the reference writes them."""
    import polars as pl

    s = pl.Series(values, dtype=pl.String).fill_null("")
    special = s.str.contains(_SPECIAL)
    if special.any():
        rows = special.arg_true().to_list()
        s = s.scatter(rows, pl.Series([reference_cell(s[i]) for i in rows], dtype=pl.String))
    return s


def _words(codes: Any, words: Sequence[str]) -> Any:
    """Word per code (empty for other-kind rows) as a Polars column."""
    import polars as pl

    lookup = np.asarray(["", *words], dtype=object)
    return pl.Series(lookup[np.asarray(codes, dtype=np.int64) - OTHER_KIND], dtype=pl.String)


def write_csv(result: Result, stream: BinaryIO, *, bom: bool = False) -> None:
    """Write the result's CSV (UTF-8; a byte-order mark first when ``bom``) to ``stream``."""
    import polars as pl

    head = io.StringIO()
    if bom:
        head.write(BOM)
    csv.writer(head, lineterminator="\n").writerow(csv_header(result))
    stream.write(head.getvalue().encode("utf-8"))
    n = len(result.table)
    awards = [a.id for a in result.plan.awards]
    report = report_mode(result)
    if n:
        assert result.validated is not None
        rec = result.validated.records
        status = {a: np.full(n, "", dtype=object) for a in awards}
        rank = {a: np.full(n, "", dtype=object) for a in awards}
        rows = result.rows
        for (award, cid), place in allocation_status(result).items():
            i = rows[cid]
            status[award][i] = place.status
            rank[award][i] = str(place.rank) if place.rank is not None else ""
        own = {
            "id": text_cells(list(rec.ids)),
            "name": text_cells(list(rec.names)),
            "kind": text_cells(list(rec.kinds)),
            "unit_type": text_cells(list(rec.unit_types)),
            "unit_id": text_cells(list(rec.unit_ids)),
        }
        for start in range(0, n, CHUNK):
            stop = min(n, start + CHUNK)
            cols: dict[str, Any] = {k: v.slice(start, stop - start) for k, v in own.items()}
            for k in range(len(result.plan.criteria)):
                cols[f"c{k}"] = _words(result.verdicts.criteria[k][start:stop], VERDICTS)
            for j in range(len(awards)):
                cols[f"a{j}"] = _words(result.verdicts.awards[j][start:stop], ELIGIBILITY)
            for j, a in enumerate(awards):
                cols[f"s{j}"] = pl.Series(status[a][start:stop], dtype=pl.String)
            for j, a in enumerate(awards):
                cols[f"r{j}"] = pl.Series(rank[a][start:stop], dtype=pl.String)
            if report:
                cols["rejected"] = pl.repeat("", stop - start, dtype=pl.String, eager=True)
            pl.DataFrame(cols).write_csv(
                stream, include_header=False, quote_style="never", line_terminator="\n"
            )
    if report:
        tail = io.StringIO()
        writer = csv.writer(tail, lineterminator="\n")
        for row in rejected_rows(result):
            writer.writerow([spreadsheet_text(cell) for cell in row])
        stream.write(tail.getvalue().encode("utf-8"))
