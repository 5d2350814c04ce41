"""An award's allocation rules as the plan states them, with this run's parameter values: the
quota (a count, a share of a count with its rounding rule — unless the share's switch parameter
is off —, or none), the groups and the cap per
value of an attribute; and the order in which awards are allocated.

A share is computed exactly (``Fraction``), so 15 % of 20 is 3, never 2.9999999999999996.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

import attrs

from emulation_rules.engine.compiler import CompiledAward, CompiledPlan
from emulation_rules.engine.fact_table import FactTable
from emulation_rules.inputs.validated import Records
from emulation_rules.plan.campaign import Campaign, ParamValue


@attrs.frozen
class QuotaRule:
    """How many seats: ``count`` seats, or ``percent`` % of a count rounded by ``rounding``."""

    count: int | None = None
    percent: int | float | None = None
    of: str | None = None
    of_award: str | None = None
    rounding: str | None = None

    @property
    def is_share(self) -> bool:
        return self.percent is not None

    def seats(self, base: int) -> int:
        """The seats a share gives for a count of ``base`` (a fixed count ignores ``base``)."""
        if self.count is not None:
            return self.count
        assert self.percent is not None
        exact = Fraction(repr(self.percent)) * base / 100
        if self.rounding == "up":
            return math.ceil(exact)
        if self.rounding == "half_up":
            return math.floor(exact + Fraction(1, 2))
        return math.floor(exact)


@attrs.frozen
class AwardSpec:
    """One award, ready to allocate: its column in the verdicts and its rules."""

    award: CompiledAward
    index: int
    quota: QuotaRule | None
    group_by: tuple[str, ...]
    cap_by: str | None
    cap: int | None

    @property
    def limited(self) -> bool:
        """Whether seats are limited at all (a quota or a cap): otherwise every eligible wins."""
        return self.quota is not None or self.cap is not None


def award_specs(plan: CompiledPlan) -> tuple[AwardSpec, ...]:
    """Every award of the plan in allocation order: each after the awards its ``after`` names
    and the award its share is taken of; otherwise in the compiled order."""
    params = plan.parameters
    specs = {a.id: _spec(a, j, params) for j, a in enumerate(plan.awards)}
    done: list[str] = []
    pending = [a.id for a in plan.awards]
    while pending:
        ready = next(
            (p for p in pending if all(d in done for d in specs[p].award.award.depends_on())),
            pending[0],  # a cycle is refused when the plan loads; never reached
        )
        done.append(ready)
        pending.remove(ready)
    return tuple(specs[a] for a in done)


def _spec(a: CompiledAward, index: int, params: Mapping[str, ParamValue]) -> AwardSpec:
    model = a.award
    quota: QuotaRule | None = None
    if a.quota is not None:
        quota = QuotaRule(count=a.quota)
    elif model.quota_share is not None and (
        model.quota_share.applies_param is None or params[model.quota_share.applies_param]
    ):
        share = model.quota_share
        percent = params[share.percent_param]
        assert isinstance(percent, int | float) and not isinstance(percent, bool)
        quota = QuotaRule(
            percent=percent,
            of=share.of,
            of_award=share.award,
            rounding=str(params[share.rounding_param]),
        )
    cap = int(params[model.cap.count_param]) if model.cap is not None else None
    return AwardSpec(
        award=a,
        index=index,
        quota=quota,
        group_by=model.group_by(),
        cap_by=model.cap.by if model.cap is not None else None,
        cap=cap,
    )


def attribute_values(
    campaign: Campaign, table: FactTable, records: Records, attribute: str
) -> list[str | None]:
    """Every row's value of a grouping attribute: its unit type (an individual's is its unit's,
    else its own), its unit (an individual's ``unit_id``; a collective is its own unit) or a
    declared candidate attribute (``None`` where the candidate does not give it)."""
    if attribute == "unit_type":
        types = campaign.unit_types()
        return [types[c] if c >= 0 else None for c in table.attributes["unit_type"].tolist()]
    if attribute == "unit_id":
        return [
            cid if kind == "collective" else unit
            for cid, kind, unit in zip(records.ids, records.kinds, records.unit_ids, strict=True)
        ]
    column = records.attributes.get(attribute)
    return list(column) if column is not None else [None] * len(records)


def value_order(campaign: Campaign, attribute: str, value: str | None) -> tuple[int, int, str]:
    """Where a group value sorts: by the plan's order (participants, declared values), else by
    the text; a candidate without the attribute first."""
    if value is None:
        return (0, 0, "")
    if attribute == "unit_type":
        types = campaign.unit_types()
        return (1, types.index(value) if value in types else len(types), value)
    declared = next((a for a in campaign.candidate_attributes if a.id == attribute), None)
    if declared is not None and declared.values is not None and value in declared.values:
        return (1, declared.values.index(value), value)
    return (2, 0, value)
