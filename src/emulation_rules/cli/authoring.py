"""The plugin author's commands: ``emulation-rules new-plugin`` and ``emulation-rules check``.

Registered on the ``emulation-rules`` group by :mod:`emulation_rules.cli`.
"""

from __future__ import annotations

import sys

import click

from emulation_rules.authoring.checks import Problem, check_campaign, check_registry
from emulation_rules.authoring.scaffold import (
    DEFAULT_CAMPAIGN,
    PluginNames,
    installed_plugins,
    new_plugin,
    next_steps,
)
from emulation_rules.cli.common import cli_registry, friendly
from emulation_rules.errors import PlanError, RegistryError
from emulation_rules.plan.loader import load_campaign
from emulation_rules.plan.problems import PlanProblems


@click.command("new-plugin")
@click.argument("slug")
@click.option(
    "--directory",
    type=click.Path(file_okay=False),
    help="where to generate the plugin (default: plugins/SLUG)",
)
@click.option("--name", help='the jurisdiction\'s name with diacritics, e.g. "tỉnh Bình Định"')
@click.option(
    "--campaign",
    default=DEFAULT_CAMPAIGN,
    show_default=True,
    help="the second part of the example campaign's id (SLUG.CAMPAIGN) and its file name",
)
@click.option("--force", is_flag=True, help="overwrite the generated files of an existing plugin")
@friendly
def new_plugin_cmd(
    slug: str, directory: str | None, name: str | None, campaign: str, force: bool
) -> None:
    """Generate a jurisdiction plugin SLUG (lowercase snake case, e.g. binh_dinh) whose example
    campaign validates and whose YAML cases pass."""
    written = new_plugin(slug, directory=directory, name=name, campaign=campaign, force=force)
    for path in written:
        click.echo(f"created {path}")
    names = PluginNames(slug, name or "", campaign)
    click.echo("\n" + next_steps(written[0].parent, names))


@click.command("check")
@click.argument("plugin", required=False)
@click.option("--errors-only", is_flag=True, help="print errors only, not warnings")
@friendly
def check_cmd(plugin: str | None, errors_only: bool) -> None:
    """Check every campaign of PLUGIN (default: of every installed plugin; a campaign YAML path
    works too): citations, unused parameters and facts, undeclared facts, ordinal scales,
    unreachable criteria and awards, contradictory rules; each bundled sample and each YAML
    case's input against its campaign; and every plugin that fails to load.

    Prints one line per problem, `PLUGIN CAMPAIGN ELEMENT: SEVERITY: message`, then a summary on
    standard error. Exit status 1 if any error, 0 otherwise (warnings allowed); a plugin or plan
    that does not load counts as an error (one line per problem of the plan). Anything else
    that goes wrong is one `error:` line with exit status 2.
    """
    is_path = plugin is not None and plugin.endswith((".yaml", ".yml"))
    if plugin is not None and not is_path and plugin not in installed_plugins():
        known = ", ".join(sorted(installed_plugins())) or "none"
        raise RegistryError(f"no plugin '{plugin}' is installed (installed: {known})")
    if is_path:
        assert plugin is not None
        problems, checked = _file_problems(plugin)
    else:
        registry = cli_registry(plugins=[plugin] if plugin is not None else None)
        checked = len([e for e in registry.entries if plugin is None or e.plugin == plugin])
        problems = check_registry(registry, plugin)
    shown = [p for p in problems if p.is_error or not errors_only]
    for problem in shown:
        click.echo(str(problem))
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if checked == 0 and errors:
        click.echo(f"{errors} error(s): nothing could be checked", err=True)
    else:
        click.echo(
            f"checked {checked} campaign(s): {errors} error(s), {warnings} warning(s)", err=True
        )
    sys.exit(1 if errors else 0)


def _file_problems(path: str) -> tuple[list[Problem], int]:
    """The problems of a campaign file, and whether it loaded (1) or not (0)."""
    try:
        campaign = load_campaign(path)
    except PlanProblems as exc:
        lines = [str(p) for p in exc.problems] + (
            [str(exc).splitlines()[-1]] if len(str(exc).splitlines()) > len(exc.problems) else []
        )
        return [Problem(path, "-", "load", "error", line, "load") for line in lines], 0
    except PlanError as exc:
        return [
            Problem(path, "-", "load", "error", line, "load") for line in str(exc).splitlines()
        ], 0
    return check_campaign(campaign, plugin=f"file:{path}"), 1
