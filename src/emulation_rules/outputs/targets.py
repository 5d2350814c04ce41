"""``targets``: attainment of a plan's targets per plan year, as a terminal table in the
reader's language."""

from __future__ import annotations

from rich.table import Table

from emulation_rules.evaluation.targets import TargetReport
from emulation_rules.messages import messages
from emulation_rules.outputs.common import show_value, verdict_word
from emulation_rules.outputs.terminal import Report, safe


def render_targets(report: TargetReport, *, lang: str | None = None) -> str:
    """One row per target and plan year: the verdict, what was measured, what was required."""
    t = messages(lang)
    out = Report()
    out.line(
        t._("targets of {campaign} · as of {as_of}").format(
            campaign=report.campaign, as_of=t.date(report.as_of)
        )
    )
    table = Table(title_justify="left")
    for col in (
        t._("year"),
        t._("target"),
        t._("verdict"),
        t._("observed"),
        t._("attained"),
        t._("required"),
    ):
        table.add_column(col)
    for row in report.rows:
        attained = "" if row.attained is None else show_value(t, row.attained)
        table.add_row(
            str(row.year),
            safe(f"{row.target}") + "\n" + safe(row.label),
            verdict_word(t, row.verdict),
            safe(show_value(t, dict(row.observed))),
            attained,
            safe(row.required),
        )
    out.table(table)
    return out.text()
