"""The ``emulation-rules`` command line (click).

Every command that takes a CAMPAIGN accepts a campaign id of an installed plugin or the path of
a campaign YAML file. Errors print one line, ``error: …``, on standard error and exit with 2.
The group option ``--strict`` (read by :func:`.common.cli_registry`) turns a plugin that fails
to load from a warning into an error.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

#: command name -> (module, attribute): each command's module (and what it needs: numpy,
#: polars, openpyxl, docx, FastAPI …) is imported only when that command runs or is listed
#: with its help, so that `emulation-rules campaigns` starts fast.
COMMANDS: dict[str, tuple[str, str]] = {
    "plugins": ("emulation_rules.cli.catalogue", "plugins"),
    "campaigns": ("emulation_rules.cli.catalogue", "campaigns"),
    "show": ("emulation_rules.cli.catalogue", "show"),
    "schema": ("emulation_rules.cli.catalogue", "schema"),
    "sample": ("emulation_rules.cli.catalogue", "sample"),
    "evaluate": ("emulation_rules.cli.evaluate", "evaluate_cmd"),
    "explain": ("emulation_rules.cli.evaluate", "explain"),
    "missing": ("emulation_rules.cli.collect", "missing_cmd"),
    "dossier": ("emulation_rules.cli.documents", "dossier_cmd"),
    "dossier-template": ("emulation_rules.cli.documents", "dossier_template_cmd"),
    "diff": ("emulation_rules.cli.documents", "diff_cmd"),
    "template": ("emulation_rules.cli.collect", "template_cmd"),
    "targets": ("emulation_rules.cli.targets", "targets"),
    "new-plugin": ("emulation_rules.cli.authoring", "new_plugin_cmd"),
    "check": ("emulation_rules.cli.authoring", "check_cmd"),
    "serve": ("emulation_rules.cli.serve", "serve_cmd"),
}


class _LazyGroup(click.Group):
    """A group whose commands are imported when first used (see :data:`COMMANDS`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attribute = COMMANDS[cmd_name]
            command: Any = getattr(importlib.import_module(module), attribute)
            assert isinstance(command, click.Command) and command.name == cmd_name, cmd_name
            self.add_command(command)
        return self.commands.get(cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


__all__ = ["COMMANDS", "main"]
