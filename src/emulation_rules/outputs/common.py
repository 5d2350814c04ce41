"""What the human-readable writers share: the words for verdicts, eligibility and allocation
statuses, values and facts as a reader sees them, each candidate's place in the allocations,
and every sentence that says which seats are firm, which are provisional and why.

Every sentence is a message of the catalogue (:mod:`emulation_rules.messages`): the writers take
a :class:`~emulation_rules.messages.Messages` (``t``) and say ``t._("…")``. The status words of
the JSON and CSV (``awarded``, ``provisional``…) stay English for programs; people read them in
their language through :func:`status_word`, :func:`verdict_word` and :func:`eligibility_word`,
the same in the table, ``explain``, the workbook, the dossier and ``diff``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from emulation_rules.evaluation.activity import award_span
from emulation_rules.evaluation.allocation.model import Allocation
from emulation_rules.evaluation.explaining import explanation_text
from emulation_rules.evaluation.result import CriterionVerdict, Result
from emulation_rules.messages import Messages
from emulation_rules.plan.campaign import Campaign, Fact
from emulation_rules.plan.citing import citation_dict
from emulation_rules.plan.forms import CATALOGUE, REGIMES, SOURCES

#: how many contenders a sentence names before it says "and N more"
SHOWN_CONTENDERS = 10


def status_word(t: Messages, status: str) -> str:
    """An allocation status (``awarded`` …) as a reader says it."""
    words = {
        "awarded": t._p("allocation", "awarded"),
        "provisional": t._p("allocation", "provisional"),
        "tied_at_cutoff": t._p("allocation", "tied_at_cutoff"),
        "possible": t._p("allocation", "possible"),
        "reserve": t._p("allocation", "reserve"),
        "unranked": t._p("allocation", "unranked"),
        "undetermined": t._p("allocation", "undetermined"),
        "pending": t._p("allocation", "pending"),
    }
    return words.get(status, status)


def verdict_word(t: Messages, verdict: str) -> str:
    """A criterion's verdict (``met`` …) as a reader says it."""
    words = {
        "met": t._p("verdict", "met"),
        "not_met": t._p("verdict", "not met"),
        "unknown": t._p("verdict", "unknown"),
        "not_applicable": t._p("verdict", "not applicable"),
    }
    return words.get(verdict, verdict)


def eligibility_word(t: Messages, state: str) -> str:
    """An award eligibility (``eligible`` …) as a reader says it."""
    words = {
        "eligible": t._p("eligibility", "eligible"),
        "ineligible": t._p("eligibility", "ineligible"),
        "undetermined": t._p("eligibility", "undetermined"),
        "not_applicable": t._p("eligibility", "not applicable"),
    }
    return words.get(state, state)


def kind_word(t: Messages, kind: str) -> str:
    return t._p("kind", "collective") if kind == "collective" else t._p("kind", "individual")


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


def fact_label(campaign: Campaign, column: str, t: Messages) -> str:
    """A fact column as a reader knows it: the plan's label (``unit.x``: of the unit;
    ``x[2023]``: one year of a series); a column that is no fact as it is written."""
    match = _YEAR_COLUMN.match(column)
    if match:
        label = fact_label(campaign, match["column"], t)
        if label == match["column"]:
            return column
        return t._("{label} ({year})").format(label=label, year=match["year"])
    fact_id = column.removeprefix("unit.")
    try:
        label = campaign.fact(fact_id).label
    except KeyError:
        return column
    if column != fact_id:
        return t._("{label} (of the unit)").format(label=label)
    return label


def facts_words(campaign: Campaign, columns: Sequence[str], t: Messages) -> str:
    return ", ".join(fact_label(campaign, c, t) for c in columns)


def group_label(campaign: Campaign, alloc: Allocation) -> str | None:
    """The group of a per-group allocation as a reader knows it: participant labels for unit
    types, the values of attributes, joined by ``/``."""
    if alloc.group is None:
        return None
    if not alloc.group_values:
        return alloc.group
    labels = {p.unit_type: p.label for p in campaign.participants}
    parts = []
    for by, value in alloc.group_values.items():
        if value is None:
            continue
        if by == "unit_type":
            parts.append(labels.get(value, value))
        else:
            parts.append(value)
    return " / ".join(parts) or alloc.group


def award_title(campaign: Campaign, alloc: Allocation) -> str:
    """An allocation's award label, and its group where it has one."""
    label = campaign.award(alloc.award).label
    group = group_label(campaign, alloc)
    return f"{label} — {group}" if group else label


def join_ids(t: Messages, ids: Sequence[str], names: Mapping[str, str] | None = None) -> str:
    """Ids (or names) joined with commas, the first :data:`SHOWN_CONTENDERS`, then how many
    more."""
    shown_ids = list(ids[:SHOWN_CONTENDERS])
    shown = ", ".join(names.get(i, i) if names else i for i in shown_ids)
    if len(ids) <= SHOWN_CONTENDERS:
        return shown
    return t._("{shown} and {more} more").format(shown=shown, more=len(ids) - SHOWN_CONTENDERS)


def _facts_known(t: Messages, labels: list[str]) -> str:
    if len(labels) == 1:
        return t._("{fact} is").format(fact=labels[0])
    return t._("{facts} are").format(facts=", ".join(labels))


def award_labels(campaign: Campaign, awards: Sequence[str]) -> str:
    return ", ".join(campaign.award(a).label for a in awards)


def seat_sentence(
    t: Messages,
    result: Result,
    alloc: Allocation,
    cid: str,
    depends: Mapping[str, Mapping[str, Sequence[str]]],
) -> str:
    """In plain words, why the candidate stands where it does in this allocation."""
    campaign = result.campaign
    status = alloc.status(cid)
    if status is None:
        return t._("not allocated")
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
                t._("{who} could rank at or above it once {facts} known").format(
                    who=join_ids(t, list(threats.contenders)),
                    facts=_facts_known(t, [fact_label(campaign, f, t) for f in facts])
                    if facts
                    else t._("their place is known"),
                )
            )
        if threats is not None and threats.earlier_awards:
            reasons.append(
                t._(
                    "it may still receive {awards}, allocated first (then it leaves this list)"
                ).format(awards=award_labels(campaign, threats.earlier_awards))
            )
        if threats is not None and threats.fewer_seats and alloc.share is not None:
            reasons.append(
                t._("the share may give fewer seats ({low} at least)").format(
                    low=alloc.share.seats_min
                )
            )
        return t._("holds a seat on the facts known now, but {reasons}").format(
            reasons="; ".join(reasons)
        )
    if status == "tied_at_cutoff":
        others = [o for o in alloc.tied_at_cutoff if o != cid]
        return t._n(
            "tied at the cut-off with {others} for {seats} seat: the emulation council decides",
            "tied at the cut-off with {others} for {seats} seats: the emulation council decides",
            alloc.seats_undecided,
        ).format(others=join_ids(t, others), seats=alloc.seats_undecided)
    if status == "possible":
        dep = depends.get(cid, {"facts": [], "awards": []})
        parts = []
        if dep["facts"]:
            labels = [fact_label(campaign, f, t) for f in dep["facts"]]
            parts.append(t._("once {facts} known").format(facts=_facts_known(t, labels)))
        if dep["awards"]:
            parts.append(
                t._("depending on {awards}, allocated first").format(
                    awards=award_labels(campaign, dep["awards"])
                )
            )
        how = (
            "; ".join(parts)
            if parts
            else t._(
                "if a candidate above it leaves for an earlier award, or the share gives more seats"
            )
        )
        return t._("not awarded on the facts known now; could be {how}").format(how=how)
    if status == "unranked":
        i = result.rows[cid]
        award = next(a for a in result.plan.awards if a.id == alloc.award)
        missing = [col for col, _ in award.ranking if not result.table.known[col][i]]
        return t._("eligible, but a ranking fact is missing ({facts}); no seat is certain").format(
            facts=facts_words(campaign, missing, t)
        )
    fixed = {
        "awarded": t._("firm: no completion of the missing facts takes this seat away"),
        "reserve": t._("below the seats"),
        "undetermined": t._(
            "a fact is missing; even if it qualified it would rank below the seats"
        ),
        "pending": t._("tied for an earlier award; waits for the council's decision there"),
    }
    return fixed[status]


def _rounding_word(t: Messages, rounding: str) -> str:
    words = {
        "down": t._p("rounding", "down"),
        "up": t._p("rounding", "up"),
        "half_up": t._p("rounding", "half up"),
    }
    return words.get(rounding, rounding.replace("_", " "))


def quota_words(t: Messages, campaign: Campaign, alloc: Allocation) -> str:
    """The quota as a table's title says it: a count, a share with its rounding, a cap."""
    if alloc.share is not None:
        share = alloc.share
        if share.of == "eligible":
            of = t._("the eligible")
        elif share.of == "candidates":
            of = t._("the candidates")
        else:
            of = t._("the holders of {award}").format(
                award=campaign.award(share.award).label if share.award else ""
            )
        text = t._n(
            "{percent}% of {of} ({base}), rounded {rounding}: {quota} seat",
            "{percent}% of {of} ({base}), rounded {rounding}: {quota} seats",
            alloc.quota or 0,
        ).format(
            percent=t.number(share.percent),
            of=of,
            base=share.base,
            rounding=_rounding_word(t, share.rounding),
            quota=alloc.quota,
        )
    elif alloc.quota is not None:
        text = t._("quota {quota}").format(quota=alloc.quota)
    else:
        text = t._("no quota")
    if alloc.cap is not None:
        by = alloc.cap[0]
        text += ", " + t._("at most {count} per {by}").format(
            by=by_word(t, campaign, by), count=alloc.cap[1]
        )
    return text


def by_word(t: Messages, campaign: Campaign, by: str) -> str:
    """What an allocation groups or caps by, as a reader says it."""
    if by == "unit_id":
        return t._("unit")
    if by == "unit_type":
        return t._("type of unit")
    for attr in campaign.candidate_attributes:
        if attr.id == by:
            return attr.label
    return by


def seats_line(t: Messages, alloc: Allocation) -> str:
    return t._("seats: {firm} firm, {provisional} provisional, {undecided} undecided").format(
        firm=len(alloc.awarded),
        provisional=len(alloc.provisional),
        undecided=alloc.seats_undecided,
    )


def provenance_line(t: Messages, info: Mapping[str, Any]) -> str:
    """Where a value comes from, as one line: year, source, publication date, scale, address."""
    parts = []
    if "year" in info:
        parts.append(t._("figure of {year}").format(year=info["year"]))
    if "source" in info:
        parts.append(str(info["source"]))
    if "published" in info:
        parts.append(t._("published {date}").format(date=t.iso_date(str(info["published"]))))
    if "scale" in info:
        scale = info["scale"]
        parts.append(
            t._("published as {value} on {scale}, ×{factor}").format(
                value=show_value(t, info.get("published_value")),
                scale=scale["label"],
                factor=t.number(scale["factor"]),
            )
        )
    if "url" in info:
        parts.append(str(info["url"]))
    if info.get("not_yet_published"):
        parts.append(t._("not yet published on the as_of date: read as unknown"))
    return "; ".join(parts)


def show_value(t: Messages, value: Any, *, nested: bool = False) -> str:
    """A value as a reader sees it: numbers in the language's form, yes/no, an ISO date as the
    language writes dates, ``—`` missing (``— (missing)`` unless ``nested`` in another value);
    a member count, a distinct count or a series by year in words (:func:`object_words`)."""
    if value is None:
        return "—" if nested else t._("— (missing)")
    if isinstance(value, bool):
        return t._("yes") if value else t._("no")
    if isinstance(value, int | float):
        return t.number(value)
    if isinstance(value, dict):
        return object_words(t, value, nested=nested)
    if isinstance(value, list | tuple):
        return ", ".join(show_value(t, v, nested=True) for v in value)
    if isinstance(value, str) and _ISO_DAY.match(value):
        return t.iso_date(value)
    return str(value)


_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_YEAR = re.compile(r"^[0-9]{4}$")
_MEMBERS = frozenset({"met", "unknown", "members"})
_DISTINCT = frozenset({"distinct", "every_year_known"})


def object_words(t: Messages, value: Mapping[str, Any], *, nested: bool = False) -> str:
    """An object-valued ``observed`` entry in words: a collective's member counts
    (``{met, unknown, members}``), distinct ids counted over years (``{distinct,
    every_year_known}``), a yearly series (``{"2023": …}``, year by year); any other object as
    ``key=value`` pairs (in braces when ``nested``)."""
    keys = set(value)
    if keys == _MEMBERS:
        if not value["unknown"]:
            return t._("{met} of {members} members meet it").format(
                met=t.number(value["met"]), members=t.number(value["members"])
            )
        return t._("{met} of {members} members meet it, {unknown} not decided yet").format(
            met=t.number(value["met"]),
            members=t.number(value["members"]),
            unknown=t.number(value["unknown"]),
        )
    if keys == _DISTINCT:
        if value["every_year_known"]:
            return t._("{n} distinct").format(n=t.number(value["distinct"]))
        return t._("{n} distinct so far, some years not known yet").format(
            n=t.number(value["distinct"])
        )
    if keys and all(_YEAR.match(str(k)) for k in keys):
        return ", ".join(
            t._("{year}: {value}").format(year=k, value=show_value(t, v, nested=True))
            for k, v in value.items()
        )
    inner = ", ".join(f"{k}={show_value(t, v, nested=True)}" for k, v in value.items())
    return f"{{{inner}}}" if nested else inner


def seat_word(t: Messages, seat: str) -> str:
    """A seat another criterion reads (``awarded``, ``not_awarded``, ``undecided``) in words."""
    words = {
        "awarded": t._p("seat", "awarded"),
        "not_awarded": t._p("seat", "not awarded"),
        "undecided": t._p("seat", "undecided"),
    }
    return words.get(seat, seat)


_DISTINCT_KEY = re.compile(r"^distinct\((?P<column>.+), (?P<first>[0-9]{4})–(?P<last>[0-9]{4})\)$")


def observed_label(t: Messages, campaign: Campaign, key: str) -> str:
    """An ``observed`` key as a reader knows it: a fact (or a series) by its label, another
    award's eligibility or seat and another criterion by their labels, members and distinct
    counts in words, a computed quantity under its formula; ``unit.…``: of the unit."""
    fact = _fact(campaign, key)
    if fact is not None:
        if key == fact.id:
            return fact.label
        return t._("{label} (of the unit)").format(label=fact.label)
    bare = key.removeprefix("unit.")
    head, dot, ref = bare.partition(".")
    if dot and head in ("award", "seat", "criterion"):
        if head == "criterion":
            crit = next((c for c in campaign.criteria if c.id == ref), None)
            label = t._("criterion {label}").format(label=crit.label if crit else ref)
        else:
            award = next((a.label for a in campaign.awards if a.id == ref), ref)
            label = (
                t._("eligibility for {award}").format(award=award)
                if head == "award"
                else t._("a seat of {award}").format(award=award)
            )
        return label if bare == key else t._("{label} (of the unit)").format(label=label)
    if key.startswith("members[") and key.endswith("]"):
        return t._("members with [{test}]").format(test=key[len("members[") : -1])
    match = _DISTINCT_KEY.match(key)
    if match:
        counted, minus, excluded = match["column"].partition(" − ")
        name = fact_label(campaign, counted, t)
        if minus:  # count_distinct with 'excluding'
            name = t._("{fact} not counting {excluded}").format(
                fact=name, excluded=fact_label(campaign, excluded, t)
            )
        return t._("{fact} over {first}–{last}").format(
            fact=name,
            first=match["first"],
            last=match["last"],
        )
    return t._("{formula} (computed)").format(formula=key)


def _fact(campaign: Campaign, column: str) -> Fact | None:
    """The fact of a fact column (``x`` or ``unit.x``), or None."""
    fact_id = column.removeprefix("unit.")
    return next((f for f in campaign.facts if f.id == fact_id), None)


def observed_value_words(t: Messages, key: str, value: Any) -> str:
    """An ``observed`` value as a reader sees it: another award's eligibility, a seat and a
    criterion's verdict in words, anything else by :func:`show_value`."""
    head = key.removeprefix("unit.").partition(".")[0]
    if isinstance(value, str) and "." in key.removeprefix("unit."):
        if head == "award":
            return eligibility_word(t, value)
        if head == "seat":
            return seat_word(t, value)
        if head == "criterion":
            return verdict_word(t, value)
    return show_value(t, value)


def missing_observed(t: Messages, campaign: Campaign, observed: Mapping[str, Any]) -> list[str]:
    """What a verdict read that is still missing, as a reader names it: a fact, or a series'
    years (``… in 2023``)."""
    out = []
    for key, value in observed.items():
        if value is None:
            out.append(observed_label(t, campaign, key))
        elif isinstance(value, dict) and value and all(_YEAR.match(str(k)) for k in value):
            label = observed_label(t, campaign, key)
            out += [
                t._("{label} ({year})").format(label=label, year=year)
                for year, v in value.items()
                if v is None
            ]
    return out


def column_words(t: Messages, campaign: Campaign, column: str) -> str:
    """A fact column as a reader knows it (:func:`fact_label`: ``x[2023]`` one year of a
    series, ``unit.x`` of the unit); a column that is no fact (a formula) as it is written."""
    return fact_label(campaign, column, t)


_YEAR_COLUMN = re.compile(r"^(?P<column>.+)\[(?P<year>[0-9]{4})\]$")


def explanation_words(t: Messages, campaign: Campaign, verdict: CriterionVerdict) -> str | None:
    """Why a verdict is what it is, where the values alone do not say it, in ``t``'s language
    (facts by their labels); None when there is nothing to say."""
    if not verdict.reasons:
        return verdict.explanation
    return explanation_text(t, verdict.reasons, lambda col: column_words(t, campaign, col))


def observed_words(t: Messages, campaign: Campaign, observed: Mapping[str, Any]) -> str:
    """What a criterion saw, entry by entry (:func:`observed_label`,
    :func:`observed_value_words`)."""
    return "; ".join(
        f"{observed_label(t, campaign, k)}: {observed_value_words(t, k, v)}"
        for k, v in observed.items()
    )


def inactive_line(t: Messages, result: Result, award_id: str, cid: str) -> str:
    """Why an award is not applicable to a candidate that did not exist during its span."""
    rec = result.validated.records if result.validated is not None else None
    award = next(a for a in result.plan.awards if a.id == award_id)
    if rec is None:
        return eligibility_word(t, "not_applicable")
    i = result.rows[cid]
    af = int(rec.active_from[i]) if rec.active_from is not None else 0
    au = int(rec.active_until[i]) if rec.active_until is not None else 0
    start, end = award_span(result.campaign, award)
    existed = []
    if af:
        existed.append(t._("from {date}").format(date=t.date(dt.date.fromordinal(af))))
    if au:
        existed.append(t._("until {date}").format(date=t.date(dt.date.fromordinal(au))))
    whole = (not af or af <= end.toordinal()) and (not au or au >= start.toordinal())
    template = (
        t._("did not exist for the whole of {start} – {end} (existed {existed})")
        if whole
        else t._("did not exist during {start} – {end} (existed {existed})")
    )
    return template.format(start=t.date(start), end=t.date(end), existed=" ".join(existed))


def citation_words(t: Messages, cite: Mapping[str, Any]) -> str:
    """A citation (as :func:`~emulation_rules.plan.citing.citation_dict` gives it) on one line:
    document, date, issuer, the web address it was read at — clause (or the quote)."""
    date = t.iso_date(cite["date"]) if cite["date"] else t._("date unknown")
    where = cite["clause"] or f"“{cite['quote']}”"
    url = f" ({cite['url']})" if cite.get("url") else ""
    return f"{cite['document']}, {date}, {cite['issuer']}{url} — {where}"


def source_words(t: Messages, campaign: Campaign, key: str) -> str:
    """A source of the plan on one line: kind and number (``(không số)`` when it has none, as
    the JSON's ``document`` says it), date, issuer, the web address it was read at."""
    src = campaign.sources[key]
    date = t.date(src.date) if src.date else t._("date unknown")
    url = f" ({src.url})" if src.url else ""
    return f"{src.document()}, {date}, {src.issuer}{url}"


def category_word(t: Messages, category: str) -> str:
    """A form of award's category (``title``, ``commendation``) as the law names it."""
    words = {
        "title": t._("emulation title"),
        "commendation": t._("form of commendation"),
    }
    return words.get(category, category)


def form_name(campaign: Campaign, form_id: str) -> str:
    """A form of award by its name: the law's Vietnamese name, or the one the campaign gives a
    form it declares."""
    local = next((f for f in campaign.forms if f.id == form_id), None)
    if local is not None:
        return local.label
    form = CATALOGUE.get(form_id)
    return form.label if form is not None else form_id


def form_words(t: Messages, campaign: Campaign, form_id: str) -> str:
    """A form of award on one line: its name (the law's Vietnamese name), its category and
    where the law provides for it in each regime (to 31/12/2023 and from 1/1/2024), or, for a
    form the campaign declares, its citation."""
    local = next((f for f in campaign.forms if f.id == form_id), None)
    if local is not None:
        return t._("{label} ({category}, declared by the plan) · {citation}").format(
            label=local.label,
            category=category_word(t, local.category),
            citation=citation_words(t, citation_dict(campaign, local.citation)),
        )
    form = CATALOGUE[form_id]
    regimes = []
    for regime, (start, end) in REGIMES.items():
        provisions = ", ".join(
            f"{SOURCES[p.source].document()} {p.clause}"
            + ("" if p.confirmed else " " + t._("(unconfirmed)"))
            for p in form.provisions
            if p.regime == regime
        )
        if not provisions:
            continue
        if start is None:
            assert end is not None
            regimes.append(
                t._("to {date}: {provisions}").format(date=t.date(end), provisions=provisions)
            )
        else:
            regimes.append(
                t._("from {date}: {provisions}").format(date=t.date(start), provisions=provisions)
            )
    return f"{form.label} ({category_word(t, form.category)}) · " + "; ".join(regimes)
