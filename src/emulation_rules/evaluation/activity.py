"""Who existed when: an award for a time a candidate did not exist is not applicable to it.

A candidate may give ``active_from`` / ``active_until`` (a unit created in 2025, a district
that ceased on 30/6/2025). An award recognises a span of time (``Award.span``, by default the
campaign's period; a yearly award its year):

* a candidate that did not exist at any day of the span: the award is ``not_applicable`` to it
  (neither ineligible nor "could still qualify");
* a candidate that existed for part of the span only: as the plan's boolean parameter named by
  ``Award.partial_span_param`` says (true: judged on its facts; false: not applicable) — a
  plan flags that choice as an interpretation; without such a parameter it is judged on its
  facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from emulation_rules.engine.compiler import CompiledAward
from emulation_rules.plan.campaign import Campaign, ParamValue


def award_span(campaign: Campaign, award: CompiledAward) -> tuple[dt.date, dt.date]:
    span = award.award.span
    return (span.start, span.end) if span else (campaign.period.start, campaign.period.end)


def inactive_rows(
    campaign: Campaign,
    award: CompiledAward,
    params: Mapping[str, ParamValue],
    active_from: npt.NDArray[np.int64] | None,
    active_until: npt.NDArray[np.int64] | None,
    n: int,
) -> npt.NDArray[np.bool_]:
    """Rows to which ``award`` does not apply because the candidate did not exist (0 days in
    the active arrays mean "not given")."""
    af = active_from if active_from is not None else np.zeros(n, dtype=np.int64)
    au = active_until if active_until is not None else np.zeros(n, dtype=np.int64)
    start, end = (d.toordinal() for d in award_span(campaign, award))
    outside = ((af > 0) & (af > end)) | ((au > 0) & (au < start))
    partial = ~outside & (((af > 0) & (af > start)) | ((au > 0) & (au < end)))
    name = award.award.partial_span_param
    if name is not None and not bool(params[name]):
        outside = outside | partial
    result: npt.NDArray[np.bool_] = outside
    return result


def inactive_reason(
    campaign: Campaign, award: CompiledAward, active_from: int, active_until: int
) -> str:
    """Why an award is not applicable to a candidate that did not exist, as one line."""
    start, end = award_span(campaign, award)
    existed = []
    if active_from:
        existed.append(f"from {dt.date.fromordinal(active_from).isoformat()}")
    if active_until:
        existed.append(f"until {dt.date.fromordinal(active_until).isoformat()}")
    whole = (
        "did not exist for the whole of"
        if (
            (not active_from or active_from <= end.toordinal())
            and (not active_until or active_until >= start.toordinal())
        )
        else "did not exist during"
    )
    return f"{whole} {start.isoformat()} – {end.isoformat()} (existed {' '.join(existed)})"
