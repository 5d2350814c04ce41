"""Targets (chỉ tiêu) of a work plan and the measures they read, one figure per plan year."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from emulation_rules.plan.citations import ID_PATTERN, Citation, Frozen


class Measure(Frozen):
    """A figure of the jurisdiction itself, reported once per plan year (for targets)."""

    id: str = Field(pattern=ID_PATTERN)
    label: str
    type: Literal["integer", "number"]
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None


class Target(Frozen):
    """A target (chỉ tiêu) the plan aims at, measured per plan year.

    * ``ratio``: ``numerator / denominator`` as a percentage, at least ``target`` percent;
    * ``rank``: this year's ``rank`` against last year's (a smaller rank is better):
      ``keep_or_improve`` (≤) or ``improve`` (<);
    * ``threshold``: the measure ``value`` compared by ``op`` with ``target``.
    """

    id: str = Field(pattern=ID_PATTERN)
    label: str
    kind: Literal["ratio", "rank", "threshold"]
    numerator: str | None = None
    denominator: str | None = None
    rank: str | None = None
    value: str | None = None
    op: Literal[">=", ">", "<=", "<", "=="] = ">="
    target: float | None = Field(None, description="percent for ratio, value for threshold")
    direction: Literal["keep_or_improve", "improve"] | None = None
    citation: Citation

    @model_validator(mode="after")
    def _fields_for_kind(self) -> Self:
        need = {
            "ratio": ("numerator", "denominator", "target"),
            "rank": ("rank", "direction"),
            "threshold": ("value", "target"),
        }[self.kind]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(f"a {self.kind} target needs {', '.join(missing)}")
        return self

    def measures(self) -> tuple[str, ...]:
        names = (self.numerator, self.denominator, self.rank, self.value)
        return tuple(m for m in names if m is not None)
