"""``diff``: what changed between two results, as text in the reader's language (JSON is
:meth:`~emulation_rules.evaluation.diff.ResultDiff.to_dict`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulation_rules.evaluation.diff import (
    CandidateChange,
    CriterionChange,
    PlaceChange,
    ResultDiff,
)
from emulation_rules.evaluation.explaining import explanation_text
from emulation_rules.messages import Messages, messages
from emulation_rules.outputs.common import (
    column_words,
    eligibility_word,
    observed_label,
    observed_value_words,
    show_value,
    status_word,
    verdict_word,
)
from emulation_rules.outputs.terminal import Report, safe
from emulation_rules.plan.campaign import Campaign


def _pair(t: Messages, before: Any, after: Any) -> str:
    return f"{show_value(t, before)} → {show_value(t, after)}"


def _place(t: Messages, status: str | None, rank: int | None) -> str:
    if status is None:
        return t._("not listed")
    text = status_word(t, status)
    if rank is not None:
        text += " " + t._("(rank {rank})").format(rank=rank)
    return text


def _eligibility(t: Messages, state: str | None) -> str:
    return eligibility_word(t, state) if state else t._("not judged")


def _award_line(t: Messages, award_labels: Mapping[str, str], p: PlaceChange) -> str:
    label = award_labels.get(p.award, p.award)
    parts = []
    if p.eligibility_before != p.eligibility_after:
        parts.append(
            f"{_eligibility(t, p.eligibility_before)} → {_eligibility(t, p.eligibility_after)}"
        )
    before = _place(t, p.status_before, p.rank_before)
    after = _place(t, p.status_after, p.rank_after)
    if before != after:
        parts.append(f"{before} → {after}")
    if p.group_before != p.group_after:
        parts.append(
            t._("group {before} → {after}").format(
                before=p.group_before or "—", after=p.group_after or "—"
            )
        )
    return f"{safe(label)}: " + "; ".join(parts)


def _value_changes(
    t: Messages, campaign: Campaign | None, key: str, before: Any, after: Any
) -> list[tuple[str, str]]:
    """(what, before → after) for one ``observed`` entry that changed: a series year by year
    (only the years that changed), anything else whole, in words."""
    label = observed_label(t, campaign, key) if campaign is not None else key
    if _by_year(before) and _by_year(after):
        years = [*after, *(y for y in before if y not in after)]
        return [
            (
                t._("{label} ({year})").format(label=label, year=year),
                _pair(t, before.get(year), after.get(year)),
            )
            for year in years
            if before.get(year) != after.get(year)
        ]
    words = f"{observed_value_words(t, key, before)} → {observed_value_words(t, key, after)}"
    return [(label, words)]


def _by_year(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(str(k).isdigit() for k in value)


def _because(t: Messages, change: CandidateChange, campaign: Campaign | None) -> list[str]:
    lines = []
    for c in change.criteria:
        lines.append(
            safe(
                f"{c.id} ({c.label}): "
                f"{verdict_word(t, c.verdict_before or '—')} → "
                f"{verdict_word(t, c.verdict_after or '—')}"
            )
        )
        keys = [*c.observed_after, *(k for k in c.observed_before if k not in c.observed_after)]
        for key in keys:
            b, a = c.observed_before.get(key), c.observed_after.get(key)
            if b != a:
                for what, pair in _value_changes(t, campaign, key, b, a):
                    lines.append("    " + safe(f"{what}: {pair}"))
        if c.required_before != c.required_after:
            lines.append(
                "    "
                + t._("required: {before} → {after}").format(
                    before=safe(c.required_before or "—"), after=safe(c.required_after or "—")
                )
            )
        why = _why(t, campaign, c)
        if why:
            lines.append("    " + t._("why:") + " " + safe(why))
    for key, (b, a) in change.facts.items():
        for what, pair in _value_changes(t, campaign, key, b, a):
            lines.append(safe(t._("{fact} changed: {pair}").format(fact=what, pair=pair)))
    for p in change.awards:
        if p.quota_changed:
            lines.append(
                t._("quota {before} → {after}").format(
                    before=show_value(t, p.quota_before), after=show_value(t, p.quota_after)
                )
            )
    if "others" in change.because:
        lines.append(
            t._("its own verdicts and the quota did not change: others moved above or below it")
        )
    if "added" in change.because:
        lines.append(t._("only in the later result"))
    if "removed" in change.because:
        lines.append(t._("only in the earlier result"))
    return lines


def _why(t: Messages, campaign: Campaign | None, change: CriterionChange) -> str | None:
    """The later verdict's explanation in the reader's language (from the document's
    ``reasons``; facts by their labels when the campaign is known)."""
    if not change.reasons_after:
        return None
    if campaign is None:
        return explanation_text(t, change.reasons_after)
    return explanation_text(t, change.reasons_after, lambda c: column_words(t, campaign, c))


def render_diff(
    diff: ResultDiff,
    *,
    lang: str | None = None,
    award_labels: Mapping[str, str] | None = None,
    campaign: Campaign | None = None,
) -> str:
    """The diff as a report: the run's changes, then every candidate that changed and why.
    With the ``campaign`` (when it is installed), the values read are named as the plan names
    them (facts by their labels)."""
    t = messages(lang)
    labels = dict(award_labels or {})
    if campaign is not None:
        labels = {a.id: a.label for a in campaign.awards} | labels
    out = Report()
    out.line(t._("what changed in {campaign}").format(campaign=diff.campaign))
    a0, a1 = diff.as_of
    out.line(
        t._("as of: {before} → {after}").format(before=t.iso_date(a0), after=t.iso_date(a1))
        if a0 != a1
        else t._("as of: {date}").format(date=t.iso_date(a0))
    )
    if diff.fingerprint[0] != diff.fingerprint[1]:
        out.line(
            t._("rules: {before} → {after}").format(
                before=diff.fingerprint[0], after=diff.fingerprint[1]
            )
        )
    for key, (b, a) in diff.parameters.items():
        out.line(t._("parameter {id}: {pair}").format(id=key, pair=safe(_pair(t, b, a))))
    if diff.added:
        out.line(safe(t._("new candidates: {ids}").format(ids=", ".join(diff.added))))
    if diff.removed:
        out.line(safe(t._("candidates no longer there: {ids}").format(ids=", ".join(diff.removed))))
    if not diff.candidates:
        out.line(t._("no candidate changed eligibility or place"))
        return out.text()
    out.line()
    out.line(
        t._n(
            "{n} candidate changed eligibility or place",
            "{n} candidates changed eligibility or place",
            len(diff.candidates),
        ).format(n=len(diff.candidates))
    )
    for change in diff.candidates:
        out.line()
        out.line(safe(f"{change.id} — {change.name}"))
        for p in change.awards:
            out.line("  " + _award_line(t, labels, p))
        reasons = _because(t, change, campaign)
        if reasons:
            out.line("  " + t._("because:"))
            for line in reasons:
                out.line("    " + line)
    return out.text()
