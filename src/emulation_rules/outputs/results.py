"""Writers: a result as a terminal table, JSON or CSV; files are written whole or not at all."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from .errors import OutputError
from .plan_model import Campaign
from .result import CandidateResult, Result, citation_dict, citation_line
from .targets import TargetReport


def write_atomically(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: whole or not at all."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write there ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file the usual mode
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{target}: cannot write ({exc.strerror})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    status = _allocation_status(result)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["id", "name", "kind", "unit_type", "unit_id"]
        + criteria
        + [f"{a}" for a in awards]
        + [f"{a}.allocation" for a in awards]
    )
    for c in result.candidates:
        verdicts = {v.id: v.verdict for v in c.criteria}
        writer.writerow(
            [c.id, c.name, c.kind, c.unit_type or "", c.unit_id or ""]
            + [verdicts.get(k, "") for k in criteria]
            + [c.awards.get(a, "") for a in awards]
            + [status.get((a, c.id), "") for a in awards]
        )
    return out.getvalue()


def _allocation_status(result: Result) -> dict[tuple[str, str], str]:
    status: dict[tuple[str, str], str] = {}
    for alloc in result.allocations:
        for rank, cid in enumerate(alloc.awarded, start=1):
            status[(alloc.award, cid)] = f"awarded #{rank}"
        for cid in alloc.tied_at_cutoff:
            status[(alloc.award, cid)] = "tied at cut-off"
        for rank, cid in enumerate(alloc.reserve, start=1):
            status[(alloc.award, cid)] = f"reserve #{rank}"
        for cid in alloc.unranked:
            status[(alloc.award, cid)] = "unranked (ranking fact missing)"
        for cid in alloc.pending:
            status[(alloc.award, cid)] = "pending (tied for an earlier award)"
    return status


def _console(buffer: io.StringIO) -> Console:
    return Console(
        file=buffer,
        width=120,
        color_system=None,
        force_terminal=False,
        markup=False,
        soft_wrap=True,
    )


def _value(value: Any) -> str:
    if value is None:
        return "— (missing)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_value(v)}" for k, v in value.items())
    return str(value)


def render_table(result: Result) -> str:
    """The allocation per award, then every candidate that is not eligible, and why."""
    buffer = io.StringIO()
    con = _console(buffer)
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
                        f"    {marks[v.verdict]}  {v.id}: observed {_value(dict(v.observed))};"
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
        out.append(_value(int(value) if value.is_integer() else value) if known else "—")
    return out


def render_explanation(result: Result, candidate: CandidateResult) -> str:
    """Every criterion of one candidate with the value seen, the value required and the source."""
    buffer = io.StringIO()
    con = _console(buffer)
    campaign = result.campaign
    where = candidate.unit_type or ""
    if candidate.kind == "individual":
        where = f"works in {candidate.unit_id}"
    con.print(f"{candidate.name} ({candidate.id}) — {candidate.kind}, {where}")
    con.print(f"campaign {campaign.id} · as of {result.as_of.isoformat()} · {result.fingerprint}")
    for v in candidate.criteria:
        cite = v.citation
        flag = " [interpretation]" if cite["interpretation"] else ""
        con.print(f"\n[{v.verdict}] {v.id}: {v.label}")
        con.print(f"  observed: {_value(dict(v.observed))}")
        con.print(f"  required: {v.required}")
        con.print(f"  source:   {citation_line(cite)}{flag}")
        if cite["note"]:
            con.print(f"  note:     {cite['note']}")
    if candidate.scores is not None:
        board = campaign.scoreboard
        assert board is not None
        totals = {}
        for fact in (board.self_total_fact, board.total_fact):
            if fact:
                i = result.rows[candidate.id]
                known = bool(result.table.known[fact][i])
                totals[fact] = float(result.table.values[fact][i]) if known else None
        shown = ", ".join(f"{k} {_value(v)}" for k, v in totals.items())
        con.print(f"\nscoreboard {board.label} ({shown}; awards follow the appraised points):")
        for line in candidate.scores:
            evidence = f"{len(line.evidence)} document(s)" if line.evidence else "no evidence"
            con.print(
                f"  {line.item} {line.label}: self {_value(line.self_assessed)}, appraised "
                f"{_value(line.appraised)}, {evidence} → {_value(line.points)} of "
                f"{_value(line.max_points)} ({line.status})"
            )
    con.print("")
    for award_id, state in candidate.awards.items():
        con.print(f"{award_id}: {state} — {_position(result, award_id, candidate.id)}")
    return buffer.getvalue()


def _position(result: Result, award_id: str, cid: str) -> str:
    return _allocation_status(result).get((award_id, cid), "not allocated")


def render_campaign(campaign: Campaign, today: dt.date | None = None) -> str:
    """``show``: legal basis, period, participants, criteria, awards, quotas, parameters."""
    buffer = io.StringIO()
    con = _console(buffer)

    def cite(citation: Any) -> str:
        c = citation_dict(campaign, citation)
        flag = " [interpretation: " + c["note"] + "]" if c["interpretation"] else ""
        return f"{citation_line(c)}{flag}"

    con.print(f"{campaign.id}: {campaign.title}")
    j = campaign.jurisdiction
    parent = f", {j.parent}" if j.parent else ""
    con.print(f"issued by: {j.name} ({j.level}{parent})")
    day = today or dt.date.today()
    successor = j.carried_on_by(day)
    if successor is None:
        con.print(f"carried on by: {j.name} (as of {day.isoformat()})")
    else:
        con.print(
            f"carried on by: {successor.name} since {successor.since.isoformat()} (as of "
            f"{day.isoformat()}); the plan stays the legal act of {j.name} · "
            f"{cite(successor.citation)}"
        )
        if successor.note:
            con.print(f"    note: {successor.note}")
    for key in campaign.legal_basis:
        con.print(f"legal basis: {campaign.sources[key].label()}")
    p = campaign.period
    con.print(f"period: {p.start.isoformat()} – {p.end.isoformat()} · {cite(p.citation)}")
    if campaign.participants:
        con.print("participants:")
    for part in campaign.participants:
        con.print(f"  {part.unit_type}: {part.label}")
    if campaign.content_areas:
        con.print("content areas:")
        for area in campaign.content_areas:
            con.print(f"  {area.id}: {area.label}")
    from .compiler import compile_plan

    # rules are shown with the parameter values in force on the day asked (today by default),
    # kept within the campaign's period
    shown_on = min(max(day, campaign.period.start), campaign.period.end)
    plan = compile_plan(campaign, shown_on)
    if campaign.criteria:
        con.print(f"criteria (parameter values in force on {shown_on.isoformat()}):")
    for crit, compiled in zip(campaign.criteria, plan.criteria, strict=True):
        con.print(f"  {crit.id} ({crit.kind}): {crit.label}")
        con.print(f"      rule: {compiled.required}")
        if compiled.applies_if:
            con.print(f"      applies if: {compiled.applies_if} (otherwise not_applicable)")
        con.print(f"      source: {cite(crit.citation)}")
    if campaign.awards:
        con.print("awards:")
    for award in campaign.awards:
        quota = (
            f"quota {plan.parameters[award.quota_param]} ({award.quota_param})"
            if award.quota_param
            else "no quota"
        )
        if award.per_group:
            quota += f" within each {award.per_group}"
        con.print(f"  {award.id}: {award.label} — {award.authority}; {quota}")
        con.print(f"      requires: {', '.join(award.requires)}")
        if award.after:
            con.print(
                f"      after: {', '.join(award.after)} (their recipients, and those tied for "
                "their last seat, are not ranked here)"
            )
        if award.ranking:
            keys = ", ".join(f"{k.fact} {k.order}" for k in award.ranking.keys)
            con.print(f"      ranking: {keys} · {cite(award.ranking.citation)}")
        con.print(f"      source: {cite(award.citation)}")
    if campaign.targets:
        con.print("targets (report them with: emulation-rules targets CAMPAIGN MEASURES):")
        for target in campaign.targets:
            con.print(f"  {target.id} ({target.kind}): {target.label}")
            con.print(f"      reads: {', '.join(target.measures())}")
            con.print(f"      source: {cite(target.citation)}")
    board = campaign.scoreboard
    if board is not None:
        con.print(
            f"scoreboard: {board.label} ({board.kind}s; appraised total → {board.total_fact}"
            + (f", self-assessed total → {board.self_total_fact}" if board.self_total_fact else "")
            + f") · {cite(board.citation)}"
        )
        for item in board.items:
            bonus = " (bonus)" if item.bonus else ""
            con.print(f"  {item.id}: {item.label} — max {_value(item.max_points)}{bonus}")
            con.print(f"      source: {cite(item.citation)}")
    if campaign.parameters:
        con.print("parameters (override with --override ID=VALUE):")
        for param in campaign.parameters:
            if param.values is None:
                value = str(param.value)
            else:
                value = "; ".join(
                    f"from {start.isoformat()}: {param.values[start]}"
                    for start in sorted(param.values)
                )
            con.print(f"  {param.id} = {value}: {param.label}")
            con.print(f"      source: {cite(param.citation)}")
    return buffer.getvalue()


def render_targets(report: TargetReport) -> str:
    """One row per target and plan year: the verdict, what was measured, what was required."""
    buffer = io.StringIO()
    con = _console(buffer)
    con.print(f"targets of {report.campaign} · as of {report.as_of.isoformat()}")
    table = Table(title_justify="left")
    for col in ("year", "target", "verdict", "observed", "attained", "required"):
        table.add_column(col)
    for row in report.rows:
        attained = "" if row.attained is None else _value(row.attained)
        table.add_row(
            str(row.year),
            f"{row.target}\n{row.label}",
            row.verdict,
            _value(dict(row.observed)),
            attained,
            row.required,
        )
    con.print(table)
    return buffer.getvalue()
