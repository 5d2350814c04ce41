"""Loading the plugins, one at a time, so that a broken one cannot take the others down.

Nothing happens at import: :func:`load_plugins` builds a plugin manager when asked. Plugins come
from entry points of the ``emulation_rules`` group, sorted by name; the environment variable
``EMULATION_RULES_PLUGINS`` (comma-separated entry-point names) restricts which load, and an
empty value loads none.

Isolation: a plugin that fails to import, to register (an unknown hook), or raises in a hook —
any exception, ``SystemExit`` and ``KeyboardInterrupt`` included — is recorded as a
:class:`PluginFailure` (the plugin, the step, the error) and left out; the others load. With
``strict=True`` the first failure is raised as a :class:`~emulation_rules.errors.PluginError`
instead, naming the plugin and the hook (for CI).

Standard output is captured while a plugin's module is imported and while its hooks run, so that
a plugin that prints cannot corrupt a command's output (``--format json``): what it printed is
kept as a :class:`PluginOutput` for the caller to report. Only writes through ``sys.stdout`` are
captured; a plugin writing to file descriptor 1 directly (``os.write``, C code) is not.

Only :class:`PluginHooks` touches ``pm.hook``; it calls each implementation itself so that every
failure is attributed to its plugin and hook.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import attrs
import pluggy

from emulation_rules import errors
from emulation_rules.errors import EmulationRulesError, PluginError
from emulation_rules.plugins import spec as hookspecs

ENV_ALLOW_LIST = "EMULATION_RULES_PLUGINS"
ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME
_SHOWN_OUTPUT = 120


@attrs.frozen
class PluginInfo:
    """An installed plugin that loaded: its entry-point name, distribution, version, hooks."""

    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]


@attrs.frozen
class PluginFailure:
    """A plugin left out: which, at which step (``import``, ``register`` or a hook's name), why.

    ``message`` is the whole error (a plan error has one line per problem); :attr:`summary` is
    it on one line.
    """

    plugin: str
    hook: str
    message: str
    distribution: str | None = None
    version: str | None = None

    @property
    def summary(self) -> str:
        """The error on one line: its first line, and how many more lines it has."""
        lines = [line for line in self.message.splitlines() if line.strip()] or ["(no message)"]
        more = len(lines) - 1
        return lines[0] + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")

    def __str__(self) -> str:
        return self.summary


@attrs.frozen
class PluginOutput:
    """Text a plugin wrote to standard output while it loaded or ran a hook (kept out of the
    command's own output)."""

    plugin: str
    hook: str
    text: str

    @property
    def summary(self) -> str:
        """One line: how much it printed and the beginning of it."""
        shown = " ".join(self.text.split())
        if len(shown) > _SHOWN_OUTPUT:
            shown = shown[: _SHOWN_OUTPUT - 1] + "…"
        return (
            f"plugin '{self.plugin}' printed {len(self.text)} character(s) to standard output "
            f"in {_step(self.hook)} (left out of the output): {shown!r}"
        )


@attrs.frozen
class LoadedPlugins:
    """The plugin manager with the plugins that registered, and what went wrong for others."""

    pm: pluggy.PluginManager
    infos: tuple[PluginInfo, ...]
    failures: tuple[PluginFailure, ...]
    outputs: tuple[PluginOutput, ...]


def allow_list(environ: dict[str, str] | None = None) -> frozenset[str] | None:
    """The plugin names allowed by ``EMULATION_RULES_PLUGINS`` (None: every installed plugin)."""
    env = os.environ if environ is None else environ
    raw = env.get(ENV_ALLOW_LIST)
    if raw is None:
        return None
    return frozenset(name.strip() for name in raw.split(",") if name.strip())


def load_plugins(
    *,
    plugins: Iterable[str] | None = None,
    extra: Sequence[tuple[str, object]] = (),
    entry_points: bool = True,
    strict: bool = False,
) -> LoadedPlugins:
    """Import and register the installed plugins, each on its own.

    ``plugins`` restricts the entry points loaded (default: the allow-list variable, else all);
    ``extra`` registers in-process plugins as ``(name, module_or_object)`` pairs (tests, scripts).
    A failure is recorded and the plugin left out, or raised at once with ``strict``.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    infos: list[PluginInfo] = []
    failures: list[PluginFailure] = []
    outputs: list[PluginOutput] = []

    def fail(failure: PluginFailure, cause: BaseException | None = None) -> None:
        if strict:
            raise PluginError(failure.message) from cause
        failures.append(failure)

    wanted = frozenset(plugins) if plugins is not None else allow_list()
    if entry_points:
        by_name: dict[str, list[importlib.metadata.EntryPoint]] = {}
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            if wanted is None or ep.name in wanted:
                by_name.setdefault(ep.name, []).append(ep)
        for name in sorted(by_name):
            eps = by_name[name]
            dists = sorted({_dist(ep)[0] or "?" for ep in eps})
            if len(eps) > 1:
                fail(
                    PluginFailure(
                        name,
                        "import",
                        f"two distributions declare the plugin '{name}': {' and '.join(dists)}",
                        ", ".join(dists),
                    )
                )
                continue
            (ep,) = eps
            dist, version = _dist(ep)
            with _captured(name, "import", outputs):
                try:
                    module = ep.load()
                except BaseException as exc:
                    fail(
                        PluginFailure(
                            name,
                            "import",
                            f"plugin '{name}' ({dist}) failed to import: {_describe(exc)}",
                            dist,
                            version,
                        ),
                        exc,
                    )
                    continue
            problem = _register(pm, name, module)
            if problem is not None:
                fail(PluginFailure(name, "register", problem, dist, version))
                continue
            infos.append(PluginInfo(name, dist, version, _hooks_of(pm, name)))
    for name, obj in extra:
        problem = _register(pm, name, obj)
        if problem is not None:
            fail(PluginFailure(name, "register", problem))
            continue
        infos.append(PluginInfo(name, None, None, _hooks_of(pm, name)))
    return LoadedPlugins(pm, tuple(infos), tuple(failures), tuple(outputs))


def make_plugin_manager(
    *,
    plugins: Iterable[str] | None = None,
    extra: Sequence[tuple[str, object]] = (),
    entry_points: bool = True,
) -> tuple[pluggy.PluginManager, list[PluginInfo]]:
    """Build a plugin manager with the installed plugins, raising on the first failure."""
    loaded = load_plugins(plugins=plugins, extra=extra, entry_points=entry_points, strict=True)
    return loaded.pm, list(loaded.infos)


def _dist(ep: importlib.metadata.EntryPoint) -> tuple[str | None, str | None]:
    if ep.dist is None:
        return None, None
    return ep.dist.name, ep.dist.version


def _register(pm: pluggy.PluginManager, name: str, plugin: object) -> str | None:
    """Register one plugin; the reason if it cannot be (and then it is left unregistered)."""
    try:
        pm.register(plugin, name=name)
    except (pluggy.PluginValidationError, ValueError) as exc:
        return f"plugin '{name}' cannot be registered: {exc}"
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        pm.unregister(name=name)
        return f"plugin '{name}' implements an unknown hook: {exc}"
    return None


def _hooks_of(pm: pluggy.PluginManager, name: str) -> tuple[str, ...]:
    plugin = pm.get_plugin(name)
    callers = pm.get_hookcallers(plugin) or []
    return tuple(sorted(c.name for c in callers))


def _describe(exc: BaseException) -> str:
    """An exception on one line: its type and message; sys.exit and Ctrl-C said plainly."""
    if isinstance(exc, SystemExit):
        return f"it called sys.exit({exc.code!r})"
    if isinstance(exc, KeyboardInterrupt):
        return "KeyboardInterrupt (interrupted, or the plugin raised it)"
    text = str(exc)
    kind = type(exc).__name__
    if isinstance(exc, EmulationRulesError):  # the documented class, not a private subclass
        kind = next(c.__name__ for c in type(exc).__mro__ if c.__module__ == errors.__name__)
    return f"{kind}: {text}" if text else kind


def _step(hook: str) -> str:
    return {"import": "its import", "register": "its registration"}.get(hook, f"hook '{hook}'")


class _Capture(io.TextIOWrapper):
    """A text stream with a ``buffer``, like ``sys.stdout``, that keeps what is written."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8", errors="replace", write_through=True)

    def text(self) -> str:
        self.flush()
        raw = self.buffer
        assert isinstance(raw, io.BytesIO)
        return raw.getvalue().decode("utf-8", errors="replace")


@contextlib.contextmanager
def _captured(plugin: str, hook: str, outputs: list[PluginOutput]) -> Iterator[None]:
    """Keep what the plugin writes to ``sys.stdout`` out of the real standard output."""
    capture = _Capture()
    try:
        with contextlib.redirect_stdout(capture):
            yield
    finally:
        text = capture.text()
        if text:
            outputs.append(PluginOutput(plugin, hook, text))


class PluginHooks:
    """A typed facade over the hooks: one method per hook, the only caller of ``pm.hook``.

    A plugin that raises in a hook is recorded in :attr:`failures` (or, with ``strict``, raised
    as a :class:`PluginError`) and not called again; what plugins print goes to :attr:`outputs`.
    """

    def __init__(self, pm: pluggy.PluginManager, *, strict: bool = False) -> None:
        self._pm = pm
        self._strict = strict
        self.failures: list[PluginFailure] = []
        self.outputs: list[PluginOutput] = []

    def failed(self, plugin: str) -> bool:
        return any(f.plugin == plugin for f in self.failures)

    def _call_each(
        self, hook_name: str, kwargs_for: Callable[[str], dict[str, Any]]
    ) -> list[tuple[str, Any]]:
        """Call every implementation in plugin-name order; record or raise a failure with its
        origin. ``kwargs_for(plugin_name)`` gives the keyword arguments for that plugin's call
        (an implementation receives only the ones it names)."""
        caller = getattr(self._pm.hook, hook_name)
        out = []
        for impl in sorted(caller.get_hookimpls(), key=lambda i: i.plugin_name):
            name = impl.plugin_name
            if self.failed(name):
                continue
            given = kwargs_for(name)
            args = {k: given[k] for k in impl.argnames if k in given}
            try:
                with _captured(name, hook_name, self.outputs):
                    out.append((name, impl.function(**args)))
            except PluginError as exc:
                text = str(exc)
                message = (
                    text if f"hook '{hook_name}'" in text else f"{text} (in hook '{hook_name}')"
                )
                self._fail(PluginFailure(name, hook_name, message), exc)
            except BaseException as exc:
                message = f"plugin '{name}' raised in hook '{hook_name}': {_describe(exc)}"
                self._fail(PluginFailure(name, hook_name, message), exc)
        return out

    def _fail(self, failure: PluginFailure, cause: BaseException) -> None:
        if self._strict:
            raise PluginError(failure.message) from cause
        self.failures.append(failure)

    def register_campaigns(self, make_register: Callable[[str], Callable[..., None]]) -> None:
        """Call ``register_campaigns`` on every plugin with a register bound to that plugin."""
        self._call_each("register_campaigns", lambda name: {"register": make_register(name)})


__all__ = [
    "ENTRY_POINT_GROUP",
    "ENV_ALLOW_LIST",
    "LoadedPlugins",
    "PluginFailure",
    "PluginHooks",
    "PluginInfo",
    "PluginOutput",
    "allow_list",
    "load_plugins",
    "make_plugin_manager",
]
