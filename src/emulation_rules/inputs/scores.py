"""Scoreboard input: one item's self-assessment, appraisal and evidence, and the totals that
become facts (the appraised total decides; an item claimed without evidence earns nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from emulation_rules.errors import InputError
from emulation_rules.plan.campaign import Campaign, ScoreItem

if TYPE_CHECKING:
    from emulation_rules.inputs.candidates import CandidateIn


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


def with_score_totals(
    campaign: Campaign, c: CandidateIn, facts: dict[str, Any], who: str
) -> dict[str, Any]:
    board = campaign.scoreboard
    if board is None:
        raise InputError(f"{who}: field 'scores': {campaign.id} has no scoreboard")
    if c.kind != board.kind:
        raise InputError(f"{who}: field 'scores': the scoreboard is for {board.kind}s")
    assert c.scores is not None
    for item_id, entry in c.scores.items():
        item = board.item(item_id)
        if item is None:
            raise InputError(f"{who}: field 'scores.{item_id}': not an item of the scoreboard")
        for name in ("self_assessed", "appraised"):
            value = getattr(entry, name)
            if value is not None and value > item.max_points:
                raise InputError(
                    f"{who}: field 'scores.{item_id}.{name}': {value} is above the item's "
                    f"{item.max_points} points"
                )
    out = dict(facts)
    for fact, field in ((board.total_fact, "appraised"), (board.self_total_fact, "self")):
        if fact is None:
            continue
        if out.get(fact) is not None:
            raise InputError(
                f"{who}: fact '{fact}': given as a fact and computed from 'scores'; give one"
            )
        if field == "appraised":
            points = [score_points(i, c.scores.get(i.id))[0] for i in board.items]
        else:
            points = [
                e.self_assessed
                if (e := c.scores.get(i.id)) is not None
                else (0.0 if i.bonus else None)
                for i in board.items
            ]
        total = None if any(p is None for p in points) else round(sum(points), 6)  # type: ignore[arg-type]
        declared = campaign.fact(fact)
        if total is not None and (
            (declared.minimum is not None and total < declared.minimum)
            or (declared.maximum is not None and total > declared.maximum)
        ):
            raise InputError(
                f"{who}: field 'scores': the {field} total {total} is outside the range of "
                f"fact '{fact}' ({declared.minimum}..{declared.maximum})"
            )
        out[fact] = total
    return out
