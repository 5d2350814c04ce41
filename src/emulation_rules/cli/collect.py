"""The commands that help collect input: ``template`` (the campaign's XLSX form to fill in)
and ``missing`` (the facts still missing, per undetermined candidate and per fact)."""

from __future__ import annotations

import json

import click

from emulation_rules.cli.common import (
    RunOptions,
    friendly,
    resolve_campaign,
    run_evaluation,
    with_common_options,
)
from emulation_rules.cli.output import LANG_OPTION, OUTPUT_OPTION, emit, to_stdout
from emulation_rules.inputs.template import write_template
from emulation_rules.outputs.missing import render_missing


@click.command("template")
@click.argument("campaign")
@click.option(
    "--output",
    "-o",
    required=True,
    metavar="FILE",
    help="the XLSX file to write (e.g. form.xlsx); - writes it to standard output",
)
@friendly
def template_cmd(campaign: str, output: str) -> None:
    """Write CAMPAIGN's input form (XLSX): one sheet per kind of candidate with a column per
    fact (Vietnamese headers, notes, drop-downs and ranges), the lists, and instructions with
    every fact, the criteria that read it and their citations. Filled in, it goes back into
    `evaluate`."""
    to_stdout(output)
    entry, _ = resolve_campaign(campaign)
    emit(output, write_template(entry.campaign), what="the form")
    if output != "-":
        click.echo(f"wrote {output}", err=True)


@click.command("missing")
@click.argument("campaign")
@click.argument("input_path", metavar="INPUT")
@with_common_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@LANG_OPTION
@OUTPUT_OPTION
@friendly
def missing_cmd(
    campaign: str,
    input_path: str,
    run: RunOptions,
    fmt: str,
    lang: str,
    output: str | None,
) -> None:
    """The facts still missing: per undetermined candidate (ordered by how many unknown
    verdicts each is read by), and per fact the candidates that lack it."""
    to_stdout(output)
    result = run_evaluation(campaign, input_path, run)
    if fmt == "json":
        text = json.dumps(result.missing().to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = render_missing(result, lang=lang)
    emit(output, text)
