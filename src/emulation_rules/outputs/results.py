"""A result as a terminal table or CSV (JSON is :meth:`Result.to_json`; the workbook is
:mod:`.workbook`).

The table is for people: Vietnamese by default (``lang``), award and group labels from the plan,
status words and reasons in words, every value from the input made safe for a terminal
(:mod:`.terminal`). The CSV is for programs and spreadsheets: English column names and status
words (the JSON's), one row per candidate, written by :func:`csv_rows` (a row generator over the
result) with every cell a spreadsheet would run escaped (:mod:`.cells`); ``bom=True`` puts a
UTF-8 byte-order mark first so that Excel reads the Vietnamese text as UTF-8.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from rich.table import Table

from emulation_rules.evaluation.result import Result
from emulation_rules.messages import Messages, messages
from emulation_rules.outputs.cells import spreadsheet_text
from emulation_rules.outputs.common import (
    SHOWN_CONTENDERS,
    allocation_status,
    award_title,
    eligibility_word,
    explanation_words,
    fact_label,
    inactive_line,
    join_ids,
    observed_words,
    quota_words,
    seat_sentence,
    seats_line,
    show_rank,
    status_word,
    verdict_word,
)
from emulation_rules.outputs.csvfile import (
    BOM,
    csv_header,
    rejected_rows,
    report_mode,
    write_csv,
)
from emulation_rules.outputs.terminal import Report, safe


def render(
    result: Result, fmt: str, *, lang: str | None = None, verbose_citations: bool = False
) -> str:
    """The result as text: ``table`` (for people, in ``lang``), ``json`` or ``csv``."""
    if fmt == "json":
        return result.to_json(verbose_citations=verbose_citations)
    if fmt == "csv":
        return render_csv(result)
    if fmt == "table":
        return render_table(result, lang=lang)
    raise ValueError(f"unknown format {fmt!r}")


def csv_rows(result: Result) -> Iterator[list[str]]:
    """The CSV's rows after its header, as plain values (not yet escaped): one per candidate —
    its verdict on every criterion, eligibility, and for every award its place in the
    allocation (a status word) and its rank (shared by equals; empty where it is not ranked) —
    then, in report mode, one per refused candidate with its problems in a last column.

    This is the reference, one candidate at a time; :func:`render_csv` writes the same text
    from the arrays (:mod:`.csvfile`)."""
    criteria = [c.id for c in result.plan.criteria]
    awards = [a.id for a in result.plan.awards]
    places = allocation_status(result)
    report = report_mode(result)
    for c in result.candidates:
        verdicts = {v.id: v.verdict for v in c.criteria}
        place = [places.get((a, c.id)) for a in awards]
        yield (
            [c.id, c.name, c.kind, c.unit_type or "", c.unit_id or ""]
            + [verdicts.get(k, "") for k in criteria]
            + [c.awards.get(a, "") for a in awards]
            + [p.status if p else "" for p in place]
            + [str(p.rank) if p and p.rank is not None else "" for p in place]
            + ([""] if report else [])
        )
    if report:
        yield from rejected_rows(result)


def reference_csv(result: Result, *, bom: bool = False) -> str:
    """The CSV text one candidate at a time (``csv.writer`` over :func:`csv_rows`): the
    reference :func:`render_csv` is held equal to."""
    out = io.StringIO()
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header(result))
    for row in csv_rows(result):
        writer.writerow([spreadsheet_text(cell) for cell in row])
    return out.getvalue()


def render_csv(result: Result, *, bom: bool = False) -> str:
    """The CSV text: a header, then one row per candidate (:func:`csv_rows`), every cell
    through :func:`~.cells.spreadsheet_text`; a byte-order mark first when ``bom``. Written
    from the result's arrays (:func:`.csvfile.write_csv`, which also streams to a file)."""
    out = io.BytesIO()
    write_csv(result, out, bom=bom)
    return out.getvalue().decode("utf-8")


def render_table(result: Result, *, lang: str | None = None) -> str:
    """The allocation per award, then every candidate that is not eligible, and why."""
    t = messages(lang)
    out = Report()
    campaign = result.campaign
    out.line(safe(campaign.title))
    out.line(
        t._("campaign {id} · as of {as_of} · engine {engine} · {fingerprint}").format(
            id=campaign.id,
            as_of=t.date(result.as_of),
            engine=result.engine,
            fingerprint=result.fingerprint,
        )
    )
    if result.carried_on_by:
        out.line(
            t._("carried on by {name} since {since}").format(
                name=safe(result.carried_on_by["name"]),
                since=t.iso_date(result.carried_on_by["since"]),
            )
        )
    names = {c.id: c.name for c in result.inputs}
    for alloc in result.allocations:
        award = campaign.award(alloc.award)
        table = Table(
            title=safe(f"{award_title(campaign, alloc)} ({quota_words(t, campaign, alloc)})"),
            title_justify="left",
        )
        table.add_column("#", justify="right")
        table.add_column(t._("id"), overflow="fold")  # a long id folds, never cut short
        table.add_column(t._("name"), overflow="fold")
        table.add_column(t._("status"))
        keys = award.ranking.keys if award.ranking else ()
        for key in keys:
            arrow = "↓" if key.order == "desc" else "↑"
            table.add_column(f"{fact_label(campaign, key.fact, t)} {arrow}", justify="right")
        listed = (
            list(alloc.awarded)
            + list(alloc.provisional)
            + list(alloc.tied_at_cutoff)
            + list(alloc.reserve)
            + list(alloc.unranked)
            + list(alloc.pending)
        )
        for cid in listed:
            observed = _ranking_values(t, result, cid, [k.fact for k in keys])
            status = alloc.status(cid) or ""
            table.add_row(
                show_rank(alloc.ranks.get(cid)),
                safe(cid),
                safe(names[cid]),
                status_word(t, status),
                *observed,
            )
        out.table(table)
        if alloc.quota is not None or alloc.cap is not None:
            out.line(seats_line(t, alloc))
        depends = result.depends_on(alloc) if alloc.provisional or alloc.possible else {}
        for cid in alloc.provisional:
            out.line(f"  {safe(cid)}: {safe(seat_sentence(t, result, alloc, cid, depends))}")
        if alloc.tied_at_cutoff:
            out.line(
                "  "
                + t._n(
                    "{ids}: tied at the cut-off for {seats} seat: the emulation council decides",
                    "{ids}: tied at the cut-off for {seats} seats: the emulation council decides",
                    alloc.seats_undecided,
                ).format(ids=safe(", ".join(alloc.tied_at_cutoff)), seats=alloc.seats_undecided)
            )
        if alloc.possible:
            out.line(
                t._("possible (some completion of the missing facts awards it): {ids}").format(
                    ids=safe(join_ids(t, alloc.possible))
                )
            )
            for cid in alloc.possible[:SHOWN_CONTENDERS]:
                out.line(f"  {safe(cid)}: {safe(seat_sentence(t, result, alloc, cid, depends))}")
        possible = set(alloc.possible)
        hopeless = [cid for cid in alloc.undetermined if cid not in possible]
        if hopeless:
            out.line(
                t._("undetermined, but below the seats whatever the missing facts: {ids}").format(
                    ids=safe(", ".join(hopeless))
                )
            )
    if result.rejected:
        out.line()
        out.line(
            t._n(
                "Refused input ({count} candidate, not evaluated)",
                "Refused input ({count} candidates, not evaluated)",
                len(result.rejected),
            ).format(count=len(result.rejected))
        )
        for r in result.rejected:
            out.line(safe(f"{r.id or '—'} — {r.name or '—'} ({r.where})"))
            for p in r.problems:
                got = f" (got {p.value})" if p.value is not None else ""
                out.line("    ✗ " + safe(f"{p.field}: {p.rule}{got}"))
    blocked = [c for c in result.candidates if any(v != "eligible" for v in c.awards.values())]
    if blocked:
        out.line()
        out.line(t._("Not eligible or undetermined, and why"))
        marks = {"not_met": "✗", "unknown": "?"}
        for c in blocked:
            for award_id, state in c.awards.items():
                if state == "eligible":
                    continue
                out.line(
                    safe(f"{c.id} — {c.name} — {campaign.award(award_id).label}: ")
                    + eligibility_word(t, state)
                )
                if state == "not_applicable":
                    out.line(f"    {inactive_line(t, result, award_id, c.id)}")
                    continue
                required = set(campaign.award(award_id).requires)
                reasons = [v for v in c.criteria if v.id in required and v.verdict in marks]
                for v in reasons:
                    out.line(
                        f"    {marks[v.verdict]} {verdict_word(t, v.verdict)}  {v.id}: "
                        + t._("observed {observed}; required {required}").format(
                            observed=safe(observed_words(t, campaign, v.observed)),
                            required=safe(v.required),
                        )
                    )
                    why = explanation_words(t, campaign, v)
                    if why:
                        out.line("        " + t._("why:") + " " + safe(why))
                if not reasons:
                    out.line("    " + t._("no criterion of this award applies to this candidate"))
    return out.text()


def _ranking_values(t: Messages, result: Result, cid: str, facts: list[str]) -> list[str]:
    i = result.rows[cid]
    out = []
    for fact in facts:
        known = bool(result.table.known[fact][i])
        value = float(result.table.values[fact][i])
        out.append(t.number(value) if known else "—")
    return out
