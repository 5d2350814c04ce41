"""The commands that describe what is installed: ``plugins``, ``campaigns``, ``show``,
``schema`` and ``sample``."""

from __future__ import annotations

import datetime as dt
import json

import click

from emulation_rules.cli.common import cli_registry, fail, friendly, resolve_campaign
from emulation_rules.cli.output import LANG_OPTION
from emulation_rules.plugins.listing import campaign_lines, line_of
from emulation_rules.plugins.manager import ENV_ALLOW_LIST, allow_list

# The writers (render_campaign, input_schema, output_schema) are imported in the commands that
# use them, so that `plugins` and `campaigns` start fast.


@click.command()
@friendly
def plugins() -> None:
    """List the installed plugins: name, version, campaigns and hooks, and every plugin that
    failed to load, marked BROKEN with its error on one line."""
    registry = cli_registry()
    lines: list[tuple[str, str]] = []
    for info in registry.plugins():
        campaigns = ", ".join(c.id for c in registry.campaigns_of(info.name)) or "-"
        lines.append(
            (
                info.name,
                f"{info.name}\t{info.distribution or '-'} {info.version or '-'}\t"
                f"campaigns: {campaigns}\thooks: {', '.join(info.hooks)}",
            )
        )
    for failure in registry.failures:
        lines.append(
            (
                failure.plugin,
                f"{failure.plugin}\t{failure.distribution or '-'} {failure.version or '-'}\t"
                f"BROKEN ({failure.hook}): {failure.summary}",
            )
        )
    for _, line in sorted(lines):
        click.echo(line)
    if not lines:
        unset = allow_list() is not None and not allow_list()
        why = f" ({ENV_ALLOW_LIST} is set and empty)" if unset else ""
        click.echo(f"no plugins{why}")


@click.command()
@friendly
def campaigns() -> None:
    """List every campaign: id, period and title."""
    ctx = click.get_current_context(silent=True)
    strict = bool(ctx is not None and ctx.find_root().params.get("strict"))
    lines = None if strict else campaign_lines()  # remembered plans, without the models
    if lines is None:
        lines = [line_of(c) for c in cli_registry().campaigns()]
    for line in lines:
        click.echo(line)


@click.command()
@click.argument("campaign")
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="the day for 'carried on by' and for dated parameter values (default: today)",
)
@LANG_OPTION
@friendly
def show(campaign: str, as_of: dt.datetime | None, lang: str) -> None:
    """Legal basis, period, who carries it on, criteria, awards, quotas and parameters, each
    with its citation."""
    entry, _ = resolve_campaign(campaign)
    from emulation_rules.outputs.campaign import render_campaign

    text = render_campaign(entry.campaign, as_of.date() if as_of else None, lang=lang)
    click.echo(text, nl=False)


@click.command()
@click.argument("campaign", required=False)
@click.option(
    "--output",
    "of_output",
    is_flag=True,
    help="the schema of the output document instead (of any campaign's, without CAMPAIGN)",
)
@friendly
def schema(campaign: str | None, of_output: bool) -> None:
    """Print the JSON Schema of CAMPAIGN's input document, or with --output of the output
    document (what evaluate --format json prints)."""
    if campaign is None:
        if not of_output:
            fail("schema: give a CAMPAIGN, or --output for the schema of the output document")
        from emulation_rules.outputs.schema import output_schema

        click.echo(json.dumps(output_schema(), ensure_ascii=False, indent=2))
        return
    entry, _ = resolve_campaign(campaign)
    from emulation_rules.inputs.schema import input_schema
    from emulation_rules.outputs.schema import output_schema

    document = output_schema(entry.campaign) if of_output else input_schema(entry.campaign)
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


@click.command()
@click.argument("campaign")
@friendly
def sample(campaign: str) -> None:
    """Print the bundled sample input document of a campaign."""
    entry, _ = resolve_campaign(campaign)
    click.echo(json.dumps(entry.sample_document(), ensure_ascii=False, indent=1))
