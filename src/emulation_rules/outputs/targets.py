"""``targets``: attainment of a plan's targets per plan year, as a terminal table."""

from __future__ import annotations

import io

from rich.table import Table

from emulation_rules.evaluation.targets import TargetReport
from emulation_rules.outputs.common import plain_console, show_value


def render_targets(report: TargetReport) -> str:
    """One row per target and plan year: the verdict, what was measured, what was required."""
    buffer = io.StringIO()
    con = plain_console(buffer)
    con.print(f"targets of {report.campaign} · as of {report.as_of.isoformat()}")
    table = Table(title_justify="left")
    for col in ("year", "target", "verdict", "observed", "attained", "required"):
        table.add_column(col)
    for row in report.rows:
        attained = "" if row.attained is None else show_value(row.attained)
        table.add_row(
            str(row.year),
            f"{row.target}\n{row.label}",
            row.verdict,
            show_value(dict(row.observed)),
            attained,
            row.required,
        )
    con.print(table)
    return buffer.getvalue()
