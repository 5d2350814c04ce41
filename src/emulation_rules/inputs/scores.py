"""Scoreboard input: one item's self-assessment, appraisal and evidence, and the totals that
become facts (the appraised total decides; an item claimed without evidence earns nothing)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from emulation_rules.plan.campaign import Campaign, ScoreItem


class ScoreEntry(BaseModel):
    """One scoreboard item as a candidate reports it: its self-assessment, the appraisal
    (thẩm định) once done, and the evidence documents (tài liệu minh chứng) it attached."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    self_assessed: float | None = Field(None, ge=0, strict=True)
    appraised: float | None = Field(None, ge=0, strict=True)
    evidence: tuple[
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)], ...
    ] = ()


def score_points(item: ScoreItem, entry: ScoreEntry | None) -> tuple[float | None, str]:
    """The appraised points an item earns, and why: None while it is not appraised; 0 when it
    was claimed without evidence; 0 for a bonus item that was not claimed at all."""
    if entry is None and item.bonus:
        return 0.0, "no bonus claimed"
    if entry is None or entry.appraised is None:
        return None, "not yet appraised"
    if not entry.evidence and entry.appraised > 0:
        return 0.0, "claimed without evidence: no appraised points"
    return entry.appraised, "appraised"


def score_totals(
    campaign: Campaign,
    kind: str | None,
    scores: dict[str, ScoreEntry],
    given_facts: dict[str, bool],
) -> tuple[dict[str, float | None], list[tuple[str, str]]]:
    """The facts a candidate's ``scores`` set (the appraised and self-assessed totals, None
    while unknown), and every problem as (field, rule). ``given_facts`` are the facts the
    candidate also gives directly (a total given both ways is refused)."""
    problems: list[tuple[str, str]] = []
    board = campaign.scoreboard
    if board is None:
        return {}, [("field 'scores'", f"{campaign.id} has no scoreboard")]
    if kind != board.kind:
        return {}, [("field 'scores'", f"the scoreboard is for {board.kind}s")]
    for item_id, entry in scores.items():
        item = board.item(item_id)
        if item is None:
            problems.append((f"field 'scores.{item_id}'", "not an item of the scoreboard"))
            continue
        for name in ("self_assessed", "appraised"):
            value = getattr(entry, name)
            if value is not None and value > item.max_points:
                problems.append(
                    (
                        f"field 'scores.{item_id}.{name}'",
                        f"{value} is above the item's {item.max_points} points",
                    )
                )
    out: dict[str, float | None] = {}
    for fact, field in ((board.total_fact, "appraised"), (board.self_total_fact, "self")):
        if fact is None:
            continue
        if given_facts.get(fact):
            problems.append(
                (f"fact '{fact}'", "given as a fact and computed from 'scores'; give one")
            )
            continue
        if field == "appraised":
            points = [score_points(i, scores.get(i.id))[0] for i in board.items]
        else:
            points = [
                e.self_assessed
                if (e := scores.get(i.id)) is not None
                else (0.0 if i.bonus else None)
                for i in board.items
            ]
        total = None if any(p is None for p in points) else round(sum(points), 6)  # type: ignore[arg-type]
        declared = campaign.fact(fact)
        if total is not None and (
            (declared.minimum is not None and total < declared.minimum)
            or (declared.maximum is not None and total > declared.maximum)
        ):
            problems.append(
                (
                    "field 'scores'",
                    f"the {field} total {total} is outside the range of fact '{fact}' "
                    f"({declared.minimum}..{declared.maximum})",
                )
            )
        out[fact] = total
    return out, problems
