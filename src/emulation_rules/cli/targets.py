"""``emulation-rules targets``: a plan's targets (chỉ tiêu) against the measures achieved."""

from __future__ import annotations

import datetime as dt

import click

from emulation_rules.cli.common import friendly, resolve_campaign
from emulation_rules.cli.output import LANG_OPTION, OUTPUT_OPTION, emit, to_stdout
from emulation_rules.evaluation.targets import evaluate_targets
from emulation_rules.inputs.files import parse_json, read_text
from emulation_rules.outputs.targets import render_targets


@click.command()
@click.argument("plan")
@click.argument("input_path", metavar="INPUT")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="report the years up to this day")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@LANG_OPTION
@OUTPUT_OPTION
@friendly
def targets(
    plan: str,
    input_path: str,
    as_of: dt.datetime | None,
    fmt: str,
    lang: str,
    output: str | None,
) -> None:
    """Attainment of PLAN's targets (chỉ tiêu) per plan year, from the measures in INPUT (JSON:
    {"as_of", "years": {"2021": {MEASURE: value}}}). PLAN is a campaign id or a YAML path."""
    to_stdout(output)
    entry, _ = resolve_campaign(plan)
    text, label = read_text(input_path)
    document = parse_json(text, label)
    report = evaluate_targets(
        entry.campaign, document, as_of=as_of.date() if as_of else None, origin=label
    )
    rendered = report.to_json() if fmt == "json" else render_targets(report, lang=lang)
    emit(output, rendered)
