"""The ``emulation-rules`` command line (click).

Every command that takes a CAMPAIGN accepts a campaign id of an installed plugin or the path of
a campaign YAML file. Errors print one line, ``error: …``, on standard error and exit with 2.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import EmulationRulesError
from .evaluate import evaluate_validated, resolve_as_of
from .input_files import load_input, parse_json, read_text
from .input_schema import input_schema
from .plan_model import Campaign
from .registry import RegisteredCampaign, Registry, load_registry
from .result import Result
from .targets import evaluate_targets
from .writers import (
    render,
    render_campaign,
    render_explanation,
    render_targets,
    write_atomically,
)

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str) -> None:
    click.echo(f"error: {' | '.join(message.splitlines())}", err=True)
    sys.exit(2)


def friendly(fn: F) -> F:
    """Turn the library's errors into one line on stderr and exit status 2."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except EmulationRulesError as exc:
            _fail(str(exc))

    return wrapper  # type: ignore[return-value]


def _entry(campaign: str) -> tuple[RegisteredCampaign, Registry | None]:
    looks_like_file = campaign.endswith((".yaml", ".yml")) or "/" in campaign
    if looks_like_file and Path(campaign).is_file():
        registry = load_registry(paths=[campaign], entry_points=False)
        return registry.entries[0], None
    registry = load_registry()
    return registry.entry(campaign), registry


def _overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            _fail(f"--override '{pair}': expected PARAMETER=VALUE")
        out[key.strip()] = value.strip()
    return out


def _run(
    campaign_ref: str,
    input_path: str,
    as_of: dt.datetime | None,
    overrides: tuple[str, ...],
    engine: str,
    input_format: str | None,
) -> Result:
    entry, registry = _entry(campaign_ref)
    campaign: Campaign = entry.campaign
    doc_as_of, validated = load_input(campaign, input_path, fmt=input_format)
    day = as_of.date() if as_of else doc_as_of
    return evaluate_validated(
        campaign,
        validated,
        as_of=resolve_as_of(campaign, day),
        overrides=_overrides(overrides),
        engine=engine,  # type: ignore[arg-type]
        registry=registry,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="emulation-rules")
def main() -> None:
    """Vietnamese administrative-reform emulation plans as executable, explainable rules.

    Plugins load from the `emulation_rules` entry-point group; set EMULATION_RULES_PLUGINS to a
    comma-separated list of plugin names to load only those.
    """


@main.command()
@friendly
def plugins() -> None:
    """List the installed plugins: name, version, campaigns and hooks."""
    registry = load_registry()
    for info in registry.plugins():
        campaigns = ", ".join(c.id for c in registry.campaigns_of(info.name)) or "-"
        click.echo(
            f"{info.name}\t{info.distribution or '-'} {info.version or '-'}\t"
            f"campaigns: {campaigns}\thooks: {', '.join(info.hooks)}"
        )


@main.command()
@friendly
def campaigns() -> None:
    """List every campaign: id, period and title."""
    for c in load_registry().campaigns():
        click.echo(f"{c.id}\t{c.period.start} – {c.period.end}\t{c.title}")


@main.command()
@click.argument("campaign")
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="the day for 'carried on by' and for dated parameter values (default: today)",
)
@friendly
def show(campaign: str, as_of: dt.datetime | None) -> None:
    """Legal basis, period, who carries it on, criteria, awards, quotas and parameters, each
    with its citation."""
    entry, _ = _entry(campaign)
    click.echo(render_campaign(entry.campaign, as_of.date() if as_of else None), nl=False)


@main.command()
@click.argument("campaign")
@friendly
def schema(campaign: str) -> None:
    """Print the JSON Schema of the campaign's input document."""
    entry, _ = _entry(campaign)
    click.echo(json.dumps(input_schema(entry.campaign), ensure_ascii=False, indent=2))


@main.command()
@click.argument("campaign")
@friendly
def sample(campaign: str) -> None:
    """Print the bundled sample input document of a campaign."""
    entry, _ = _entry(campaign)
    click.echo(json.dumps(entry.sample_document(), ensure_ascii=False, indent=1))


_common = [
    click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="evaluation date"),
    click.option(
        "--override",
        "overrides",
        multiple=True,
        metavar="PARAM=VALUE",
        help="replace a named parameter for this run (repeatable)",
    ),
    click.option("--engine", type=click.Choice(["both", "columnar"]), default="both"),
    click.option(
        "--input-format", type=click.Choice(["json", "csv"]), help="default: by file suffix"
    ),
]


def _with_common(fn: F) -> F:
    for option in reversed(_common):
        fn = option(fn)
    return fn


@main.command("evaluate")
@click.argument("campaign")
@click.argument("input_path", metavar="INPUT")
@_with_common
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
    result = _run(campaign, input_path, as_of, overrides, engine, input_format)
    text = render(result, fmt)
    if output:
        write_atomically(output, text)
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("campaign")
@click.argument("input_path", metavar="INPUT")
@click.argument("candidate_id")
@_with_common
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
    result = _run(campaign, input_path, as_of, overrides, engine, input_format)
    try:
        candidate = result.candidate(candidate_id)
    except KeyError:
        _fail(f"no candidate '{candidate_id}' in {input_path}")
    click.echo(render_explanation(result, candidate), nl=False)


@main.command()
@click.argument("plan")
@click.argument("input_path", metavar="INPUT")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="report the years up to this day")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="write here, not stdout")
@friendly
def targets(
    plan: str, input_path: str, as_of: dt.datetime | None, fmt: str, output: str | None
) -> None:
    """Attainment of PLAN's targets (chỉ tiêu) per plan year, from the measures in INPUT (JSON:
    {"as_of", "years": {"2021": {MEASURE: value}}}). PLAN is a campaign id or a YAML path."""
    entry, _ = _entry(plan)
    text, label = read_text(input_path)
    document = parse_json(text, label)
    report = evaluate_targets(
        entry.campaign, document, as_of=as_of.date() if as_of else None, origin=label
    )
    rendered = report.to_json() if fmt == "json" else render_targets(report)
    if output:
        write_atomically(output, rendered)
    else:
        click.echo(rendered, nl=False)


from . import cli_authoring  # noqa: E402, F401  (registers the new-plugin and check commands)
