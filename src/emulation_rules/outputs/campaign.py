"""``show``: a campaign as its plan states it, every element with its citation."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from emulation_rules.outputs.common import plain_console, show_value
from emulation_rules.plan.campaign import Campaign
from emulation_rules.plan.citing import citation_dict, citation_line, form_line


def render_campaign(campaign: Campaign, today: dt.date | None = None) -> str:
    """``show``: legal basis, period, participants, criteria, awards, quotas, parameters."""
    buffer = io.StringIO()
    con = plain_console(buffer)

    def cite(citation: Any) -> str:
        c = citation_dict(campaign, citation)
        flag = " [interpretation: " + c["note"] + "]" if c["interpretation"] else ""
        return f"{citation_line(c)}{flag}"

    con.print(f"{campaign.id}: {campaign.title}")
    j = campaign.jurisdiction
    parent = f", {j.parent}" if j.parent else ""
    con.print(f"issued by: {j.name} ({j.level}{parent})")
    day = today or dt.date.today()
    successor = j.carried_on_by(day)
    if successor is None:
        con.print(f"carried on by: {j.name} (as of {day.isoformat()})")
    else:
        con.print(
            f"carried on by: {successor.name} since {successor.since.isoformat()} (as of "
            f"{day.isoformat()}); the plan stays the legal act of {j.name} · "
            f"{cite(successor.citation)}"
        )
        if successor.note:
            con.print(f"    note: {successor.note}")
    for key in campaign.legal_basis:
        con.print(f"legal basis: {campaign.sources[key].label()}")
    p = campaign.period
    con.print(f"period: {p.start.isoformat()} – {p.end.isoformat()} · {cite(p.citation)}")
    if campaign.participants:
        con.print("participants:")
    for part in campaign.participants:
        con.print(f"  {part.unit_type}: {part.label}")
    if campaign.candidate_attributes:
        con.print("candidate attributes (given under 'attributes', used to group awards):")
    for attr in campaign.candidate_attributes:
        who = " and ".join(f"{k}s" for k in attr.kinds)
        if attr.unit_types:
            who += f" of unit type {', '.join(attr.unit_types)}"
        values = f"; one of: {', '.join(attr.values)}" if attr.values else ""
        con.print(f"  {attr.id}: {attr.label} — given by {who}{values}")
        con.print(f"      source: {cite(attr.citation)}")
    if campaign.content_areas:
        con.print("content areas:")
        for area in campaign.content_areas:
            con.print(f"  {area.id}: {area.label}")
    from emulation_rules.engine.compiler import compile_plan

    # rules are shown with the parameter values in force on the day asked (today by default),
    # kept within the campaign's period
    shown_on = min(max(day, campaign.period.start), campaign.period.end)
    plan = compile_plan(campaign, shown_on)
    if campaign.criteria:
        con.print(f"criteria (parameter values in force on {shown_on.isoformat()}):")
    for crit, compiled in zip(campaign.criteria, plan.criteria, strict=True):
        con.print(f"  {crit.id} ({crit.kind}): {crit.label}")
        con.print(f"      rule: {compiled.required}")
        if compiled.applies_if:
            con.print(f"      applies if: {compiled.applies_if} (otherwise not_applicable)")
        con.print(f"      source: {cite(crit.citation)}")
    if campaign.awards:
        con.print("awards:")
    for award in campaign.awards:
        share = award.quota_share
        if award.quota_param:
            quota = f"quota {plan.parameters[award.quota_param]} ({award.quota_param})"
        elif share is not None:
            of = f"the holders of {share.award}" if share.award else f"the {share.of}"
            quota = (
                f"quota {show_value(plan.parameters[share.percent_param])}% "
                f"({share.percent_param}) of {of}, rounded "
                f"{str(plan.parameters[share.rounding_param]).replace('_', ' ')} "
                f"({share.rounding_param})"
            )
        else:
            quota = "no quota"
        if award.group_by():
            quota += f" within each {' and '.join(award.group_by())}"
        if award.cap is not None:
            quota += (
                f", at most {plan.parameters[award.cap.count_param]} "
                f"({award.cap.count_param}) per {award.cap.by}"
            )
        con.print(f"  {award.id}: {award.label} — {award.authority}; {quota}")
        con.print(f"      form: {form_line(campaign, award.form)}")
        con.print(f"      requires: {', '.join(award.requires)}")
        if award.after:
            con.print(
                f"      after: {', '.join(award.after)} (their recipients, and those tied for "
                "their last seat, are not ranked here)"
            )
        if award.ranking:
            keys = ", ".join(f"{k.fact} {k.order}" for k in award.ranking.keys)
            con.print(f"      ranking: {keys} · {cite(award.ranking.citation)}")
        parts = (("share", share), ("groups", award.groups), ("cap", award.cap))
        for what, rule in parts:
            if rule is not None:
                con.print(f"      {what}: {cite(rule.citation)}")
        con.print(f"      source: {cite(award.citation)}")
    if campaign.targets:
        con.print("targets (report them with: emulation-rules targets CAMPAIGN MEASURES):")
        for target in campaign.targets:
            con.print(f"  {target.id} ({target.kind}): {target.label}")
            con.print(f"      reads: {', '.join(target.measures())}")
            con.print(f"      source: {cite(target.citation)}")
    board = campaign.scoreboard
    if board is not None:
        con.print(
            f"scoreboard: {board.label} ({board.kind}s; appraised total → {board.total_fact}"
            + (f", self-assessed total → {board.self_total_fact}" if board.self_total_fact else "")
            + f") · {cite(board.citation)}"
        )
        for item in board.items:
            bonus = " (bonus)" if item.bonus else ""
            con.print(f"  {item.id}: {item.label} — max {show_value(item.max_points)}{bonus}")
            con.print(f"      source: {cite(item.citation)}")
    if campaign.parameters:
        con.print("parameters (override with --override ID=VALUE):")
        for param in campaign.parameters:
            if param.values is None:
                value = str(param.value)
            else:
                value = "; ".join(
                    f"from {start.isoformat()}: {param.values[start]}"
                    for start in sorted(param.values)
                )
            con.print(f"  {param.id} = {value}: {param.label}")
            con.print(f"      source: {cite(param.citation)}")
    return buffer.getvalue()
