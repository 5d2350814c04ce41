"""Listing the installed campaigns fast, from what an earlier validation remembered.

Validating a plan needs the plan models (pydantic) and takes a few tenths of a second per
process; ``emulation-rules campaigns`` only prints each campaign's id, period and title. When a
plan file is validated by :func:`~emulation_rules.plugins.registry.load_registry`, that line is
kept in a small cache, keyed by the SHA-256 digest of the file's bytes and of the plan models'
source (and the library's version): :func:`campaign_lines` gives every installed campaign's line
from that cache without importing the models, or ``None`` — and the caller loads the registry as
usual — as soon as anything is not exactly as when it was remembered (a plan file changed or not
seen before, the plan models changed, a plugin that failed or printed while loading, a campaign
registered as an object, an id registered twice, a missing sample).

The cache lives in ``$EMULATION_RULES_CACHE`` (a directory; set it empty to turn the cache off),
else ``$XDG_CACHE_HOME/emulation-rules``, else ``~/.cache/emulation-rules``. Nothing in it is
needed: a cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from emulation_rules.plugins.manager import PluginHooks, load_plugins

if TYPE_CHECKING:
    from emulation_rules.plan.campaign import Campaign

ENV_CACHE = "EMULATION_RULES_CACHE"


def cache_dir() -> Path | None:
    """Where remembered plans live (None when the cache is turned off)."""
    configured = os.environ.get(ENV_CACHE)
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "emulation-rules"


@functools.cache
def _models_digest() -> str:
    """The digest of the plan models' source and the library's version: a change to either
    forgets every remembered plan."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256()
    try:
        h.update(version("emulation-rules").encode())
    except PackageNotFoundError:  # a source tree
        h.update(b"0+unknown")
    plan = Path(__file__).resolve().parent.parent / "plan"
    for source in sorted(plan.glob("*.py")):
        h.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    return h.hexdigest()


def _key(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return hashlib.sha256(_models_digest().encode() + b"\0" + data).hexdigest()


def line_of(campaign: Campaign) -> str:
    """The line ``emulation-rules campaigns`` prints for a campaign."""
    return f"{campaign.id}\t{campaign.period.start} – {campaign.period.end}\t{campaign.title}"


def remember(path: Path | str, campaign: Campaign) -> None:
    """Keep the listing line of a plan file just validated (silently nothing on any failure)."""
    where = cache_dir()
    key = _key(Path(path))
    if where is None or key is None:
        return
    entry = {"id": campaign.id, "line": line_of(campaign)}
    try:
        folder = where / "plans"
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(entry, handle, ensure_ascii=False)
        os.replace(tmp, folder / f"{key}.json")
    except OSError:
        return


def _recall(path: Path) -> dict[str, Any] | None:
    where = cache_dir()
    key = _key(path)
    if where is None or key is None:
        return None
    try:
        entry = json.loads((where / "plans" / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or not all(
        isinstance(entry.get(k), str) for k in ("id", "line")
    ):
        return None
    return entry


class _Unknown(Exception):
    """Something the cache cannot answer: load the registry instead."""


def campaign_lines() -> list[str] | None:
    """Every installed campaign's listing line, sorted by id, from remembered plans; None when
    the registry must be loaded to know (see the module's docstring)."""
    loaded = load_plugins(plugins=None, extra=(), entry_points=True, strict=False)
    if loaded.failures or loaded.outputs:
        return None
    found: list[tuple[str, str, str]] = []  # (id, line, plugin)

    def make_register(plugin: str) -> Callable[..., None]:
        def register(plan: Any, *, sample: Path | str | None = None) -> None:
            if not isinstance(plan, Path | str):
                raise _Unknown  # a campaign built in Python: the registry validates it
            entry = _recall(Path(plan))
            if entry is None:
                raise _Unknown
            if not entry["id"].startswith(plugin + "."):
                raise _Unknown
            if sample is not None and not Path(sample).is_file():
                raise _Unknown
            found.append((entry["id"], entry["line"], plugin))

        return register

    hooks = PluginHooks(loaded.pm, strict=True)
    try:
        hooks.register_campaigns(make_register)
    except Exception:  # _Unknown, or a hook failing: the registry says it properly
        return None
    if hooks.outputs or len({i for i, _, _ in found}) != len(found):
        return None
    return [line for _, line, _ in sorted(found)]
