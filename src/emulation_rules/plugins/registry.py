"""The registry: every campaign of the installed plugins, validated, immutable, ids unique.

A plugin that fails (to import, to register, in its hook, or with a plan that does not load) is
left out and recorded in :attr:`Registry.failures`; the other plugins' campaigns are there as
usual, and asking for a campaign of the broken plugin says why it is missing. ``strict=True``
raises the first failure instead (for CI).

A campaign that builds on another plugin's rules (``builds_on``, e.g. the national law's) is
composed here: the plugin it names loads with it whatever the allow-list says, and one that is
not installed, did not load or has no campaign for the year leaves the campaign's plugin out
with a failure naming it — never a silent pass.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from emulation_rules.errors import PlanError, PluginError, RegistryError
from emulation_rules.limits import current_limits
from emulation_rules.plan.campaign import Campaign
from emulation_rules.plan.compose import compose, covers_year
from emulation_rules.plan.loader import load_campaign
from emulation_rules.plugins.listing import remember
from emulation_rules.plugins.manager import (
    PluginFailure,
    PluginHooks,
    PluginInfo,
    PluginOutput,
    load_plugins,
)


@attrs.frozen(repr=False)
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
        try:
            data = json.loads(self.sample.read_text(encoding="utf-8"))
        except OSError as exc:
            raise RegistryError(
                f"{self.sample}: cannot read the sample of '{self.campaign.id}' ({exc.strerror})"
            ) from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RegistryError(
                f"{self.sample}: the sample of '{self.campaign.id}' is not JSON: {exc}"
            ) from None
        if not isinstance(data, dict):
            raise RegistryError(f"{self.sample}: a sample is a JSON object (an input document)")
        return data

    def __repr__(self) -> str:
        return f"<RegisteredCampaign {self.campaign.id} from plugin {self.plugin}>"


@attrs.frozen(repr=False)
class Registry:
    """The campaigns known to this process; build it with :func:`load_registry`.

    ``failures`` lists the plugins left out (each with the step that failed and the error);
    ``printed`` what plugins wrote to standard output while loading (kept out of it).
    """

    entries: tuple[RegisteredCampaign, ...]
    plugin_infos: tuple[PluginInfo, ...]
    failures: tuple[PluginFailure, ...] = ()
    printed: tuple[PluginOutput, ...] = ()

    def campaigns(self) -> tuple[Campaign, ...]:
        """Every campaign, sorted by id."""
        return tuple(e.campaign for e in self.entries)

    def campaign(self, campaign_id: str) -> Campaign:
        """The campaign with that id (a :class:`RegistryError` lists the known ids if none, and
        says why when the plugin the id belongs to failed to load)."""
        return self.entry(campaign_id).campaign

    def entry(self, campaign_id: str) -> RegisteredCampaign:
        """The campaign with that id and where it came from (its plugin, its sample)."""
        for e in self.entries:
            if e.campaign.id == campaign_id:
                return e
        failure = self.failure_of(campaign_id.partition(".")[0])
        if failure is not None:
            raise RegistryError(
                f"campaign '{campaign_id}' is not available: plugin '{failure.plugin}' did not "
                f"load: {failure.message}"
            )
        known = ", ".join(e.campaign.id for e in self.entries) or "none installed"
        raise RegistryError(f"no campaign '{campaign_id}' (known: {known})")

    def plugins(self) -> tuple[PluginInfo, ...]:
        """The plugins that loaded, by name."""
        return self.plugin_infos

    def campaigns_of(self, plugin: str) -> tuple[Campaign, ...]:
        """The campaigns one plugin registered."""
        return tuple(e.campaign for e in self.entries if e.plugin == plugin)

    def failure_of(self, plugin: str) -> PluginFailure | None:
        """Why ``plugin`` was left out, or None if it loaded (or is not installed)."""
        return next((f for f in self.failures if f.plugin == plugin), None)

    def __repr__(self) -> str:
        ids = ", ".join(e.campaign.id for e in self.entries) or "none"
        broken = ", ".join(f.plugin for f in self.failures)
        return (
            f"<Registry: {len(self.entries)} campaign(s) ({ids}) from "
            f"{len(self.plugin_infos)} plugin(s)" + (f"; broken: {broken}" if broken else "") + ">"
        )


def load_registry(
    *,
    plugins: Iterable[str] | None = None,
    paths: Sequence[str | Path] = (),
    extra_plugins: Sequence[tuple[str, object]] = (),
    entry_points: bool = True,
    strict: bool = False,
) -> Registry:
    """Load the installed plugins' campaigns (and any campaign files given by path).

    ``plugins`` restricts which entry points load (default: ``EMULATION_RULES_PLUGINS`` if set,
    else all); ``paths`` adds data-only campaign YAML files (a problem in one of those is raised,
    as the caller asked for it); ``extra_plugins`` registers in-process plugins as
    ``(name, module)`` pairs. A plugin that fails is left out and recorded in
    :attr:`Registry.failures`, or raised as a :class:`~emulation_rules.errors.PluginError` with
    ``strict``. Two campaigns with one id leave out the plugins that registered them (or raise).
    """
    current_limits()  # a malformed EMULATION_RULES_LIMITS is the caller's error, not a plugin's
    loaded = _load(plugins, extra_plugins, entry_points, strict)
    kept = [e for e in loaded.entries if e.plugin not in loaded.failed]
    for path in paths:
        campaign = load_campaign(path)
        kept.append(RegisteredCampaign(campaign, f"file:{path}", None, None, str(path)))
    failures = list(loaded.failures)
    infos = list(loaded.infos)
    outputs = list(loaded.outputs)
    needed = {b.plugin for e in kept for b in e.campaign.builds_on if b.campaign is None}
    missing = sorted(needed - {e.plugin for e in kept} - loaded.failed)
    if missing:  # the plugins other plans build on load with them, whatever the allow-list says
        deps = _load(missing, (), True, strict)
        kept += [e for e in deps.entries if e.plugin not in deps.failed]
        failures += deps.failures
        infos += deps.infos
        outputs += deps.outputs
    kept, composed_failures = _compose_builds_on(kept, failures, strict)
    failures += composed_failures
    failed = {f.plugin for f in failures}
    kept = [e for e in kept if e.plugin not in failed]
    seen: dict[str, str] = {}
    for e in kept:
        if e.campaign.id in seen:
            raise RegistryError(
                f"campaign id '{e.campaign.id}' is registered twice: by {seen[e.campaign.id]} "
                f"and by {e.origin}"
            )
        seen[e.campaign.id] = e.origin
    kept.sort(key=lambda e: e.campaign.id)
    infos = [i for i in infos if i.name not in failed]
    failures.sort(key=lambda f: f.plugin)
    return Registry(tuple(kept), tuple(infos), tuple(failures), tuple(outputs))


@attrs.frozen
class _Loaded:
    entries: list[RegisteredCampaign]
    infos: tuple[PluginInfo, ...]
    failures: list[PluginFailure]
    outputs: tuple[PluginOutput, ...]

    @property
    def failed(self) -> set[str]:
        return {f.plugin for f in self.failures}


def _load(
    plugins: Iterable[str] | None,
    extra_plugins: Sequence[tuple[str, object]],
    entry_points: bool,
    strict: bool,
) -> _Loaded:
    """Load plugins and call their ``register_campaigns``: the campaigns, who loaded, who not."""
    loaded = load_plugins(
        plugins=plugins, extra=extra_plugins, entry_points=entry_points, strict=strict
    )
    versions = {i.name: i.version for i in loaded.infos}
    dists = {i.name: i.distribution for i in loaded.infos}
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
            if not isinstance(plan, Campaign):
                remember(plan, campaign)  # for a fast `emulation-rules campaigns` (listing.py)

        return register

    hooks = PluginHooks(loaded.pm, strict=strict)
    hooks.register_campaigns(make_register)
    failures = list(loaded.failures)
    for failure in hooks.failures:
        failures.append(
            attrs.evolve(
                failure,
                distribution=dists.get(failure.plugin),
                version=versions.get(failure.plugin),
            )
        )
    failures += _duplicates(entries, {f.plugin for f in failures}, strict, dists, versions)
    failed = {f.plugin for f in failures}
    infos = tuple(i for i in loaded.infos if i.name not in failed)
    return _Loaded(entries, infos, failures, loaded.outputs + tuple(hooks.outputs))


def _compose_builds_on(
    kept: list[RegisteredCampaign], failures: list[PluginFailure], strict: bool
) -> tuple[list[RegisteredCampaign], list[PluginFailure]]:
    """Every campaign that builds on another plugin's rules, with them composed in. A plugin
    whose plan cannot be composed (the plugin it builds on is not installed, did not load, has
    no campaign for the year, or its rules do not fit) is left out with a failure naming it;
    a campaign file given by path raises."""
    out: list[RegisteredCampaign] = []
    new_failures: dict[str, PluginFailure] = {}
    broken = {f.plugin: f for f in failures}
    for e in kept:
        pending = [b for b in e.campaign.builds_on if b.campaign is None]
        if not pending:
            out.append(e)
            continue
        problems: list[str] = []
        bases: dict[str, Campaign] = {}
        for b in pending:
            what = f"builds_on '{b.id}' (year {b.year})"
            failure = broken.get(b.plugin)
            if failure is not None:
                problems.append(
                    f"{what} reads the rules of plugin '{b.plugin}', which did not load: "
                    f"{failure.summary}"
                )
                continue
            theirs = [x for x in kept if x.plugin == b.plugin]
            if not theirs:
                problems.append(
                    f"{what} reads the rules of plugin '{b.plugin}', which is not installed: "
                    f"install the distribution that provides the plugin '{b.plugin}' (for the "
                    "national rules, emulation-rules-vn-law)"
                )
                continue
            covering = [x.campaign for x in theirs if covers_year(x.campaign, b.year)]
            if len(covering) != 1:
                spans = ", ".join(
                    f"{x.campaign.id} ({x.campaign.period.start:%d/%m/%Y}–"
                    f"{x.campaign.period.end:%d/%m/%Y})"
                    for x in theirs
                )
                how = "no campaign" if not covering else f"{len(covering)} campaigns"
                problems.append(
                    f"{what}: plugin '{b.plugin}' has {how} covering the year {b.year} "
                    f"(its campaigns: {spans})"
                )
                continue
            bases[b.id] = covering[0]
        if not problems:
            try:
                out.append(attrs.evolve(e, campaign=compose(e.campaign, bases)))
                continue
            except PlanError as exc:
                problems.append(str(exc))
        message = f"campaign '{e.campaign.id}' cannot be composed: " + "; ".join(problems)
        if strict or e.plugin.startswith("file:"):
            raise (PlanError if e.plugin.startswith("file:") else PluginError)(message)
        new_failures.setdefault(
            e.plugin,
            PluginFailure(e.plugin, "builds_on", message, None, e.plugin_version),
        )
    return out, list(new_failures.values())


def _duplicates(
    entries: list[RegisteredCampaign],
    failed: set[str],
    strict: bool,
    dists: dict[str, str | None],
    versions: dict[str, str | None],
) -> list[PluginFailure]:
    """A campaign id registered twice by plugins: every plugin involved is left out."""
    origins: dict[str, list[RegisteredCampaign]] = {}
    for e in entries:
        if e.plugin not in failed:
            origins.setdefault(e.campaign.id, []).append(e)
    out: dict[str, PluginFailure] = {}
    for campaign_id, found in origins.items():
        if len(found) < 2:
            continue
        message = (
            f"campaign id '{campaign_id}' is registered twice: by {found[0].origin} and by "
            f"{found[1].origin}"
        )
        if strict:
            raise RegistryError(message)
        for e in found:
            out.setdefault(
                e.plugin,
                PluginFailure(
                    e.plugin,
                    "register_campaigns",
                    message,
                    dists.get(e.plugin),
                    versions.get(e.plugin),
                ),
            )
    return list(out.values())
