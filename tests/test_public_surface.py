"""The names other systems rely on keep working wherever the modules behind them live."""

from __future__ import annotations

import importlib
import importlib.metadata
import tomllib
from pathlib import Path

import emulation_rules as er

ROOT = Path(__file__).resolve().parents[1]


def test_every_exported_name_resolves() -> None:
    for name in er.__all__:
        assert getattr(er, name) is not None, name
    for name in ("evaluate", "load_registry", "hookimpl", "Campaign", "InputError", "Result"):
        assert name in er.__all__


def _resolve(target: str) -> object:
    module, _, attr = target.partition(":")
    obj: object = importlib.import_module(module)
    for part in filter(None, attr.split(".")):
        obj = getattr(obj, part)
    return obj


def test_console_script_and_pytest_plugin_entry_points_resolve() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert callable(_resolve(project["scripts"]["emulation-rules"]))
    assert _resolve(project["entry-points"]["pytest11"]["emulation_rules"]) is not None
    installed = importlib.metadata.entry_points(group="pytest11")
    assert any(
        ep.value == project["entry-points"]["pytest11"]["emulation_rules"] for ep in installed
    )


def test_plugins_register_under_the_documented_group_and_marker() -> None:
    from emulation_rules.plugins.manager import ENTRY_POINT_GROUP

    assert ENTRY_POINT_GROUP == "emulation_rules"
    assert er.hookimpl.project_name == "emulation_rules"
    names = {ep.name for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}
    assert {"an_giang", "binh_dinh", "tien_giang", "thuan_bac"} <= names
