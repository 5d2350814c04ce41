"""Running every check on a campaign, or on every campaign of a registry."""

from __future__ import annotations

from emulation_rules.authoring.checks.awards import check_awards
from emulation_rules.authoring.checks.citations import check_citations
from emulation_rules.authoring.checks.conflicts import check_conflicts
from emulation_rules.authoring.checks.declarations import (
    check_dates,
    check_references,
    check_scales,
    check_usage,
)
from emulation_rules.authoring.checks.engine_limits import check_engine_limits
from emulation_rules.authoring.checks.findings import Check, Problem
from emulation_rules.authoring.checks.model_rules import model_errors
from emulation_rules.authoring.checks.quantities import check_quantities
from emulation_rules.authoring.checks.reachability import check_reachability
from emulation_rules.errors import RegistryError
from emulation_rules.plan.campaign import Campaign
from emulation_rules.plugins.registry import Registry

CHECKS: tuple[tuple[str, Check], ...] = (
    ("citations", check_citations),
    ("usage", check_usage),
    ("references", check_references),
    ("scales", check_scales),
    ("dates", check_dates),
    ("awards", check_awards),
    ("reachability", check_reachability),
    ("conflicts", check_conflicts),
    ("quantities", check_quantities),
    ("engine_limits", check_engine_limits),
)


def check_campaign(campaign: Campaign, *, plugin: str | None = None) -> list[Problem]:
    """Every problem of one campaign, check by check (``plugin`` defaults to the id's prefix)."""
    plugin_name = plugin or campaign.id.partition(".")[0]
    out: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for name, check in CHECKS:
        for element, severity, message in check(campaign):
            message = " ".join(message.split())  # one line, whatever the plan's text holds
            if (element, message) in seen:
                continue
            seen.add((element, message))
            out.append(Problem(plugin_name, campaign.id, element, severity, message, name))
    flagged = {p.element for p in out if p.is_error}
    for element, message in model_errors(campaign):
        if element not in flagged and (element, message) not in seen:
            seen.add((element, message))
            out.append(Problem(plugin_name, campaign.id, element, "error", message, "model"))
    return out


def check_registry(registry: Registry, plugin: str | None = None) -> list[Problem]:
    """Check every campaign of the registry, or only those of ``plugin``."""
    names = [info.name for info in registry.plugins()]
    if plugin is not None and plugin not in names:
        loaded = ", ".join(names) or "none"
        raise RegistryError(f"no plugin '{plugin}' is loaded (loaded: {loaded})")
    out: list[Problem] = []
    for name in names if plugin is None else [plugin]:
        if not registry.campaigns_of(name):
            out.append(Problem(name, "-", "plugin", "warning", "registers no campaign", "registry"))
    for entry in registry.entries:
        if plugin is None or entry.plugin == plugin:
            out += check_campaign(entry.campaign, plugin=entry.plugin)
    return out
