"""A scoreboard (bảng điểm): scored items, self-assessed and appraised, whose appraised total
becomes a fact."""

from __future__ import annotations

from pydantic import Field

from emulation_rules.plan.citations import DOTTED_ID_PATTERN, Citation, Frozen
from emulation_rules.plan.facts import Fact, Kind


class ScoreItem(Frozen):
    """One scored criterion (tiêu chí) of a scoreboard, with its maximum points."""

    id: str = Field(pattern=DOTTED_ID_PATTERN)
    label: str
    field: str | None = Field(None, description="the field (lĩnh vực) it belongs to")
    max_points: float = Field(gt=0)
    bonus: bool = Field(False, description="bonus points (điểm thưởng), above the base total")
    citation: Citation


class Scoreboard(Frozen):
    """A scoreboard (bảng điểm): each candidate self-assesses every item with evidence, the
    standing agency appraises (thẩm định), and the appraised total feeds a fact.

    An item claimed without evidence earns no appraised points (reported as such); an item not
    yet appraised makes the total unknown.
    """

    label: str
    kind: Kind
    total_fact: str = Field(description="number fact that receives the appraised total")
    self_total_fact: str | None = Field(None, description="fact for the self-assessed total")
    items: tuple[ScoreItem, ...] = Field(min_length=1)
    citation: Citation

    def item(self, item_id: str) -> ScoreItem | None:
        return next((i for i in self.items if i.id == item_id), None)


def scoreboard_problems(board: Scoreboard, facts: tuple[Fact, ...]) -> list[str]:
    out = []
    by_id = {f.id: f for f in facts}
    for name in (board.total_fact, board.self_total_fact):
        if name is None:
            continue
        fact = by_id.get(name)
        if fact is None:
            out.append(f"scoreboard: fact '{name}' is not declared")
        elif fact.type != "number" or board.kind not in fact.kinds:
            out.append(f"scoreboard: fact '{name}' must be a number fact of {board.kind}s")
    ids = [i.id for i in board.items]
    if len(set(ids)) != len(ids):
        out.append("scoreboard: an item id is used twice")
    total = by_id.get(board.total_fact)
    most = sum(i.max_points for i in board.items)
    if total is not None and total.maximum is not None and most > total.maximum:
        out.append(
            f"scoreboard: its items add up to {most} points, above the maximum "
            f"{total.maximum} of fact '{total.id}'"
        )
    return out
