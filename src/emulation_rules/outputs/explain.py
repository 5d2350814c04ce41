"""``explain``: one candidate, criterion by criterion, with what was seen, what is required
and the legal source."""

from __future__ import annotations

import io

from emulation_rules.evaluation.result import CandidateResult, Result
from emulation_rules.outputs.common import (
    PHRASES,
    Place,
    allocation_status,
    inactive_line,
    plain_console,
    provenance_line,
    seat_sentence,
    show_value,
)
from emulation_rules.plan.citing import citation_line


def render_explanation(result: Result, candidate: CandidateResult) -> str:
    """Every criterion of one candidate with the value seen, the value required and the source."""
    buffer = io.StringIO()
    con = plain_console(buffer)
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
        con.print(f"  observed: {show_value(dict(v.observed))}")
        for col in v.observed:
            info = (candidate.provenance or {}).get(col)
            if info:
                con.print(f"  from:     {col}: {provenance_line(info)}")
        con.print(f"  required: {v.required}")
        if v.explanation:
            con.print(f"  why:      {v.explanation}")
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
        shown = ", ".join(f"{k} {show_value(v)}" for k, v in totals.items())
        con.print(f"\nscoreboard {board.label} ({shown}; awards follow the appraised points):")
        for line in candidate.scores:
            evidence = f"{len(line.evidence)} document(s)" if line.evidence else "no evidence"
            con.print(
                f"  {line.item} {line.label}: self {show_value(line.self_assessed)}, appraised "
                f"{show_value(line.appraised)}, {evidence} → {show_value(line.points)} of "
                f"{show_value(line.max_points)} ({line.status})"
            )
    con.print("")
    places = allocation_status(result)
    for award_id, state in candidate.awards.items():
        if state == "not_applicable":
            con.print(f"{award_id}: {state} — {inactive_line(result, award_id, candidate.id)}")
            continue
        con.print(f"{award_id}: {state} — {_position(result, places, award_id, candidate.id)}")
    return buffer.getvalue()


def _position(result: Result, places: dict[tuple[str, str], Place], award_id: str, cid: str) -> str:
    """The candidate's status, rank and group in the award's allocation, and why, in words."""
    place = places.get((award_id, cid))
    if place is None:
        return PHRASES["none"]
    alloc = place.allocation
    head = place.status
    if place.rank is not None:
        head += f" (rank {place.rank})"
    if alloc.group is not None:
        head += f" in group {alloc.group}"
    depends = result.depends_on(alloc) if place.status in ("provisional", "possible") else {}
    return f"{head}: {seat_sentence(result, alloc, cid, depends)}"
