"""What the human-readable writers share: a plain console, values shown as text, each
candidate's place in the allocations, and every sentence the table and ``explain`` use to say
which seats are firm, which are provisional and why.

The words and sentences of the allocation live here, in one place (``PHRASES``), so that they
can move to a message catalogue whole. A candidate's status is always one of the words of
:data:`~emulation_rules.evaluation.allocation.model.STATUSES`, the same in the table, JSON, CSV
and ``explain``.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import attrs
from rich.console import Console

from emulation_rules.evaluation.activity import inactive_reason
from emulation_rules.evaluation.allocation.model import Allocation
from emulation_rules.evaluation.result import Result

#: how many contenders a sentence names before it says "and N more"
SHOWN_CONTENDERS = 10

PHRASES: dict[str, str] = {
    "awarded": "firm: no completion of the missing facts takes this seat away",
    "provisional": "holds a seat on the facts known now, but {reasons}",
    "threat.contenders": "{who} could rank at or above it once {facts} known",
    "threat.earlier": "it may still receive {awards}, allocated first (then it leaves this list)",
    "threat.fewer": "the share may give fewer seats ({low} at least)",
    "tied_at_cutoff": (
        "tied at the cut-off with {others} for {seats} seat(s): the emulation council decides"
    ),
    "possible": "not awarded on the facts known now; could be {how}",
    "possible.facts": "once {facts} known",
    "possible.awards": "depending on {awards}, allocated first",
    "possible.other": (
        "if a candidate above it leaves for an earlier award, or the share gives more seats"
    ),
    "reserve": "below the seats",
    "unranked": "eligible, but a ranking fact is missing ({facts}); no seat is certain",
    "undetermined": "a fact is missing; even if it qualified it would rank below the seats",
    "pending": "tied for an earlier award; waits for the council's decision there",
    "none": "not allocated",
    "seats": "seats: {firm} firm, {provisional} provisional, {undecided} undecided",
    "missing_is": "{fact} is",
    "missing_are": "{facts} are",
    "missing_none": "their place is known",
    "more": "{shown} and {more} more",
    "title.quota": "quota {quota}",
    "title.no_quota": "no quota",
    "title.share": "{percent}% of {of} ({base}), rounded {rounding}: {quota} seat(s)",
    "title.cap": "at most {count} per {by}",
    "possible.line": "possible (some completion of the missing facts awards it): {ids}",
    "tied.line": "{ids}: tied at the cut-off for {seats} seat(s): the emulation council decides",
    "undetermined.line": "undetermined, but below the seats whatever the missing facts: {ids}",
}

#: how a share names the count it is taken of
SHARE_OF = {
    "eligible": "the eligible",
    "candidates": "the candidates",
    "award": "the holders of {award}",
}


@attrs.frozen
class Place:
    """One candidate's place in one award's allocation."""

    allocation: Allocation
    status: str
    rank: int | None


def allocation_status(result: Result) -> dict[tuple[str, str], Place]:
    """(award id, candidate id) -> the candidate's place there, for every listed candidate."""
    out: dict[tuple[str, str], Place] = {}
    for alloc in result.allocations:
        for word in ("awarded", "provisional", "tied_at_cutoff", "possible", "reserve"):
            for cid in getattr(alloc, word):
                out.setdefault((alloc.award, cid), _place(alloc, cid))
        for word in ("unranked", "undetermined", "pending"):
            for cid in getattr(alloc, word):
                out.setdefault((alloc.award, cid), _place(alloc, cid))
    return out


def _place(alloc: Allocation, cid: str) -> Place:
    status = alloc.status(cid)
    assert status is not None
    return Place(alloc, status, alloc.ranks.get(cid))


def show_rank(rank: int | None) -> str:
    return str(rank) if rank is not None else "—"


def join_ids(ids: list[str] | tuple[str, ...]) -> str:
    """Ids joined with commas, the first :data:`SHOWN_CONTENDERS` only, then how many more."""
    shown = ", ".join(ids[:SHOWN_CONTENDERS])
    if len(ids) <= SHOWN_CONTENDERS:
        return shown
    return PHRASES["more"].format(shown=shown, more=len(ids) - SHOWN_CONTENDERS)


def _facts_known(facts: list[str]) -> str:
    if len(facts) == 1:
        return PHRASES["missing_is"].format(fact=facts[0])
    return PHRASES["missing_are"].format(facts=", ".join(facts))


def seat_sentence(
    result: Result, alloc: Allocation, cid: str, depends: dict[str, dict[str, list[str]]]
) -> str:
    """In plain words, why the candidate stands where it does in this allocation."""
    status = alloc.status(cid)
    if status is None:
        return PHRASES["none"]
    if status == "provisional":
        threats = alloc.threats.get(cid)
        reasons: list[str] = []
        if threats is not None and threats.contenders:
            facts: list[str] = []
            for other in threats.contenders:
                for f in depends.get(other, {}).get("facts", []):
                    if f not in facts:
                        facts.append(f)
            reasons.append(
                PHRASES["threat.contenders"].format(
                    who=join_ids(list(threats.contenders)),
                    facts=_facts_known(facts) if facts else PHRASES["missing_none"],
                )
            )
        if threats is not None and threats.earlier_awards:
            reasons.append(
                PHRASES["threat.earlier"].format(awards=", ".join(threats.earlier_awards))
            )
        if threats is not None and threats.fewer_seats and alloc.share is not None:
            reasons.append(PHRASES["threat.fewer"].format(low=alloc.share.seats_min))
        return PHRASES["provisional"].format(reasons="; ".join(reasons))
    if status == "tied_at_cutoff":
        others = [o for o in alloc.tied_at_cutoff if o != cid]
        return PHRASES["tied_at_cutoff"].format(
            others=join_ids(others), seats=alloc.seats_undecided
        )
    if status == "possible":
        dep = depends.get(cid, {"facts": [], "awards": []})
        parts = []
        if dep["facts"]:
            parts.append(PHRASES["possible.facts"].format(facts=_facts_known(dep["facts"])))
        if dep["awards"]:
            parts.append(PHRASES["possible.awards"].format(awards=", ".join(dep["awards"])))
        how = "; ".join(parts) if parts else PHRASES["possible.other"]
        return PHRASES["possible"].format(how=how)
    if status == "unranked":
        i = result.rows[cid]
        award = next(a for a in result.plan.awards if a.id == alloc.award)
        missing = [col for col, _ in award.ranking if not result.table.known[col][i]]
        return PHRASES["unranked"].format(facts=", ".join(missing))
    return PHRASES[status]


def quota_words(alloc: Allocation) -> str:
    """The quota as the table's title says it: a count, a share with its rounding, a cap."""
    if alloc.share is not None:
        share = alloc.share
        text = PHRASES["title.share"].format(
            percent=show_value(share.percent),
            of=SHARE_OF[share.of].format(award=share.award),
            base=share.base,
            rounding=share.rounding.replace("_", " "),
            quota=alloc.quota,
        )
    elif alloc.quota is not None:
        text = PHRASES["title.quota"].format(quota=alloc.quota)
    else:
        text = PHRASES["title.no_quota"]
    if alloc.cap is not None:
        text += ", " + PHRASES["title.cap"].format(by=alloc.cap[0], count=alloc.cap[1])
    return text


def seats_line(alloc: Allocation) -> str:
    return PHRASES["seats"].format(
        firm=len(alloc.awarded),
        provisional=len(alloc.provisional),
        undecided=alloc.seats_undecided,
    )


def plain_console(buffer: io.StringIO) -> Console:
    return Console(
        file=buffer,
        width=120,
        color_system=None,
        force_terminal=False,
        markup=False,
        soft_wrap=True,
    )


def provenance_line(info: Mapping[str, Any]) -> str:
    """Where a value comes from, as one line: year, source, publication date, scale, address."""
    parts = []
    if "year" in info:
        parts.append(f"figure of {info['year']}")
    if "source" in info:
        parts.append(str(info["source"]))
    if "published" in info:
        parts.append(f"published {info['published']}")
    if "scale" in info:
        scale = info["scale"]
        parts.append(
            f"published as {show_value(info.get('published_value'))} on {scale['label']}, "
            f"×{scale['factor']:g}"
        )
    if "url" in info:
        parts.append(str(info["url"]))
    if info.get("not_yet_published"):
        parts.append("not yet published on the as_of date: read as unknown")
    return "; ".join(parts)


def show_value(value: Any, *, nested: bool = False) -> str:
    if value is None:
        return "—" if nested else "— (missing)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        inner = ", ".join(
            f"{k}={show_value(v, nested=nested or isinstance(v, dict))}" for k, v in value.items()
        )
        return f"{{{inner}}}" if nested else inner
    return str(value)


def inactive_line(result: Result, award_id: str, cid: str) -> str:
    """Why an award is not applicable to a candidate that did not exist during its span."""
    rec = result.validated.records if result.validated is not None else None
    award = next(a for a in result.plan.awards if a.id == award_id)
    if rec is None:
        return "not applicable"
    i = result.rows[cid]
    af = int(rec.active_from[i]) if rec.active_from is not None else 0
    au = int(rec.active_until[i]) if rec.active_until is not None else 0
    return inactive_reason(result.campaign, award, af, au)
