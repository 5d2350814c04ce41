"""The hooks a jurisdiction plugin implements: the plugin author's reference.

A plugin is a module named by an entry point in the ``emulation_rules`` group; the entry point's
name is the jurisdiction slug, which is also the first part of every campaign id it registers::

    # plugins/an_giang/pyproject.toml
    [project.entry-points.emulation_rules]
    an_giang = "emulation_rules_an_giang"

    # emulation_rules_an_giang/__init__.py
    from pathlib import Path
    from emulation_rules import hookimpl

    HERE = Path(__file__).parent

    @hookimpl
    def register_campaigns(register):
        register(HERE / "papi_2021.yaml", sample=HERE / "sample.json")

Hooks are called with keyword arguments; an implementation may accept only the arguments it
needs. An exception raised inside a hook (``SystemExit`` and ``KeyboardInterrupt`` included)
leaves the plugin out of the registry, recorded with a message naming the plugin and the hook
(``Registry.failures``); ``load_registry(strict=True)`` raises it as
:class:`emulation_rules.errors.PluginError` instead. What a hook prints to standard output is
kept out of it (``Registry.printed``). Every hook below is
documented in ``docs/writing-a-province-plugin.md``; a test fails when one is not.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pluggy

if TYPE_CHECKING:
    from emulation_rules.plan.campaign import Campaign

PROJECT_NAME = "emulation_rules"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


class Register(Protocol):
    """The callback handed to :func:`register_campaigns`."""

    def __call__(self, plan: Path | Campaign, *, sample: Path | None = None) -> None: ...


@hookspec
def register_campaigns(register: Callable[..., None]) -> None:
    """Register the campaigns this plugin ships.

    Call ``register(plan, sample=None)`` once per campaign:

    * ``plan`` — the path of the campaign YAML document (validated against
      :class:`emulation_rules.plan.campaign.Campaign`; a YAML error names the file, the key and the
      line), or an already-built :class:`~emulation_rules.plan.campaign.Campaign`;
    * ``sample`` — optionally, the path of a bundled input document (JSON, the shape of
      ``docs/cli.md``) that ``emulation-rules sample CAMPAIGN`` prints.

    The campaign id must start with the plugin's entry-point name and a dot
    (``an_giang.papi_2021``); two campaigns with one id are refused when the registry loads.
    Return nothing. Called once per :func:`emulation_rules.load_registry`.
    """
