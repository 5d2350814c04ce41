"""``missing``: the facts to collect, as a text report in the reader's language (JSON is
``MissingReport.to_dict``)."""

from __future__ import annotations

from emulation_rules.evaluation.result import Result
from emulation_rules.messages import messages
from emulation_rules.outputs.terminal import Report, safe


def render_missing(result: Result, *, lang: str | None = None) -> str:
    """Per undetermined candidate the missing facts (most verdicts first), then per fact the
    candidates that lack it."""
    t = messages(lang)
    report = result.missing()
    out = Report()
    out.line(
        t._("facts to collect for {id} · as of {as_of}").format(
            id=result.campaign.id, as_of=t.date(result.as_of)
        )
    )
    if not report.candidates:
        out.line(t._("no candidate is undetermined: nothing to collect"))
        return out.text()
    out.line()
    out.line(
        t._n(
            "{n} undetermined candidate", "{n} undetermined candidates", len(report.candidates)
        ).format(n=len(report.candidates))
    )
    for c in report.candidates:
        awards = ", ".join(result.campaign.award(a).label for a in c.awards)
        out.line(
            safe(f"{c.id} — {c.name} (")
            + t._("undetermined: {awards}").format(awards=safe(awards))
            + ")"
        )
        for f in c.facts:
            out.line(
                "    "
                + t._n(
                    "{fact}: {label} — read by {n} unknown verdict: {criteria}",
                    "{fact}: {label} — read by {n} unknown verdicts: {criteria}",
                    f.verdicts,
                ).format(
                    fact=f.fact, label=safe(f.label), n=f.verdicts, criteria=", ".join(f.criteria)
                )
            )
        if not c.facts:
            out.line("    " + t._("no fact is missing: a criterion's guard is undecided"))
    out.line()
    out.line(t._("by fact"))
    for fact, ids in report.by_fact.items():
        out.line(safe(f"{fact} ({len(ids)}): {', '.join(ids)}"))
    return out.text()
