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

from collections.abc import Callable

import attrs
import numpy as np
import polars as pl

from emulation_rules.engine.columnar import (
    AWARD_NOT_APPLICABLE,
    ELIGIBLE,
    OTHER_KIND,
    UNDETERMINED,
    ColumnarVerdicts,
)
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
from emulation_rules.inputs.validated import Records
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


@attrs.frozen(eq=False)
class _Group:
    label: str | None
    values: dict[str, str | None] | None
    rows: Ints  # the table rows of the group's candidates, ascending


@attrs.frozen(eq=False)
class _Pool:
    """Who competes for one award, over every row of the table (see ``allocate``)."""

    may: BoolArray  # eligible or undetermined, and not surely taken by an earlier award
    must: BoolArray  # eligible, and never taken by an earlier award
    now: BoolArray  # eligible, ranked, not held by an earlier award now
    unranked_now: BoolArray  # eligible, a ranking fact missing, not held by an earlier award
    undetermined: BoolArray  # undetermined, not held by an earlier award now
    pending: BoolArray  # eligible, tied for an earlier award (and seated in none)
    eligible: BoolArray
    open: BoolArray  # eligible or undetermined


@attrs.frozen(eq=False)
class SeatBounds:
    """Where every row of the table stands in one award over every completion of the missing
    facts (all its groups together): what :mod:`emulation_rules.evaluation.seats` reads."""

    firm: BoolArray
    """seated under every completion (the ``awarded`` lists)"""
    maybe: BoolArray
    """seated or tied at the cut-off under some completion (a superset of ``firm``)"""


def allocate(
    plan: CompiledPlan,
    table: FactTable,
    verdicts: ColumnarVerdicts,
    records: Records,
) -> tuple[Allocation, ...]:
    """Allocate every award of the plan, each after the awards it depends on.

    ``records`` are the candidates' own fields, row by row of ``table`` (the grouping
    attributes are read from them). A candidate to which an award is ``not_applicable`` (it did
    not exist during the award's span) takes no part in it: neither eligible nor undetermined,
    in no group, counted in no share."""
    return allocate_with_bounds(plan, table, verdicts, records)[0]


def allocate_with_bounds(
    plan: CompiledPlan,
    table: FactTable,
    verdicts: ColumnarVerdicts,
    records: Records,
) -> tuple[tuple[Allocation, ...], dict[str, SeatBounds]]:
    """:func:`allocate`, and each award's :class:`SeatBounds` by award id."""
    n = len(table)
    campaign = plan.campaign
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
        codes = rank_codes(campaign, award, table, np.flatnonzero(may))
        pool = _Pool(
            may=may,
            must=eligible & ~maybe_out,
            now=eligible & ~holds & codes.known,
            unranked_now=eligible & ~holds & ~codes.known,
            undetermined=undetermined & ~holds,
            pending=eligible & tied_earlier & ~seated_earlier,
            eligible=eligible,
            open=eligible | undetermined,
        )
        units = _units(campaign, spec, table, records)
        result = _Outcome(*(np.zeros(n, dtype=bool) for _ in range(6)))
        takes_part = (elig != OTHER_KIND) & (elig != AWARD_NOT_APPLICABLE)
        for group in _groups(campaign, spec, table, records, takes_part):
            out.append(
                _allocate_group(spec, group, table.ids, codes, units, pool, result, outcomes)
            )
        outcomes[award.id] = result
    bounds = {
        aid: SeatBounds(o.firm, o.maybe_taken | o.firm | o.provisional | o.tied | o.possible)
        for aid, o in outcomes.items()
    }
    return tuple(out), bounds


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
    pool: _Pool,
    result: _Outcome,
    outcomes: dict[str, _Outcome],
) -> Allocation:
    """One group of one award. Arrays here are the group's own (local index ``i`` is table row
    ``rows[i]``), so a group costs in proportion to its size, however many groups there are."""
    award = spec.award
    cap = spec.cap
    rows = group.rows
    may, must, now = pool.may[rows], pool.must[rows], pool.now[rows]
    unranked_now, undetermined = pool.unranked_now[rows], pool.undetermined[rows]
    pending = pool.pending[rows]
    best, worst, unit = codes.best[rows], codes.worst[rows], units[rows]
    q_now, q_min, q_max, share = _seats(spec, rows, pool, outcomes)
    m = len(rows)
    now_idx = np.flatnonzero(now)
    may_idx = np.flatnonzero(may)
    must_idx = np.flatnonzero(must)

    # --- the allocation on the facts known now ------------------------------------------------
    now_codes, now_units = best[now_idx], unit[now_idx]
    if spec.limited:
        total, own = counts(now_codes, now_units, now_codes, now_units, strict=False, cap=cap)
        seated_here = seat_holds(total, own, q_now, cap)
        total, own = counts(now_codes, now_units, now_codes, now_units, strict=True, cap=cap)
        tied_idx = now_idx[take_holds(total, own, q_now, cap) & ~seated_here]
        seated_idx = now_idx[seated_here]
    else:  # no quota, no cap: every eligible candidate in the pool is seated, ranked or not
        seated_idx = np.concatenate([now_idx, np.flatnonzero(unranked_now)])
        tied_idx = now_idx[:0]

    # --- firm, possible, taken: the worst and the best case -----------------------------------
    if spec.limited:
        may_best, may_units = best[may_idx], unit[may_idx]
        must_worst, must_units = worst[must_idx], unit[must_idx]
        total, own = counts(may_best, may_units, must_worst, must_units, strict=False, cap=cap)
        firm_idx = must_idx[seat_holds(total, own, q_min, cap)]
        total, own = counts(must_worst, must_units, may_best, may_units, strict=False, cap=cap)
        counted = must[may_idx] & (worst[may_idx] <= may_best)
        add_self(total, own, ~counted, cap)
        possible_idx = may_idx[seat_holds(total, own, q_max, cap)]
        total, own = counts(may_best, may_units, must_worst, must_units, strict=True, cap=cap)
        remove_self(total, own, best[must_idx] < must_worst, cap)
        sure_idx = must_idx[take_holds(total, own, q_min, cap)]
        total, own = counts(must_worst, must_units, may_best, may_units, strict=True, cap=cap)
        maybe_idx = may_idx[take_holds(total, own, q_max, cap)]
    else:
        firm_idx = sure_idx = must_idx
        possible_idx = maybe_idx = may_idx

    firm = _mask(m, firm_idx)
    seated = _mask(m, seated_idx)
    tied = _mask(m, tied_idx) & ~firm
    provisional = seated & ~firm
    result.firm[rows[firm_idx]] = True
    result.provisional[rows[provisional]] = True
    result.tied[rows[tied]] = True
    result.sure_taken[rows[sure_idx]] = True
    result.maybe_taken[rows[maybe_idx]] = True
    result.maybe_taken[rows[sure_idx]] = True  # the bounds nest; kept so by construction
    result.possible[rows[possible_idx]] = True
    result.possible[rows[firm_idx]] = True

    # --- the lists ------------------------------------------------------------------------------
    names = [ids[r] for r in rows.tolist()]
    name: Callable[[int], str] = names.__getitem__

    def by_id(mask: BoolArray) -> tuple[str, ...]:
        return tuple(sorted(map(name, np.flatnonzero(mask).tolist())))

    in_rank_order = _rank_order(now_idx, best, name)
    order = np.array(in_rank_order, dtype=np.int64)

    def ranked(mask: BoolArray) -> list[str]:
        """The candidates of ``mask``, in rank order."""
        return list(map(name, order[mask[order]].tolist()))

    awarded = ranked(firm)
    awarded += by_id(firm & ~now)
    provisional_idx = [i for i in in_rank_order if provisional[i]]
    provisional_idx += sorted(np.flatnonzero(provisional & ~now).tolist(), key=name)
    ranks: dict[str, int] = {}
    if award.ranking:
        place = np.searchsorted(np.sort(now_codes), best, side="left") + 1
        ranks = dict(zip(map(name, in_rank_order), place[order].tolist(), strict=True))
    open_mask = _mask(m, possible_idx) & ~firm & ~seated

    threats: dict[str, Threats] = {}
    waits_on: dict[str, tuple[str, ...]] = {}
    if provisional_idx or open_mask.any():
        flexible = _rank_order(np.flatnonzero(may & ~now), best, name)
        flexible_codes = best[np.array(flexible, dtype=np.int64)] if flexible else best[:0]
        fewer = spec.limited and q_min < q_now
        reach = 0
        for i in provisional_idx:
            contenders: tuple[str, ...] = ()
            if now[i] and spec.limited:
                k = int(np.searchsorted(flexible_codes, best[i], side="right"))
                contenders = tuple(name(c) for c in flexible[:k] if c != i)
                reach = max(reach, k)
            earlier = tuple(a for a in award.after if outcomes[a].maybe_taken[rows[i]])
            threats[name(i)] = Threats(contenders, earlier, fewer)
        concerned = set(provisional_idx) | set(flexible[:reach])
        concerned |= set(np.flatnonzero(open_mask).tolist())
        for i in concerned:
            r = rows[i]
            waits = tuple(
                a
                for a in award.after
                if outcomes[a].maybe_taken[r] or outcomes[a].provisional[r] or outcomes[a].tied[r]
            )
            if waits:
                waits_on[name(i)] = waits
        waits_on = dict(sorted(waits_on.items()))

    undecided = 0
    if spec.limited:
        undecided = max(0, min(q_max, _capacity(unit[may_idx], cap)) - len(firm_idx))
    return Allocation(
        award=award.id,
        kind=award.award.kind,
        group=group.label,
        quota=q_now if spec.quota is not None else None,
        awarded=tuple(awarded),
        reserve=tuple(ranked(~(seated | tied | firm))),
        tied_at_cutoff=tuple(ranked(tied)),
        seats_undecided=undecided,
        unranked=by_id(unranked_now & ~firm & ~seated),
        undetermined=by_id(undetermined),
        pending=by_id(pending & ~firm),
        provisional=tuple(name(i) for i in provisional_idx),
        possible=by_id(open_mask),
        ranks=ranks,
        threats=threats,
        waits_on=waits_on,
        group_values=group.values,
        share=share,
        cap=(spec.cap_by, spec.cap) if spec.cap_by is not None and spec.cap is not None else None,
    )


def _rank_order(idx: Ints, codes: Ints, name: Callable[[int], str]) -> list[int]:
    """``idx`` by rank code, and by id among equal codes (for display only)."""
    order = idx[np.argsort(codes[idx], kind="stable")]
    ranked = codes[order]
    out: list[int] = order.tolist()
    if len(order) < 2:
        return out
    # runs of equal codes longer than one are put in id order
    edges = np.flatnonzero(ranked[1:] != ranked[:-1]) + 1
    starts = np.concatenate([[0], edges])
    ends = np.concatenate([edges, [len(order)]])
    for a, b in zip(
        starts[ends - starts > 1].tolist(), ends[ends - starts > 1].tolist(), strict=True
    ):
        out[a:b] = sorted(out[a:b], key=name)
    return out


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
    spec: AwardSpec, rows: Ints, pool: _Pool, outcomes: dict[str, _Outcome]
) -> tuple[int, int, int, ShareInfo | None]:
    """Seats now, at least and at most over every completion (a share moves with its count)."""
    rule = spec.quota
    unlimited = len(pool.may) + 1
    if rule is None:
        return unlimited, unlimited, unlimited, None
    if not rule.is_share:
        count = rule.seats(0)
        return count, count, count, None
    if rule.of == "candidates":
        base_now = base_min = base_max = len(rows)
    elif rule.of == "eligible":
        base_now = base_min = int(pool.eligible[rows].sum())
        base_max = int(pool.open[rows].sum())
    else:
        assert rule.of_award is not None
        other = outcomes[rule.of_award]
        firm, provisional = other.firm[rows], other.provisional[rows]
        base_min = int(firm.sum())
        base_now = int((firm | provisional).sum())
        base_max = int((firm | provisional | other.possible[rows]).sum())
    q_now, q_min, q_max = rule.seats(base_now), rule.seats(base_min), rule.seats(base_max)
    assert rule.percent is not None and rule.of is not None and rule.rounding is not None
    info = ShareInfo(rule.percent, rule.of, rule.of_award, rule.rounding, base_now, q_min, q_max)
    return q_now, q_min, q_max, info


def _units(campaign: Campaign, spec: AwardSpec, table: FactTable, records: Records) -> Ints:
    """Each row's unit for the cap (a code per value; a candidate without one is its own)."""
    n = len(table)
    if spec.cap_by is None:
        return np.zeros(n, dtype=np.int64)
    values = pl.Series(attribute_values(campaign, table, records, spec.cap_by), dtype=pl.String)
    codes = values.rank("dense").to_numpy(allow_copy=True)  # equal values, equal codes; ≥ 1
    alone = values.is_null().to_numpy()
    return np.where(alone, -1 - np.arange(n, dtype=np.int64), np.nan_to_num(codes)).astype(np.int64)


def _groups(
    campaign: Campaign,
    spec: AwardSpec,
    table: FactTable,
    records: Records,
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
        return [_Group(None, None, np.flatnonzero(of_kind))]
    if by == ("unit_type",):  # an individual's unit type in the table is its unit's
        codes = table.attributes["unit_type"]
        return [
            _Group(ut, {"unit_type": ut}, np.flatnonzero(of_kind & (codes == k)))
            for k, ut in enumerate(campaign.unit_types())
        ]
    columns = [attribute_values(campaign, table, records, attr) for attr in by]
    rows_of: dict[tuple[str | None, ...], list[int]] = {}
    for i in np.flatnonzero(of_kind).tolist():
        rows_of.setdefault(tuple(col[i] for col in columns), []).append(i)
    out = []
    for key in sorted(
        rows_of,
        key=lambda k: tuple(value_order(campaign, a, v) for a, v in zip(by, k, strict=True)),
    ):
        label = "/".join(v for v in key if v is not None) or "(none)"
        rows = np.array(rows_of[key], dtype=np.int64)
        out.append(_Group(label, dict(zip(by, key, strict=True)), rows))
    return out
