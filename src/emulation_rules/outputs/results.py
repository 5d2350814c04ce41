"""A result as a terminal table or CSV (JSON is :meth:`Result.to_json`)."""

from __future__ import annotations

import csv
import io

from rich.table import Table

from emulation_rules.evaluation.result import Result
from emulation_rules.outputs.common import (
    PHRASES,
    SHOWN_CONTENDERS,
    allocation_status,
    inactive_line,
    join_ids,
    plain_console,
    quota_words,
    seat_sentence,
    seats_line,
    show_rank,
    show_value,
)


def render(result: Result, fmt: str) -> str:
    if fmt == "json":
        return result.to_json()
    if fmt == "csv":
        return render_csv(result)
    if fmt == "table":
        return render_table(result)
    raise ValueError(f"unknown format {fmt!r}")


def render_csv(result: Result) -> str:
    """One row per candidate: its verdict on every criterion, eligibility, and for every award
    its place in the allocation (a status word) and its rank (shared by equals; empty where it
    is not ranked)."""
    criteria = [c.id for c in result.plan.criteria]
    awards = [a.id for a in result.plan.awards]
    places = allocation_status(result)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["id", "name", "kind", "unit_type", "unit_id"]
        + criteria
        + [f"{a}" for a in awards]
        + [f"{a}.allocation" for a in awards]
        + [f"{a}.rank" for a in awards]
    )
    report = result.validated is not None and result.validated.on_invalid == "report"
    width = 5 + len(criteria) + 3 * len(awards)
    for c in result.candidates:
        verdicts = {v.id: v.verdict for v in c.criteria}
        place = [places.get((a, c.id)) for a in awards]
        writer.writerow(
            [c.id, c.name, c.kind, c.unit_type or "", c.unit_id or ""]
            + [verdicts.get(k, "") for k in criteria]
            + [c.awards.get(a, "") for a in awards]
            + [p.status if p else "" for p in place]
            + [str(p.rank) if p and p.rank is not None else "" for p in place]
            + ([""] if report else [])
        )
    if report:
        # refused candidates (--on-invalid report) follow, their problems in a last column
        for r in result.rejected:
            problems = "; ".join(
                f"{p.field}: {p.rule}" + (f" (got {p.value})" if p.value is not None else "")
                for p in r.problems
            )
            writer.writerow([r.id or "", r.name or ""] + [""] * (width - 2) + [problems])
    text = out.getvalue()
    if report:
        head, _, rest = text.partition("\n")
        text = head + ",rejected\n" + rest
    return text


def render_table(result: Result) -> str:
    """The allocation per award, then every candidate that is not eligible, and why."""
    buffer = io.StringIO()
    con = plain_console(buffer)
    campaign = result.campaign
    con.print(f"{campaign.title}")
    con.print(
        f"campaign {campaign.id} · as of {result.as_of.isoformat()} · engine {result.engine}"
        f" · {result.fingerprint}"
    )
    if result.carried_on_by:
        con.print(
            f"carried on by {result.carried_on_by['name']} since {result.carried_on_by['since']}"
        )
    names = {c.id: c.name for c in result.inputs}
    for alloc in result.allocations:
        award = campaign.award(alloc.award)
        group = f" — {alloc.group}" if alloc.group else ""
        table = Table(title=f"{award.label}{group} ({quota_words(alloc)})", title_justify="left")
        table.add_column("#", justify="right")
        table.add_column("id")
        table.add_column("name")
        table.add_column("status")
        keys = award.ranking.keys if award.ranking else ()
        for key in keys:
            table.add_column(f"{key.fact} ({key.order})", justify="right")
        listed = (
            list(alloc.awarded)
            + list(alloc.provisional)
            + list(alloc.tied_at_cutoff)
            + list(alloc.reserve)
            + list(alloc.unranked)
            + list(alloc.pending)
        )
        for cid in listed:
            observed = _ranking_values(result, cid, [k.fact for k in keys])
            status = alloc.status(cid) or ""
            table.add_row(show_rank(alloc.ranks.get(cid)), cid, names[cid], status, *observed)
        con.print(table)
        if alloc.quota is not None or alloc.cap is not None:
            con.print(seats_line(alloc))
        depends = result.depends_on(alloc) if alloc.provisional or alloc.possible else {}
        for cid in alloc.provisional:
            con.print(f"  {cid}: {seat_sentence(result, alloc, cid, depends)}")
        if alloc.tied_at_cutoff:
            con.print(
                "  "
                + PHRASES["tied.line"].format(
                    ids=", ".join(alloc.tied_at_cutoff), seats=alloc.seats_undecided
                )
            )
        if alloc.possible:
            con.print(PHRASES["possible.line"].format(ids=join_ids(alloc.possible)))
            for cid in alloc.possible[:SHOWN_CONTENDERS]:
                con.print(f"  {cid}: {seat_sentence(result, alloc, cid, depends)}")
        possible = set(alloc.possible)
        hopeless = [cid for cid in alloc.undetermined if cid not in possible]
        if hopeless:
            con.print(PHRASES["undetermined.line"].format(ids=", ".join(hopeless)))
    if result.rejected:
        con.print(f"\nRefused input ({len(result.rejected)} candidate(s), not evaluated)")
        for r in result.rejected:
            con.print(f"{r.id or '—'} — {r.name or '—'} ({r.where})")
            for p in r.problems:
                got = f" (got {p.value})" if p.value is not None else ""
                con.print(f"    ✗ {p.field}: {p.rule}{got}")
    blocked = [c for c in result.candidates if any(v != "eligible" for v in c.awards.values())]
    if blocked:
        con.print("\nNot eligible or undetermined, and why")
        marks = {"not_met": "✗ not met", "unknown": "? unknown"}
        for c in blocked:
            for award_id, state in c.awards.items():
                if state == "eligible":
                    continue
                con.print(f"{c.id} — {c.name} — {award_id}: {state}")
                if state == "not_applicable":
                    con.print(f"    {inactive_line(result, award_id, c.id)}")
                    continue
                required = set(campaign.award(award_id).requires)
                reasons = [v for v in c.criteria if v.id in required and v.verdict in marks]
                for v in reasons:
                    con.print(
                        f"    {marks[v.verdict]}  {v.id}: observed {show_value(dict(v.observed))};"
                        f" required {v.required}"
                    )
                if not reasons:
                    con.print("    no criterion of this award applies to this candidate")
    return buffer.getvalue()


def _ranking_values(result: Result, cid: str, facts: list[str]) -> list[str]:
    i = result.rows[cid]
    out = []
    for fact in facts:
        known = bool(result.table.known[fact][i])
        value = float(result.table.values[fact][i])
        out.append(show_value(int(value) if value.is_integer() else value) if known else "—")
    return out
