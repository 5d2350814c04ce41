"""A finding of a check (:class:`Problem`) and the small helpers every check shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Literal, TypeVar

import attrs

from emulation_rules.plan import criteria as ct
from emulation_rules.plan.campaign import Award, Campaign, Criterion, Fact, Parameter, Scale

Severity = Literal["error", "warning"]
PLACEHOLDER = "TODO"


@attrs.frozen
class Problem:
    """One finding: where (plugin, campaign, element), how bad, and what."""

    plugin: str
    campaign: str
    element: str
    severity: Severity
    message: str
    check: str = ""

    def __str__(self) -> str:
        return f"{self.plugin} {self.campaign} {self.element}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


Finding = tuple[str, Severity, str]  # element, severity, message
Check = Callable[[Campaign], Iterator[Finding]]


def nodes_of(c: Criterion) -> list[ct.Node]:
    return [c.rule] + ([c.applies_if] if c.applies_if is not None else [])


def comparisons_of(c: Criterion) -> list[ct.Comparison]:
    return [cmp for node in nodes_of(c) for cmp in ct.comparisons(node)]


_T = TypeVar("_T", Fact, Scale, Parameter, Criterion, Award)


def first_by_id(items: Iterable[_T]) -> dict[str, _T]:
    out: dict[str, _T] = {}
    for item in items:
        out.setdefault(item.id, item)
    return out


def param_values(p: Parameter) -> list[object]:
    if p.values:
        return list(p.values.values())
    return [p.value] if p.value is not None else []


def num(value: float | int) -> str:
    return f"{float(value):g}"


def lit(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)
