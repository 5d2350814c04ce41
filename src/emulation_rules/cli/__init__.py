"""The ``emulation-rules`` command line (click).

Every command that takes a CAMPAIGN accepts a campaign id of an installed plugin or the path of
a campaign YAML file. Errors print one line, ``error: …``, on standard error and exit with 2.
The group option ``--strict`` (read by :func:`.common.cli_registry`) turns a plugin that fails
to load from a warning into an error.
"""

from __future__ import annotations

import click

from emulation_rules.cli.authoring import check_cmd, new_plugin_cmd
from emulation_rules.cli.catalogue import campaigns, plugins, sample, schema, show
from emulation_rules.cli.collect import missing_cmd, template_cmd
from emulation_rules.cli.documents import diff_cmd, dossier_cmd, dossier_template_cmd
from emulation_rules.cli.evaluate import evaluate_cmd, explain
from emulation_rules.cli.serve import serve_cmd
from emulation_rules.cli.targets import targets


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="emulation-rules")
@click.option(
    "--strict",
    is_flag=True,
    help="stop at the first plugin that fails to load, instead of leaving it out (for CI)",
)
def main(strict: bool) -> None:
    """Vietnamese administrative-reform emulation plans as executable, explainable rules.

    Plugins load from the `emulation_rules` entry-point group; set EMULATION_RULES_PLUGINS to a
    comma-separated list of plugin names to load only those. A plugin that fails to load is left
    out with a warning (`emulation-rules plugins` says why); --strict makes it an error.
    """


for command in (
    plugins,
    campaigns,
    show,
    schema,
    sample,
    evaluate_cmd,
    explain,
    missing_cmd,
    dossier_cmd,
    dossier_template_cmd,
    diff_cmd,
    template_cmd,
    targets,
    new_plugin_cmd,
    check_cmd,
    serve_cmd,
):
    main.add_command(command)

__all__ = ["main"]
