"""A result as a terminal table or CSV (JSON is :meth:`Result.to_json`)."""

from __future__ import annotations

import csv
import io

from rich.table import Table

from emulation_rules.evaluation.result import Result
from emulation_rules.outputs.common import allocation_status, plain_console, show_value


def render(result: Result, fmt: str) -> str:
    if fmt == "json":
        return result.to_json()
    if fmt == "csv":
        return render_csv(result)
    if fmt == "table":
        return render_table(result)
    raise ValueError(f"unknown format {fmt!r}")


def render_csv(result: Result) -> str:
    """One row per candidate: its verdict on every criterion, eligibility and allocation."""
    criteria = [c.id for c in result.plan.criteria]
    awards = [a.id for a in result.plan.awards]
    status = allocation_status(result)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["id", "name", "kind", "unit_type", "unit_id"]
        + criteria
        + [f"{a}" for a in awards]
        + [f"{a}.allocation" for a in awards]
    )
    report = result.validated is not None and result.validated.on_invalid == "report"
    width = 5 + len(criteria) + 2 * len(awards)
    for c in result.candidates:
        verdicts = {v.id: v.verdict for v in c.criteria}
        writer.writerow(
            [c.id, c.name, c.kind, c.unit_type or "", c.unit_id or ""]
            + [verdicts.get(k, "") for k in criteria]
            + [c.awards.get(a, "") for a in awards]
            + [status.get((a, c.id), "") for a in awards]
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
        quota = "no quota" if alloc.quota is None else f"quota {alloc.quota}"
        table = Table(title=f"{award.label}{group} ({quota})", title_justify="left")
        table.add_column("#", justify="right")
        table.add_column("id")
        table.add_column("name")
        table.add_column("status")
        keys = award.ranking.keys if award.ranking else ()
        for key in keys:
            table.add_column(f"{key.fact} ({key.order})", justify="right")

        tied = f"tied at cut-off ({alloc.seats_undecided} seat(s) for the council)"
        rows = (
            [(str(k), cid, "proposed") for k, cid in enumerate(alloc.awarded, start=1)]
            + [("=", cid, tied) for cid in alloc.tied_at_cutoff]
            + [(f"r{k}", cid, "reserve") for k, cid in enumerate(alloc.reserve, start=1)]
            + [("?", cid, "eligible, ranking fact missing") for cid in alloc.unranked]
            + [("…", cid, "pending: tied for an earlier award") for cid in alloc.pending]
        )
        for rank, cid, state in rows:
            observed = _ranking_values(result, cid, [k.fact for k in keys])
            table.add_row(rank, cid, names[cid], state, *observed)
        con.print(table)
        if alloc.undetermined:
            con.print(
                f"undetermined (a fact is missing; could still qualify): "
                f"{', '.join(alloc.undetermined)}"
            )
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
