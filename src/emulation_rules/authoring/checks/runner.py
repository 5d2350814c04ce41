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
from emulation_rules.authoring.checks.notes import check_notes
from emulation_rules.authoring.checks.quantities import check_quantities
from emulation_rules.authoring.checks.reachability import check_reachability
from emulation_rules.authoring.checks.shipped import check_cases, check_sample
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
    ("notes", check_notes),
)


def check_campaign(
    campaign: Campaign, *, plugin: str | None = None, origin: str | None = None
) -> list[Problem]:
    """Every problem of one campaign, check by check (``plugin`` defaults to the id's prefix;
    ``origin``, the campaign's YAML file when known, is where the notes' files are looked for)."""
    plugin_name = plugin or campaign.id.partition(".")[0]
    out: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for name, check in CHECKS:
        findings = check_notes(campaign, origin) if check is check_notes else check(campaign)
        for element, severity, message in findings:
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


def check_registry(
    registry: Registry, plugin: str | None = None, *, shipped: bool = True
) -> list[Problem]:
    """Check every campaign of the registry, or only those of ``plugin``: a plugin that did not
    load is an error (one per line of its error); with ``shipped``, the bundled samples and the
    plugins' YAML cases are checked too (:mod:`.shipped`)."""
    names = [info.name for info in registry.plugins()]
    broken = [f for f in registry.failures if plugin is None or f.plugin == plugin]
    if plugin is not None and plugin not in names and not broken:
        loaded = ", ".join(names) or "none"
        raise RegistryError(f"no plugin '{plugin}' is loaded (loaded: {loaded})")
    out: list[Problem] = []
    for failure in broken:
        for line in failure.message.splitlines() or [failure.summary]:
            out.append(Problem(failure.plugin, "-", "load", "error", line, "load"))
    for name in names if plugin is None else [n for n in names if n == plugin]:
        if not registry.campaigns_of(name):
            out.append(Problem(name, "-", "plugin", "warning", "registers no campaign", "registry"))
    entries = [e for e in registry.entries if plugin is None or e.plugin == plugin]
    for entry in entries:
        out += check_campaign(entry.campaign, plugin=entry.plugin, origin=entry.origin)
        if shipped:
            out += check_sample(entry)
    if shipped:
        for name in sorted({e.plugin for e in entries}):
            out += check_cases(registry, name, [e for e in entries if e.plugin == name])
    return out
