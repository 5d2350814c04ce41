"""The registry: every campaign of the installed plugins, validated, immutable, ids unique."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from emulation_rules.errors import PluginError, RegistryError
from emulation_rules.plan.campaign import Campaign
from emulation_rules.plan.loader import load_campaign
from emulation_rules.plugins.manager import PluginHooks, PluginInfo, make_plugin_manager


@attrs.frozen
class RegisteredCampaign:
    """A campaign with where it came from: the plugin, its version, its bundled sample."""

    campaign: Campaign
    plugin: str
    plugin_version: str | None
    sample: Path | None
    origin: str

    def sample_document(self) -> dict[str, Any]:
        """The bundled sample input document (parsed JSON)."""
        if self.sample is None:
            raise RegistryError(f"campaign '{self.campaign.id}' ships no sample input")
        data: dict[str, Any] = json.loads(self.sample.read_text(encoding="utf-8"))
        return data


@attrs.frozen
class Registry:
    """The campaigns known to this process; build it with :func:`load_registry`."""

    entries: tuple[RegisteredCampaign, ...]
    plugin_infos: tuple[PluginInfo, ...]

    def campaigns(self) -> tuple[Campaign, ...]:
        """Every campaign, sorted by id."""
        return tuple(e.campaign for e in self.entries)

    def campaign(self, campaign_id: str) -> Campaign:
        """The campaign with that id (a :class:`RegistryError` lists the known ids if none)."""
        return self.entry(campaign_id).campaign

    def entry(self, campaign_id: str) -> RegisteredCampaign:
        for e in self.entries:
            if e.campaign.id == campaign_id:
                return e
        known = ", ".join(e.campaign.id for e in self.entries) or "none installed"
        raise RegistryError(f"no campaign '{campaign_id}' (known: {known})")

    def plugins(self) -> tuple[PluginInfo, ...]:
        return self.plugin_infos

    def campaigns_of(self, plugin: str) -> tuple[Campaign, ...]:
        return tuple(e.campaign for e in self.entries if e.plugin == plugin)


def load_registry(
    *,
    plugins: Iterable[str] | None = None,
    paths: Sequence[str | Path] = (),
    extra_plugins: Sequence[tuple[str, object]] = (),
    entry_points: bool = True,
) -> Registry:
    """Load the installed plugins' campaigns (and any campaign files given by path).

    ``plugins`` restricts which entry points load (default: ``EMULATION_RULES_PLUGINS`` if set,
    else all); ``paths`` adds data-only campaign YAML files; ``extra_plugins`` registers
    in-process plugins as ``(name, module)`` pairs. Two campaigns with one id are refused.
    """
    pm, infos = make_plugin_manager(plugins=plugins, extra=extra_plugins, entry_points=entry_points)
    versions = {i.name: i.version for i in infos}
    entries: list[RegisteredCampaign] = []

    def make_register(plugin: str) -> Callable[..., None]:
        def register(plan: Path | str | Campaign, *, sample: Path | str | None = None) -> None:
            if isinstance(plan, Campaign):
                campaign, origin = plan, f"plugin {plugin}"
            else:
                campaign, origin = load_campaign(plan), str(plan)
            if not campaign.id.startswith(plugin + "."):
                raise PluginError(
                    f"plugin '{plugin}' registered campaign '{campaign.id}', whose id does not "
                    f"start with '{plugin}.'"
                )
            sample_path = Path(sample) if sample is not None else None
            if sample_path is not None and not sample_path.is_file():
                raise PluginError(f"plugin '{plugin}': sample file {sample_path} does not exist")
            entries.append(
                RegisteredCampaign(campaign, plugin, versions.get(plugin), sample_path, origin)
            )

        return register

    PluginHooks(pm).register_campaigns(make_register)
    for path in paths:
        campaign = load_campaign(path)
        entries.append(RegisteredCampaign(campaign, f"file:{path}", None, None, str(path)))
    seen: dict[str, str] = {}
    for e in entries:
        if e.campaign.id in seen:
            raise RegistryError(
                f"campaign id '{e.campaign.id}' is registered twice: by {seen[e.campaign.id]} "
                f"and by {e.origin}"
            )
        seen[e.campaign.id] = e.origin
    entries.sort(key=lambda e: e.campaign.id)
    return Registry(tuple(entries), tuple(infos))
