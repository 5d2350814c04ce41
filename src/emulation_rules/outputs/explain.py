"""``explain``: one candidate, criterion by criterion, with what was seen, what is required
and the legal source, in the reader's language (Vietnamese by default). The letter-style
explanation (Markdown or Word) is :mod:`.letter`."""

from __future__ import annotations

from emulation_rules.evaluation.result import CandidateResult, Result
from emulation_rules.messages import Messages, messages
from emulation_rules.outputs.common import (
    Place,
    allocation_status,
    citation_words,
    eligibility_word,
    explanation_words,
    fact_label,
    group_label,
    inactive_line,
    kind_word,
    observed_words,
    provenance_line,
    seat_sentence,
    show_value,
    status_word,
    verdict_word,
)
from emulation_rules.outputs.terminal import Report, safe


def render_explanation(
    result: Result, candidate: CandidateResult, *, lang: str | None = None
) -> str:
    """Every criterion of one candidate with the value seen, the value required and the source."""
    t = messages(lang)
    out = Report()
    campaign = result.campaign
    labels = {p.unit_type: p.label for p in campaign.participants}
    where = labels.get(candidate.unit_type or "", candidate.unit_type or "")
    if candidate.kind == "individual":
        where = t._("works in {unit}").format(unit=candidate.unit_id)
    out.line(safe(f"{candidate.name} ({candidate.id}) — {kind_word(t, candidate.kind)}, {where}"))
    out.line(
        t._("campaign {id} · as of {as_of} · {fingerprint}").format(
            id=campaign.id, as_of=t.date(result.as_of), fingerprint=result.fingerprint
        )
    )
    for v in candidate.criteria:
        cite = v.citation
        unconfirmed = " " + t._("(unconfirmed)") if cite.get("unconfirmed") else ""
        word = t._("interpretation") + unconfirmed
        flag = " [" + word + "]" if cite["interpretation"] else ""
        out.line()
        out.line(safe(f"[{verdict_word(t, v.verdict)}] {v.id}: {v.label}"))
        out.line("  " + t._("observed:") + " " + safe(observed_words(t, campaign, v.observed)))
        for col in v.observed:
            info = (candidate.provenance or {}).get(col)
            if info:
                out.line(
                    "  "
                    + t._("from:")
                    + " "
                    + safe(f"{fact_label(campaign, col, t)}: {provenance_line(t, info)}")
                )
        out.line("  " + t._("required:") + " " + safe(v.required))
        why = explanation_words(t, campaign, v)
        if why:
            out.line("  " + t._("why:") + " " + safe(why))
        out.line("  " + t._("source:") + " " + safe(citation_words(t, cite)) + flag)
        if cite["note"]:
            out.line("  " + t._("note:") + " " + safe(cite["note"]))
    if candidate.scores is not None:
        _scores(t, out, result, candidate)
    out.line()
    places = allocation_status(result)
    for award_id, state in candidate.awards.items():
        label = campaign.award(award_id).label
        head = f"{safe(label)} ({award_id}): {eligibility_word(t, state)}"
        if state == "not_applicable":
            out.line(f"{head} — {inactive_line(t, result, award_id, candidate.id)}")
            continue
        out.line(f"{head} — {safe(_position(t, result, places, award_id, candidate.id))}")
    return out.text()


def _scores(t: Messages, out: Report, result: Result, candidate: CandidateResult) -> None:
    campaign = result.campaign
    board = campaign.scoreboard
    assert board is not None and candidate.scores is not None
    totals = {}
    for fact in (board.self_total_fact, board.total_fact):
        if fact:
            i = result.rows[candidate.id]
            known = bool(result.table.known[fact][i])
            totals[fact] = float(result.table.values[fact][i]) if known else None
    shown = ", ".join(f"{k} {show_value(t, v)}" for k, v in totals.items())
    out.line()
    out.line(
        t._("scoreboard {label} ({totals}; awards follow the appraised points):").format(
            label=safe(board.label), totals=shown
        )
    )
    for line in candidate.scores:
        evidence = (
            t._n("{n} document", "{n} documents", len(line.evidence)).format(n=len(line.evidence))
            if line.evidence
            else t._("no evidence")
        )
        out.line(
            "  "
            + t._(
                "{item} {label}: self {self}, appraised {appraised}, {evidence} → {points} of "
                "{max} ({status})"
            ).format(
                item=safe(line.item),
                label=safe(line.label),
                self=show_value(t, line.self_assessed),
                appraised=show_value(t, line.appraised),
                evidence=evidence,
                points=show_value(t, line.points),
                max=show_value(t, line.max_points),
                status=_score_status(t, line.status),
            )
        )


def _score_status(t: Messages, status: str) -> str:
    words = {
        "appraised": t._("appraised"),
        "claimed without evidence: no appraised points": t._(
            "claimed without evidence: no appraised points"
        ),
        "not yet appraised": t._("not yet appraised"),
        "no bonus claimed": t._("no bonus claimed"),
    }
    return words.get(status, safe(status))


def position_words(t: Messages, result: Result, award_id: str, cid: str) -> str:
    """The candidate's status, rank and group in the award's allocation, and why, in words."""
    return _position(t, result, allocation_status(result), award_id, cid)


def _position(
    t: Messages, result: Result, places: dict[tuple[str, str], Place], award_id: str, cid: str
) -> str:
    place = places.get((award_id, cid))
    if place is None:
        return t._("not allocated")
    alloc = place.allocation
    head = status_word(t, place.status)
    if place.rank is not None:
        head += " " + t._("(rank {rank})").format(rank=place.rank)
    group = group_label(result.campaign, alloc)
    if group is not None:
        head += " " + t._("in group {group}").format(group=group)
    depends = result.depends_on(alloc) if place.status in ("provisional", "possible") else {}
    return f"{head}: {seat_sentence(t, result, alloc, cid, depends)}"
