"""``missing``: the facts to collect, as a text report (JSON is ``MissingReport.to_dict``)."""

from __future__ import annotations

import io

from emulation_rules.evaluation.result import Result
from emulation_rules.outputs.common import plain_console


def render_missing(result: Result) -> str:
    """Per undetermined candidate the missing facts (most verdicts first), then per fact the
    candidates that lack it."""
    report = result.missing()
    buffer = io.StringIO()
    con = plain_console(buffer)
    con.print(f"facts to collect for {result.campaign.id} · as of {result.as_of.isoformat()}")
    if not report.candidates:
        con.print("no candidate is undetermined: nothing to collect")
        return buffer.getvalue()
    con.print(f"\n{len(report.candidates)} undetermined candidate(s)")
    for c in report.candidates:
        con.print(f"{c.id} — {c.name} (undetermined: {', '.join(c.awards)})")
        for f in c.facts:
            con.print(
                f"    {f.fact}: {f.label} — read by {f.verdicts} unknown verdict(s): "
                f"{', '.join(f.criteria)}"
            )
        if not c.facts:
            con.print("    no fact is missing: a criterion's guard is undecided")
    con.print("\nby fact")
    for fact, ids in report.by_fact.items():
        con.print(f"{fact} ({len(ids)}): {', '.join(ids)}")
    return buffer.getvalue()
