"""The evaluating commands: ``evaluate`` and ``explain``."""

from __future__ import annotations

import datetime as dt
import sys

import click

from emulation_rules.cli.common import fail, friendly, run_evaluation, with_common_options
from emulation_rules.outputs.explain import render_explanation
from emulation_rules.outputs.files import write_atomically
from emulation_rules.outputs.results import render
from emulation_rules.text import nfc


@click.command("evaluate")
@click.argument("campaign")
@click.argument("input_path", metavar="INPUT")
@with_common_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="write here, not stdout")
@friendly
def evaluate_cmd(
    campaign: str,
    input_path: str,
    as_of: dt.datetime | None,
    overrides: tuple[str, ...],
    engine: str,
    input_format: str | None,
    locale: str,
    on_invalid: str,
    fmt: str,
    output: str | None,
) -> None:
    """Evaluate INPUT (JSON, CSV, XLSX or Parquet; - for stdin) against CAMPAIGN.

    With --on-invalid report the exit status is 3 when some candidates were refused (the
    output, with its 'rejected' section, is still written)."""
    result = run_evaluation(
        campaign, input_path, as_of, overrides, engine, input_format, locale, on_invalid
    )
    text = render(result, fmt)
    if output:
        write_atomically(output, text)
    else:
        click.echo(text, nl=False)
    if result.rejected:
        sys.exit(3)


@click.command()
@click.argument("campaign")
@click.argument("input_path", metavar="INPUT")
@click.argument("candidate_id")
@with_common_options
@friendly
def explain(
    campaign: str,
    input_path: str,
    candidate_id: str,
    as_of: dt.datetime | None,
    overrides: tuple[str, ...],
    engine: str,
    input_format: str | None,
    locale: str,
    on_invalid: str,
) -> None:
    """Explain one candidate: every criterion with the value seen, the value required and the
    legal citation, then its award eligibility and place in the allocation."""
    result = run_evaluation(
        campaign, input_path, as_of, overrides, engine, input_format, locale, on_invalid
    )
    candidate_id = nfc(candidate_id.strip())
    try:
        candidate = result.candidate(candidate_id)
    except KeyError:
        fail(f"no candidate '{candidate_id}' in {input_path}")
    click.echo(render_explanation(result, candidate), nl=False)
