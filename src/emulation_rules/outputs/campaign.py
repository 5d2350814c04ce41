"""``show``: a campaign as its plan states it, every element with its citation, in the reader's
language (Vietnamese by default; ids, rules and the plan's own words as written)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from emulation_rules.messages import Messages, messages
from emulation_rules.outputs.common import (
    by_word,
    citation_words,
    form_words,
    kind_word,
    show_value,
    source_words,
)
from emulation_rules.outputs.terminal import Report, safe
from emulation_rules.plan.campaign import Campaign
from emulation_rules.plan.citing import citation_dict


def _level(t: Messages, level: str) -> str:
    words = {
        "province": t._p("level", "province"),
        "district": t._p("level", "district"),
        "commune": t._p("level", "commune"),
    }
    return words.get(level, level)


def render_campaign(
    campaign: Campaign, today: dt.date | None = None, *, lang: str | None = None
) -> str:
    """``show``: legal basis, period, participants, criteria, awards, quotas, parameters."""
    t = messages(lang)
    out = Report()

    def cite(citation: Any) -> str:
        c = citation_dict(campaign, citation)
        word = t._("interpretation") + (" " + t._("(unconfirmed)") if c["unconfirmed"] else "")
        flag = f" [{word}: {c['note']}]" if c["interpretation"] else ""
        return safe(citation_words(t, c) + flag)

    def line(text: str) -> None:
        out.line(safe(text))

    line(f"{campaign.id}: {campaign.title}")
    j = campaign.jurisdiction
    parent = f", {j.parent}" if j.parent else ""
    line(t._("issued by: {name} ({level})").format(name=j.name, level=_level(t, j.level) + parent))
    day = today or dt.date.today()
    successor = j.carried_on_by(day)
    if successor is None:
        line(t._("carried on by: {name} (as of {day})").format(name=j.name, day=t.date(day)))
    else:
        out.line(
            safe(
                t._(
                    "carried on by: {name} since {since} (as of {day}); the plan stays the legal "
                    "act of {issuer}"
                ).format(
                    name=successor.name,
                    since=t.date(successor.since),
                    day=t.date(day),
                    issuer=j.name,
                )
            )
            + " · "
            + cite(successor.citation)
        )
        if successor.note:
            line("    " + t._("note: {note}").format(note=successor.note))
    for key in campaign.legal_basis:
        line(t._("legal basis: {source}").format(source=source_words(t, campaign, key)))
    p = campaign.period
    out.line(
        safe(t._("period: {start} – {end}").format(start=t.date(p.start), end=t.date(p.end)))
        + " · "
        + cite(p.citation)
    )
    for entry in campaign.builds_on:  # national rules composed in (issue 15)
        line(
            t._("builds on: {id} = {awards} of {campaign} (plugin {plugin}, year {year})").format(
                id=entry.id,
                awards=", ".join(entry.awards),
                campaign=entry.campaign or t._("(not composed)"),
                plugin=entry.plugin,
                year=entry.year,
            )
        )
        out.line("      " + t._("source:") + " " + cite(entry.citation))
    if campaign.participants:
        line(t._("participants:"))
    for part in campaign.participants:
        line(f"  {part.unit_type}: {part.label}")
    if campaign.candidate_attributes:
        line(t._("candidate attributes (given under 'attributes', used to group awards):"))
    for attr in campaign.candidate_attributes:
        who = ", ".join(kind_word(t, k) for k in attr.kinds)
        if attr.unit_types:
            who += " " + t._("of unit type {types}").format(types=", ".join(attr.unit_types))
        values = (
            "; " + t._("one of: {values}").format(values=", ".join(attr.values))
            if attr.values
            else ""
        )
        line(f"  {attr.id}: {attr.label} — " + t._("given by {who}").format(who=who) + values)
        out.line("      " + t._("source:") + " " + cite(attr.citation))
    if campaign.content_areas:
        line(t._("content areas:"))
        for area in campaign.content_areas:
            line(f"  {area.id}: {area.label}")
    from emulation_rules.engine.compiler import compile_plan

    # rules are shown with the parameter values in force on the day asked (today by default),
    # kept within the campaign's period
    shown_on = min(max(day, campaign.period.start), campaign.period.end)
    plan = compile_plan(campaign, shown_on)
    if campaign.criteria:
        line(t._("criteria (parameter values in force on {date}):").format(date=t.date(shown_on)))
    for crit, compiled in zip(campaign.criteria, plan.criteria, strict=True):
        line(f"  {crit.id} ({kind_word(t, crit.kind)}): {crit.label}")
        line("      " + t._("rule: {rule}").format(rule=compiled.required))
        if compiled.applies_if:
            line(
                "      "
                + t._("applies if: {guard} (otherwise not applicable)").format(
                    guard=compiled.applies_if
                )
            )
        out.line("      " + t._("source:") + " " + cite(crit.citation))
    if campaign.awards:
        line(t._("awards:"))
    for award in campaign.awards:
        share = award.quota_share
        if award.quota_param:
            quota = t._("quota {value} ({param})").format(
                value=plan.parameters[award.quota_param], param=award.quota_param
            )
        elif share is not None:
            of = (
                t._("the holders of {award}").format(award=share.award)
                if share.award
                else t._("the eligible")
                if share.of == "eligible"
                else t._("the candidates")
            )
            quota = t._(
                "quota {percent}% ({percent_param}) of {of}, rounded {rounding} ({rounding_param})"
            ).format(
                percent=show_value(t, plan.parameters[share.percent_param]),
                percent_param=share.percent_param,
                of=of,
                rounding=str(plan.parameters[share.rounding_param]).replace("_", " "),
                rounding_param=share.rounding_param,
            )
            if share.applies_param is not None:
                switch = share.applies_param
                quota += " " + (
                    t._("only while {param} is true (now: on)")
                    if plan.parameters[switch]
                    else t._("only while {param} is true (now: off, so no quota)")
                ).format(param=switch)
        else:
            quota = t._("no quota")
        if award.group_by():
            quota += " " + t._("within each {by}").format(
                by=", ".join(by_word(t, campaign, b) for b in award.group_by())
            )
        if award.cap is not None:
            quota += ", " + t._("at most {count} ({param}) per {by}").format(
                count=plan.parameters[award.cap.count_param],
                param=award.cap.count_param,
                by=by_word(t, campaign, award.cap.by),
            )
        line(f"  {award.id}: {award.label} — {award.authority}; {quota}")
        line("      " + t._("form: {form}").format(form=form_words(t, campaign, award.form)))
        line("      " + t._("requires: {ids}").format(ids=", ".join(award.requires)))
        if award.after:
            line(
                "      "
                + t._(
                    "after: {ids} (their recipients, and those tied for their last seat, are "
                    "not ranked here)"
                ).format(ids=", ".join(award.after))
            )
        if award.ranking:
            keys = ", ".join(f"{k.fact} {k.order}" for k in award.ranking.keys)
            out.line(
                safe("      " + t._("ranking: {keys}").format(keys=keys))
                + " · "
                + cite(award.ranking.citation)
            )
        parts = (
            (t._("share"), share),
            (t._("groups"), award.groups),
            (t._("cap"), award.cap),
        )
        for what, rule in parts:
            if rule is not None:
                out.line(f"      {what}: " + cite(rule.citation))
        out.line("      " + t._("source:") + " " + cite(award.citation))
    if campaign.targets:
        line(t._("targets (report them with: emulation-rules targets CAMPAIGN MEASURES):"))
        for target in campaign.targets:
            line(f"  {target.id} ({target.kind}): {target.label}")
            line("      " + t._("reads: {measures}").format(measures=", ".join(target.measures())))
            out.line("      " + t._("source:") + " " + cite(target.citation))
    board = campaign.scoreboard
    if board is not None:
        totals = t._("appraised total → {fact}").format(fact=board.total_fact)
        if board.self_total_fact:
            totals += ", " + t._("self-assessed total → {fact}").format(fact=board.self_total_fact)
        out.line(
            safe(
                t._("scoreboard: {label} ({kind}; {totals})").format(
                    label=board.label, kind=kind_word(t, board.kind), totals=totals
                )
            )
            + " · "
            + cite(board.citation)
        )
        for item in board.items:
            bonus = " (" + t._("bonus") + ")" if item.bonus else ""
            line(
                f"  {item.id}: {item.label} — "
                + t._("max {points}").format(points=show_value(t, item.max_points))
                + bonus
            )
            out.line("      " + t._("source:") + " " + cite(item.citation))
    if campaign.parameters:
        line(t._("parameters (override with --override ID=VALUE):"))
        for param in campaign.parameters:
            if param.values is None:
                value = _param_value(t, param.type, param.value)
            else:
                value = "; ".join(
                    t._("from {date}: {value}").format(
                        date=t.date(start), value=_param_value(t, param.type, param.values[start])
                    )
                    for start in sorted(param.values)
                )
            line(f"  {param.id} = {value}: {param.label}")
            out.line("      " + t._("source:") + " " + cite(param.citation))
    return out.text()


def _param_value(t: Messages, kind: str, value: Any) -> str:
    """A parameter's value as the plan writes it; a date (ISO in the plan) as the language
    writes dates."""
    return t.iso_date(str(value)) if kind == "date" else str(value)
