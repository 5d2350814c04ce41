"""The result workbook (XLSX): what an emulation office keeps in Excel.

Sheets, in order (headers in the reader's language, Vietnamese by default):

* ``Thông tin`` (*About*): the campaign, as_of, engine, rules fingerprint, versions, and every
  parameter with its value;
* one sheet per award, named by the award's id: its allocation, one row per listed candidate
  (group, rank, id, name, status in words, the status word of the JSON, the ranking values, and
  why a seat is provisional, tied or possible) — firm seats, provisional seats, the tied for the
  council, the possible, the reserve, the unranked, the undetermined, the pending, in that order;
* ``Ứng viên`` (*Candidates*): one row per candidate, its eligibility, place and rank per award;
* ``Tiêu chí`` (*Criteria*): one row per candidate and criterion: the verdict, the values
  observed (series year by year, member and distinct counts in words, dates as the language
  writes them), what the plan requires, the explanation (why, where the values alone do not
  say it) and the citation's id;
* ``Căn cứ`` (*Citations*): every criterion's citation, once (document, date, issuer, the web
  address it was read at, clause, quote, interpretation flag and note);
* ``Bị từ chối`` (*Refused*), in report mode only: every refused candidate and its problems.

Every sheet has a frozen header row, column widths and a filter; text cells are typed text and
never formulas (a text that a spreadsheet would run gets Excel's quote prefix, :mod:`.cells`);
the workbook is built whole in memory and returned as bytes (written whole or not at all by
:func:`~.files.write_atomically`), with the same bytes for the same result.

The rows of each sheet come from a generator over the result (``*_rows``), so that a writer
streaming from arrays can replace one sheet's source without touching the rest. openpyxl's
write-only mode keeps memory flat in the number of rows. A sheet holds at most 1,048,576 rows
(Excel's limit): a result beyond it is refused with an :class:`~emulation_rules.errors.OutputError`
that says to use CSV or JSON.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from emulation_rules.archive import fixed_zip
from emulation_rules.engine.columnar import OTHER_KIND
from emulation_rules.errors import OutputError
from emulation_rules.evaluation.result import Result
from emulation_rules.messages import Messages, messages
from emulation_rules.outputs.cells import looks_like_formula
from emulation_rules.outputs.common import (
    allocation_status,
    citation_words,
    eligibility_word,
    explanation_words,
    fact_label,
    group_label,
    kind_word,
    observed_words,
    seat_sentence,
    status_word,
    verdict_word,
)

#: Excel's largest sheet, in rows (the header included)
MAX_ROWS: Final = 1_048_576
_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")

Row = Sequence[Any]


class _Sheet:
    """A write-only sheet with a styled, frozen, filtered header row."""

    def __init__(
        self, wb: Workbook, title: str, header: Sequence[str], widths: Sequence[float]
    ) -> None:
        created = wb.create_sheet(title)
        assert isinstance(created, WriteOnlyWorksheet)
        ws: Any = created  # the stubs of WriteOnlyWorksheet lack column_dimensions, auto_filter
        self.ws = ws
        self.title = title
        self.width = len(header)
        for col, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = w
        ws.freeze_panes = "A2"
        cells = []
        for text in header:
            cell = WriteOnlyCell(ws, value=text)
            cell.data_type = "s"
            cell.font = _HEAD_FONT
            cell.fill = _HEAD_FILL
            cell.alignment = _WRAP
            cells.append(cell)
        ws.append(cells)
        self.rows = 1

    def extend(self, rows: Iterable[Row]) -> None:
        ws = self.ws
        for row in rows:
            self.rows += 1
            if self.rows > MAX_ROWS:
                raise OutputError(
                    f"the workbook's sheet '{self.title}' would need more than {MAX_ROWS:,} rows "
                    "(Excel's limit): write CSV or JSON for a result this large"
                )
            ws.append([self._cell(v) for v in row])

    def _cell(self, value: Any) -> Any:
        # openpyxl types a str as text ("s") unless it starts with "=" (a formula): such a
        # cell, and any a spreadsheet would read as one, is made a text cell with Excel's
        # quote prefix; the rest go as they are (a cell object each is the costly path)
        if isinstance(value, str) and (looks_like_formula(value) or value[:1] == "'"):
            cell = WriteOnlyCell(self.ws, value=value)
            cell.data_type = "s"  # text, never a formula
            cell.quotePrefix = True
            return cell
        return value

    def close(self) -> None:
        last = get_column_letter(max(self.width, 1))
        self.ws.auto_filter.ref = f"A1:{last}{self.rows}"


def _sheet_names(result: Result, reserved: Iterable[str]) -> dict[str, str]:
    """A unique sheet name (at most 31 characters, none of ``[]:*?/\\``) per award."""
    taken = {n.lower() for n in reserved}
    out: dict[str, str] = {}
    for award in result.plan.awards:
        base = "".join(ch for ch in award.id if ch not in "[]:*?/\\")[:31] or "award"
        name, n = base, 2
        while name.lower() in taken:
            suffix = f"~{n}"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        taken.add(name.lower())
        out[award.id] = name
    return out


def info_rows(t: Messages, result: Result, versions: Mapping[str, str]) -> Iterator[Row]:
    campaign = result.campaign
    yield [t._("campaign"), campaign.title]
    yield [t._("campaign id"), campaign.id]
    yield [t._("as of"), t.date(result.as_of)]
    yield [t._("engine"), result.engine]
    yield [t._("rules fingerprint"), result.fingerprint]
    for name, version in versions.items():
        yield [t._("version of {name}").format(name=name), version]
    if result.carried_on_by:
        yield [t._("carried on by"), str(result.carried_on_by["name"])]
    params = {p.id: p for p in campaign.parameters}
    for key in sorted(result.plan.parameters):
        value = result.plan.parameters[key]
        label = params[key].label if key in params else key
        shown: Any = (
            value
            if isinstance(value, int | float) and not isinstance(value, bool)
            else ((t._("yes") if value else t._("no")) if isinstance(value, bool) else str(value))
        )
        if key in params and params[key].type == "date":
            shown = t.iso_date(str(value))  # a date parameter as the language writes dates
        yield [t._("parameter {id}: {label}").format(id=key, label=label), shown]


def allocation_rows(t: Messages, result: Result, award_id: str) -> Iterator[Row]:
    """The rows of one award's sheet, for every group of its allocation."""
    campaign = result.campaign
    award = campaign.award(award_id)
    keys = [k.fact for k in award.ranking.keys] if award.ranking else []
    names = result.validated.records.names if result.validated is not None else None
    name_of = (
        {cid: names[i] for cid, i in result.rows.items()}
        if names is not None
        else {c.id: c.name for c in result.inputs}
    )
    for alloc in result.allocations:
        if alloc.award != award_id:
            continue
        group = group_label(campaign, alloc) or ""
        depends = result.depends_on(alloc) if alloc.provisional or alloc.possible else {}
        for cid in alloc.listed():
            status = alloc.status(cid) or ""
            i = result.rows[cid]
            values: list[Any] = []
            for fact in keys:
                known = bool(result.table.known[fact][i])
                v = float(result.table.values[fact][i])
                values.append((int(v) if v.is_integer() else v) if known else None)
            note = ""
            if status in ("provisional", "tied_at_cutoff", "possible", "unranked", "pending"):
                note = seat_sentence(t, result, alloc, cid, depends)
            yield [
                group,
                alloc.ranks.get(cid),
                cid,
                name_of[cid],
                status_word(t, status),
                status,
                *values,
                note,
            ]


def candidate_rows(t: Messages, result: Result) -> Iterator[Row]:
    """One row per candidate: who it is, then per award its eligibility, place and rank."""
    awards = [a.id for a in result.plan.awards]
    places = allocation_status(result)
    labels = {p.unit_type: p.label for p in result.campaign.participants}
    for c in result.candidates:
        row: list[Any] = [
            c.id,
            c.name,
            kind_word(t, c.kind),
            labels.get(c.unit_type or "", c.unit_type or ""),
            c.unit_id or "",
        ]
        for a in awards:
            state = c.awards.get(a)
            place = places.get((a, c.id))
            row += [
                eligibility_word(t, state) if state else "",
                status_word(t, place.status) if place else "",
                place.rank if place else None,
            ]
        yield row


def verdict_rows(t: Messages, result: Result) -> Iterator[Row]:
    """One row per candidate and criterion of its kind."""
    campaign = result.campaign
    for c in result.candidates:
        for v in c.criteria:
            yield [
                c.id,
                c.name,
                v.id,
                v.label,
                verdict_word(t, v.verdict),
                v.verdict,
                observed_words(t, campaign, v.observed),
                v.required,
                explanation_words(t, campaign, v) or "",
                v.id,
            ]


def citation_rows(t: Messages, result: Result) -> Iterator[Row]:
    """Every criterion's citation, once."""
    labels = {c.id: c.label for c in result.campaign.criteria}
    for cid, cite in result.citations().items():
        yield [
            cid,
            labels.get(cid, ""),
            cite["document"],
            t.iso_date(cite["date"]) if cite["date"] else t._("date unknown"),
            cite["issuer"],
            cite.get("url") or "",
            cite["clause"] or "",
            cite["quote"] or "",
            t._("yes") if cite["interpretation"] else t._("no"),
            cite["note"] or "",
            citation_words(t, cite),
        ]


def rejected_rows(result: Result) -> Iterator[Row]:
    for r in result.rejected:
        for p in r.problems:
            yield [r.id or "", r.name or "", p.where, p.field, p.rule, p.value or ""]


def write_workbook(
    result: Result, *, lang: str | None = None, versions: Mapping[str, str] | None = None
) -> bytes:
    """The result workbook as XLSX bytes (the same bytes for the same result)."""
    t = messages(lang)
    _check_size(result)
    wb = Workbook(write_only=True)
    try:
        return _write(wb, t, result, versions or {})
    finally:
        wb.close()  # the write-only sheets' temporary files, also when a row fails


def _check_size(result: Result) -> None:
    """Refuse, before writing anything, a result that some sheet could not hold."""
    sizes = {
        "candidates": len(result.table),
        # a verdict row per candidate and criterion of its kind, counted on the arrays
        "criteria": sum(int((codes != OTHER_KIND).sum()) for codes in result.verdicts.criteria),
    }
    for alloc in result.allocations:
        sizes[alloc.award] = sizes.get(alloc.award, 0) + len(alloc.listed())
    for sheet, rows in sizes.items():
        if rows + 1 > MAX_ROWS:
            raise OutputError(
                f"the workbook's sheet '{sheet}' would need more than {MAX_ROWS:,} rows "
                f"({rows + 1:,}, Excel's limit): write CSV or JSON for a result this large"
            )


def _write(wb: Workbook, t: Messages, result: Result, versions: Mapping[str, str]) -> bytes:
    campaign = result.campaign
    sheets = {
        "info": t._("About"),
        "candidates": t._("Candidates"),
        "criteria": t._("Criteria"),
        "citations": t._("Citations"),
        "rejected": t._("Refused"),
    }
    names = _sheet_names(result, sheets.values())

    info = _Sheet(wb, sheets["info"], [t._("item"), t._("value")], [40, 80])
    info.extend(info_rows(t, result, versions))
    info.close()

    for award in campaign.awards:
        keys = [k.fact for k in award.ranking.keys] if award.ranking else []
        header = [
            t._("group"),
            t._("rank"),
            t._("id"),
            t._("name"),
            t._("status"),
            t._("status (JSON)"),
            *(fact_label(campaign, k, t) for k in keys),
            t._("why"),
        ]
        widths = [24, 8, 24, 44, 22, 16, *([18] * len(keys)), 80]
        sheet = _Sheet(wb, names[award.id], header, widths)
        sheet.extend(allocation_rows(t, result, award.id))
        sheet.close()

    header = [t._("id"), t._("name"), t._("kind"), t._("type of unit"), t._("unit")]
    cand_widths: list[float] = [24, 44, 12, 30, 20]
    for award in campaign.awards:
        header += [
            f"{award.id}: " + t._("eligibility"),
            f"{award.id}: " + t._("status"),
            f"{award.id}: " + t._("rank"),
        ]
        cand_widths += [18, 20, 8]
    cands = _Sheet(wb, sheets["candidates"], header, cand_widths)
    cands.extend(candidate_rows(t, result))
    cands.close()

    verdicts = _Sheet(
        wb,
        sheets["criteria"],
        [
            t._("id"),
            t._("name"),
            t._("criterion"),
            t._("criterion's label"),
            t._("verdict"),
            t._("verdict (JSON)"),
            t._("observed"),
            t._("required"),
            t._("explanation"),
            t._("citation"),
        ],
        [24, 36, 30, 60, 14, 14, 50, 50, 50, 30],
    )
    verdicts.extend(verdict_rows(t, result))
    verdicts.close()

    cites = _Sheet(
        wb,
        sheets["citations"],
        [
            t._("citation"),
            t._("criterion's label"),
            t._("document"),
            t._("date"),
            t._("issuer"),
            t._("web address"),
            t._("clause"),
            t._("quote"),
            t._("interpretation"),
            t._("note"),
            t._("citation in full"),
        ],
        [30, 50, 28, 12, 30, 40, 40, 40, 12, 60, 80],
    )
    cites.extend(citation_rows(t, result))
    cites.close()

    if result.validated is not None and result.validated.on_invalid == "report":
        rejected = _Sheet(
            wb,
            sheets["rejected"],
            [t._("id"), t._("name"), t._("where"), t._("field"), t._("rule"), t._("value")],
            [24, 36, 40, 24, 60, 30],
        )
        rejected.extend(rejected_rows(result))
        rejected.close()

    wb.properties.creator = "emulation-rules"
    wb.properties.title = f"{campaign.id} — {result.as_of.isoformat()}"
    raw = io.BytesIO()
    wb.save(raw)
    return fixed_zip(raw.getvalue(), f"{result.as_of.isoformat()}T00:00:00Z")
