"""The evaluating commands: ``evaluate`` and ``explain``."""

from __future__ import annotations

import datetime as dt

import click

from emulation_rules.cli.common import fail, friendly, run_evaluation, with_common_options
from emulation_rules.outputs.explain import render_explanation
from emulation_rules.outputs.files import write_atomically
from emulation_rules.outputs.results import render


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
    fmt: str,
    output: str | None,
) -> None:
    """Evaluate INPUT (JSON or CSV; - for stdin) against CAMPAIGN."""
    result = run_evaluation(campaign, input_path, as_of, overrides, engine, input_format)
    text = render(result, fmt)
    if output:
        write_atomically(output, text)
    else:
        click.echo(text, nl=False)


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
) -> None:
    """Explain one candidate: every criterion with the value seen, the value required and the
    legal citation, then its award eligibility and place in the allocation."""
    result = run_evaluation(campaign, input_path, as_of, overrides, engine, input_format)
    try:
        candidate = result.candidate(candidate_id)
    except KeyError:
        fail(f"no candidate '{candidate_id}' in {input_path}")
    click.echo(render_explanation(result, candidate), nl=False)
