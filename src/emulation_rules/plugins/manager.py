"""The plugin manager factory and the one facade that calls hooks.

Nothing happens at import: :func:`make_plugin_manager` builds a manager when asked. Plugins come
from entry points of the ``emulation_rules`` group, sorted by name; the environment variable
``EMULATION_RULES_PLUGINS`` (comma-separated entry-point names) restricts which load, and an
empty value loads none. Only :class:`PluginHooks` touches ``pm.hook``; it calls each
implementation itself so that an exception is re-raised naming the plugin and the hook.
"""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs
import pluggy

from emulation_rules.errors import PluginError
from emulation_rules.plugins import spec as hookspecs

ENV_ALLOW_LIST = "EMULATION_RULES_PLUGINS"
ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME


@attrs.frozen
class PluginInfo:
    """An installed plugin: its entry-point name, distribution and version."""

    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]


def allow_list(environ: dict[str, str] | None = None) -> frozenset[str] | None:
    """The plugin names allowed by ``EMULATION_RULES_PLUGINS`` (None: every installed plugin)."""
    env = os.environ if environ is None else environ
    raw = env.get(ENV_ALLOW_LIST)
    if raw is None:
        return None
    return frozenset(name.strip() for name in raw.split(",") if name.strip())


def make_plugin_manager(
    *,
    plugins: Iterable[str] | None = None,
    extra: Sequence[tuple[str, object]] = (),
    entry_points: bool = True,
) -> tuple[pluggy.PluginManager, list[PluginInfo]]:
    """Build a plugin manager with the installed plugins.

    ``plugins`` restricts the entry points loaded (default: the allow-list variable, else all);
    ``extra`` registers in-process plugins as ``(name, module_or_object)`` pairs (tests, scripts).
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    infos: list[PluginInfo] = []
    wanted = frozenset(plugins) if plugins is not None else allow_list()
    if entry_points:
        eps = sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
        seen: dict[str, str] = {}
        for ep in eps:
            if wanted is not None and ep.name not in wanted:
                continue
            dist = ep.dist.name if ep.dist else None
            if ep.name in seen:
                raise PluginError(
                    f"two distributions declare the plugin '{ep.name}': {seen[ep.name]} and {dist}"
                )
            seen[ep.name] = dist or "?"
            try:
                module = ep.load()
            except Exception as exc:
                raise PluginError(
                    f"plugin '{ep.name}' ({dist}) failed to import: {type(exc).__name__}: {exc}"
                ) from exc
            _register(pm, ep.name, module)
            version = ep.dist.version if ep.dist else None
            infos.append(PluginInfo(ep.name, dist, version, _hooks_of(pm, ep.name)))
    for name, obj in extra:
        _register(pm, name, obj)
        infos.append(PluginInfo(name, None, None, _hooks_of(pm, name)))
    return pm, infos


def _register(pm: pluggy.PluginManager, name: str, plugin: object) -> None:
    try:
        pm.register(plugin, name=name)
    except (pluggy.PluginValidationError, ValueError) as exc:
        raise PluginError(f"plugin '{name}' cannot be registered: {exc}") from exc
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        pm.unregister(name=name)
        raise PluginError(f"plugin '{name}' implements an unknown hook: {exc}") from exc


def _hooks_of(pm: pluggy.PluginManager, name: str) -> tuple[str, ...]:
    plugin = pm.get_plugin(name)
    callers = pm.get_hookcallers(plugin) or []
    return tuple(sorted(c.name for c in callers))


class PluginHooks:
    """A typed facade over the hooks: one method per hook, the only caller of ``pm.hook``."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self._pm = pm

    def _call_each(
        self, hook_name: str, kwargs_for: Callable[[str], dict[str, Any]]
    ) -> list[tuple[str, Any]]:
        """Call every implementation in plugin-name order; wrap an exception with its origin.

        ``kwargs_for(plugin_name)`` gives the keyword arguments for that plugin's call (an
        implementation receives only the ones it names).
        """
        caller = getattr(self._pm.hook, hook_name)
        out = []
        for impl in sorted(caller.get_hookimpls(), key=lambda i: i.plugin_name):
            given = kwargs_for(impl.plugin_name)
            args = {k: given[k] for k in impl.argnames if k in given}
            try:
                out.append((impl.plugin_name, impl.function(**args)))
            except PluginError as exc:
                if f"hook '{hook_name}'" in str(exc):
                    raise
                raise PluginError(f"{exc} (in hook '{hook_name}')") from exc
            except Exception as exc:
                raise PluginError(
                    f"plugin '{impl.plugin_name}' raised in hook '{hook_name}': "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
        return out

    def register_campaigns(self, make_register: Callable[[str], Callable[..., None]]) -> None:
        """Call ``register_campaigns`` on every plugin with a register bound to that plugin."""
        self._call_each("register_campaigns", lambda name: {"register": make_register(name)})
