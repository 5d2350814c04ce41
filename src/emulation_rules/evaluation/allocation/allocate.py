"""Allocation: rank the eligible of each award by the plan's key, apply the quota (a count or a
share) and the cap per unit within each group, keep a reserve, report a tie at the cut-off for
the emulation council (Hội đồng Thi đua – Khen thưởng), and say which seats the missing facts
could still change.

**Completions.** A *completion* gives every missing fact a value: every ``undetermined``
candidate may turn eligible or ineligible, every missing ranking value may take any value in
its fact's declared range (any value at all where none is declared). The allocation reports,
for every award and group:

* ``awarded`` — seated under every completion (a firm seat);
* ``provisional`` — seated on the facts known now (undetermined candidates aside, unranked ones
  unseated) but not under some completion, with the ``threats``: the contenders who could rank
  at or above it, the earlier awards it may still receive, a share that may shrink;
* ``possible`` — not seated now, seated under some completion;
* ``tied_at_cutoff`` — equal on every key across the cut-off, never broken: the council decides;
* ``seats_undecided`` — the seats that some completion (or the council) could fill, minus the
  firm ones.

**How, without enumerating completions.** The seat condition (``counting.py``) only gets harder
as competitors are added. A candidate is firm when it holds its seat in the worst case: itself
at the lowest value its box allows, every candidate that could be present (eligible or
undetermined, and not surely taken by an earlier award) at its highest, and the fewest seats a
share can give. It is possible when it holds a seat in the best case: itself at its highest,
only the candidates certainly present (eligible, and never taken by an earlier award) at their
lowest, and the most seats. Treating each candidate's eligibility, values and earlier awards as
independent over-approximates the completions (the same missing fact may decide eligibility and
rank): ``awarded`` stays sound, ``possible`` may list a candidate no real completion seats.

**``after``.** An award lists the awards allocated before it. A candidate seated or tied there
now is not ranked here (tied ones are listed as ``pending``); a candidate that some completion
seats or ties there may leave, so it is not firm here; one that may lose it may come back, as a
contender. The same bounds (with strict counts: the *take* condition) say who is surely and who
is maybe taken by an earlier award.

Nothing is decided by input order: candidates equal on every ranking key share one rank
(competition ranking: 1, 2, 2, 4) and are listed by id for display only.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from emulation_rules.engine.columnar import ELIGIBLE, OTHER_KIND, UNDETERMINED, ColumnarVerdicts
from emulation_rules.engine.compiler import CompiledPlan
from emulation_rules.engine.fact_table import BoolArray, FactTable
from emulation_rules.evaluation.allocation.counting import (
    Ints,
    add_self,
    counts,
    remove_self,
    seat_holds,
    take_holds,
)
from emulation_rules.evaluation.allocation.keys import RankCodes, rank_codes
from emulation_rules.evaluation.allocation.model import Allocation, ShareInfo, Threats
from emulation_rules.evaluation.allocation.spec import (
    AwardSpec,
    attribute_values,
    award_specs,
    value_order,
)
from emulation_rules.inputs.candidates import CandidateIn
from emulation_rules.plan.campaign import Campaign


@attrs.frozen(eq=False)
class _Outcome:
    """One award over every row of the table (all its groups together)."""

    firm: BoolArray
    provisional: BoolArray
    tied: BoolArray
    sure_taken: BoolArray
    maybe_taken: BoolArray
    possible: BoolArray  # seated under the best case: every candidate some completion seats


@attrs.frozen
class _Group:
    label: str | None
    values: dict[str, str | None] | None
    mask: BoolArray


def allocate(
    plan: CompiledPlan,
    table: FactTable,
    verdicts: ColumnarVerdicts,
    candidates: Sequence[CandidateIn],
) -> tuple[Allocation, ...]:
    """Allocate every award of the plan, each after the awards it depends on."""
    n = len(table)
    campaign = plan.campaign
    ids = table.ids
    outcomes: dict[str, _Outcome] = {}
    out: list[Allocation] = []
    for spec in award_specs(plan):
        award = spec.award
        elig = verdicts.awards[spec.index]
        eligible = elig == ELIGIBLE
        undetermined = elig == UNDETERMINED
        earlier = [outcomes[a] for a in award.after]
        holds = _any(n, [o.firm | o.provisional | o.tied | o.sure_taken for o in earlier])
        sure_out = _any(n, [o.sure_taken for o in earlier])
        maybe_out = _any(n, [o.maybe_taken for o in earlier])
        tied_earlier = _any(n, [o.tied for o in earlier])
        seated_earlier = _any(n, [o.firm | o.provisional for o in earlier])
        may = (eligible | undetermined) & ~sure_out
        must = eligible & ~maybe_out
        codes = rank_codes(campaign, award, table, np.flatnonzero(may))
        units = _units(campaign, spec, candidates, n)
        result = _Outcome(*(np.zeros(n, dtype=bool) for _ in range(6)))
        for group in _groups(campaign, spec, table, candidates, elig != OTHER_KIND):
            g = group.mask
            alloc = _allocate_group(
                spec,
                group,
                ids,
                codes,
                units,
                result,
                outcomes,
                earlier_ids=award.after,
                may=may & g,
                must=must & g,
                now=eligible & ~holds & codes.known & g,
                unranked_now=eligible & ~holds & ~codes.known & g,
                undetermined=undetermined & ~holds & g,
                pending=eligible & tied_earlier & ~seated_earlier & g,
                eligible_count=int((eligible & g).sum()),
                open_count=int(((eligible | undetermined) & g).sum()),
            )
            out.append(alloc)
        outcomes[award.id] = result
    return tuple(out)


def _any(n: int, masks: list[BoolArray]) -> BoolArray:
    out = np.zeros(n, dtype=bool)
    for m in masks:
        out |= m
    return out


def _allocate_group(
    spec: AwardSpec,
    group: _Group,
    ids: tuple[str, ...],
    codes: RankCodes,
    units: Ints,
    result: _Outcome,
    outcomes: dict[str, _Outcome],
    *,
    earlier_ids: tuple[str, ...],
    may: BoolArray,
    must: BoolArray,
    now: BoolArray,
    unranked_now: BoolArray,
    undetermined: BoolArray,
    pending: BoolArray,
    eligible_count: int,
    open_count: int,
) -> Allocation:
    award = spec.award
    cap = spec.cap
    g = group.mask
    q_now, q_min, q_max, share = _seats(spec, g, outcomes, eligible_count, open_count)
    best, worst = codes.best, codes.worst
    now_rows = np.flatnonzero(now)
    may_rows = np.flatnonzero(may)
    must_rows = np.flatnonzero(must)

    # --- the allocation on the facts known now ------------------------------------------------
    now_codes = best[now_rows]
    if spec.limited:
        total, own = counts(
            now_codes, units[now_rows], now_codes, units[now_rows], strict=False, cap=cap
        )
        seated_mask = seat_holds(total, own, q_now, cap)
        total, own = counts(
            now_codes, units[now_rows], now_codes, units[now_rows], strict=True, cap=cap
        )
        tied_mask = take_holds(total, own, q_now, cap) & ~seated_mask
        seated_rows = now_rows[seated_mask]
        tied_rows = now_rows[tied_mask]
    else:  # no quota, no cap: every eligible candidate in the pool is seated, ranked or not
        seated_rows = np.concatenate([now_rows, np.flatnonzero(unranked_now)])
        tied_rows = now_rows[:0]

    # --- firm, possible, taken: the worst and the best case -----------------------------------
    if spec.limited:
        total, own = counts(
            best[may_rows],
            units[may_rows],
            worst[must_rows],
            units[must_rows],
            strict=False,
            cap=cap,
        )
        firm_rows = must_rows[seat_holds(total, own, q_min, cap)]
        total, own = counts(
            worst[must_rows],
            units[must_rows],
            best[may_rows],
            units[may_rows],
            strict=False,
            cap=cap,
        )
        counted = must[may_rows] & (worst[may_rows] <= best[may_rows])
        add_self(total, own, ~counted, cap)
        possible_rows = may_rows[seat_holds(total, own, q_max, cap)]
        total, own = counts(
            best[may_rows],
            units[may_rows],
            worst[must_rows],
            units[must_rows],
            strict=True,
            cap=cap,
        )
        remove_self(total, own, best[must_rows] < worst[must_rows], cap)
        sure_rows = must_rows[take_holds(total, own, q_min, cap)]
        total, own = counts(
            worst[must_rows],
            units[must_rows],
            best[may_rows],
            units[may_rows],
            strict=True,
            cap=cap,
        )
        maybe_rows = may_rows[take_holds(total, own, q_max, cap)]
    else:
        firm_rows = sure_rows = must_rows
        possible_rows = maybe_rows = may_rows

    n = len(ids)
    firm = _mask(n, firm_rows)
    seated = _mask(n, seated_rows)
    tied = _mask(n, tied_rows) & ~firm
    provisional = seated & ~firm
    result.firm[firm_rows] = True
    result.provisional[provisional] = True
    result.tied[tied] = True
    result.sure_taken[sure_rows] = True
    result.maybe_taken[maybe_rows] = True
    result.maybe_taken[sure_rows] = True  # the bounds nest; kept so by construction
    result.possible[possible_rows] = True
    result.possible[firm_rows] = True

    # --- the lists ------------------------------------------------------------------------------
    in_rank_order = sorted(now_rows.tolist(), key=lambda i: (int(best[i]), ids[i]))
    awarded = [ids[i] for i in in_rank_order if firm[i]]
    awarded += sorted(ids[i] for i in firm_rows.tolist() if not now[i])
    provisional_rows = [i for i in in_rank_order if provisional[i]]
    provisional_rows += sorted(
        (i for i in np.flatnonzero(provisional & ~now).tolist()), key=lambda i: ids[i]
    )
    reserve = [ids[i] for i in in_rank_order if not (seated[i] or tied[i] or firm[i])]
    ranks: dict[str, int] = {}
    if award.ranking:
        ordered = np.sort(now_codes)
        for i, r in zip(
            now_rows.tolist(),
            (np.searchsorted(ordered, now_codes, side="left") + 1).tolist(),
            strict=True,
        ):
            ranks[ids[i]] = r
        ranks = {ids[i]: ranks[ids[i]] for i in in_rank_order}
    open_rows = np.flatnonzero(_mask(n, possible_rows) & ~firm & ~seated).tolist()
    possible_ids = sorted(ids[i] for i in open_rows)

    threats: dict[str, Threats] = {}
    waits_on: dict[str, tuple[str, ...]] = {}
    if provisional_rows or possible_ids:
        flexible = np.flatnonzero(may & ~now)
        flexible_sorted = sorted(flexible.tolist(), key=lambda i: (int(best[i]), ids[i]))
        flexible_codes = np.array([best[i] for i in flexible_sorted], dtype=np.int64)
        fewer = q_min < q_now
        reach = 0
        for i in provisional_rows:
            if now[i] and spec.limited:
                k = int(np.searchsorted(flexible_codes, best[i], side="right"))
                contenders = tuple(ids[c] for c in flexible_sorted[:k] if c != i)
                reach = max(reach, k)
            else:
                contenders = ()
            threats[ids[i]] = Threats(
                contenders,
                tuple(a for a in earlier_ids if outcomes[a].maybe_taken[i]),
                fewer and spec.limited,
            )
        concerned = set(provisional_rows) | set(flexible_sorted[:reach])
        concerned |= set(open_rows)
        for i in sorted(concerned, key=lambda i: ids[i]):
            awards = tuple(
                a
                for a in earlier_ids
                if outcomes[a].maybe_taken[i] or outcomes[a].provisional[i] or outcomes[a].tied[i]
            )
            if awards:
                waits_on[ids[i]] = awards

    if spec.limited:
        capacity = _capacity(units[may_rows], cap)
        undecided = max(0, min(q_max, capacity) - len(firm_rows))
    else:
        undecided = 0
    return Allocation(
        award=award.id,
        kind=award.award.kind,
        group=group.label,
        quota=q_now if spec.quota is not None else None,
        awarded=tuple(awarded),
        reserve=tuple(reserve),
        tied_at_cutoff=tuple(ids[i] for i in in_rank_order if tied[i]),
        seats_undecided=undecided,
        unranked=tuple(
            sorted(ids[i] for i in np.flatnonzero(unranked_now & ~firm & ~seated).tolist())
        ),
        undetermined=tuple(sorted(ids[i] for i in np.flatnonzero(undetermined).tolist())),
        pending=tuple(sorted(ids[i] for i in np.flatnonzero(pending & ~firm).tolist())),
        provisional=tuple(ids[i] for i in provisional_rows),
        possible=tuple(possible_ids),
        ranks=ranks,
        threats=threats,
        waits_on=waits_on,
        group_values=group.values,
        share=share,
        cap=(spec.cap_by, spec.cap) if spec.cap_by is not None and spec.cap is not None else None,
    )


def _mask(n: int, rows: Ints) -> BoolArray:
    out = np.zeros(n, dtype=bool)
    out[rows] = True
    return out


def _capacity(units: Ints, cap: int | None) -> int:
    """How many of these candidates the cap lets through together."""
    if cap is None:
        return len(units)
    _, sizes = np.unique(units, return_counts=True)
    return int(np.minimum(sizes, cap).sum())


def _seats(
    spec: AwardSpec,
    g: BoolArray,
    outcomes: dict[str, _Outcome],
    eligible_count: int,
    open_count: int,
) -> tuple[int, int, int, ShareInfo | None]:
    """Seats now, at least and at most over every completion (a share moves with its count)."""
    rule = spec.quota
    unlimited = len(g) + 1
    if rule is None:
        return unlimited, unlimited, unlimited, None
    if not rule.is_share:
        count = rule.seats(0)
        return count, count, count, None
    if rule.of == "candidates":
        base_now = base_min = base_max = int(g.sum())
    elif rule.of == "eligible":
        base_now = base_min = eligible_count
        base_max = open_count
    else:
        assert rule.of_award is not None
        other = outcomes[rule.of_award]
        base_min = int((other.firm & g).sum())
        base_now = int(((other.firm | other.provisional) & g).sum())
        base_max = int(((other.firm | other.provisional | other.possible) & g).sum())
    q_now, q_min, q_max = rule.seats(base_now), rule.seats(base_min), rule.seats(base_max)
    assert rule.percent is not None and rule.of is not None and rule.rounding is not None
    info = ShareInfo(rule.percent, rule.of, rule.of_award, rule.rounding, base_now, q_min, q_max)
    return q_now, q_min, q_max, info


def _units(campaign: Campaign, spec: AwardSpec, candidates: Sequence[CandidateIn], n: int) -> Ints:
    """Each row's unit for the cap (a code per value; a candidate without one is its own)."""
    if spec.cap_by is None:
        return np.zeros(n, dtype=np.int64)
    codes: dict[str, int] = {}
    out = np.empty(n, dtype=np.int64)
    for i, value in enumerate(attribute_values(campaign, candidates, spec.cap_by)):
        out[i] = codes.setdefault(value, len(codes)) if value is not None else -1 - i
    return out


def _groups(
    campaign: Campaign,
    spec: AwardSpec,
    table: FactTable,
    candidates: Sequence[CandidateIn],
    of_kind: BoolArray,
) -> list[_Group]:
    """The groups an award's quota applies within, in the plan's order.

    No grouping: one group. Grouped by ``unit_type`` alone: one group per participant unit type,
    empty or not. Otherwise: one group per combination of values that some candidate of the
    award's kind has, labelled by its values joined with ``/`` (a value a candidate does not
    give is left out of the label).
    """
    by = spec.group_by
    if not by:
        return [_Group(None, None, of_kind)]
    if by == ("unit_type",):  # an individual's unit type in the table is its unit's
        codes = table.attributes["unit_type"]
        return [
            _Group(ut, {"unit_type": ut}, of_kind & (codes == k))
            for k, ut in enumerate(campaign.unit_types())
        ]
    columns = [attribute_values(campaign, candidates, attr) for attr in by]
    rows_of: dict[tuple[str | None, ...], list[int]] = {}
    for i in np.flatnonzero(of_kind).tolist():
        rows_of.setdefault(tuple(col[i] for col in columns), []).append(i)
    out = []
    for key in sorted(
        rows_of,
        key=lambda k: tuple(value_order(campaign, a, v) for a, v in zip(by, k, strict=True)),
    ):
        mask = np.zeros(len(of_kind), dtype=bool)
        mask[rows_of[key]] = True
        label = "/".join(v for v in key if v is not None) or "(none)"
        out.append(_Group(label, dict(zip(by, key, strict=True)), mask))
    return out
