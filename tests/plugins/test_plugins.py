"""Plugins and the registry: entry points, the allow-list, errors named by plugin and hook."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from conftest import mini_plan

from emulation_rules import PluginError, RegistryError, hookimpl, load_registry
from emulation_rules.plan.loader import campaign_from_mapping
from emulation_rules.plugins import spec as hookspecs_module


def plugin_module(name: str, register: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    module.register_campaigns = hookimpl(register)  # type: ignore[attr-defined]
    return module


def test_installed_an_giang_plugin_is_found(registry: Any) -> None:
    info = {p.name: p for p in registry.plugins()}["an_giang"]
    assert info.distribution == "emulation-rules-an-giang"
    assert info.version
    assert info.hooks == ("register_campaigns",)
    entry = registry.entry("an_giang.papi_2021")
    assert entry.plugin == "an_giang"
    assert entry.sample is not None and entry.sample.is_file()


def test_allow_list_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMULATION_RULES_PLUGINS", "")
    assert load_registry().campaigns() == ()
    monkeypatch.setenv("EMULATION_RULES_PLUGINS", "an_giang, nothing_else")
    assert [c.id for c in load_registry().campaigns()][:1] == ["an_giang.papi_2021"]
    assert load_registry(plugins=[]).campaigns() == ()


def test_exception_in_a_hook_names_plugin_and_hook() -> None:
    def register_campaigns(register: Any) -> None:
        raise ValueError("broken data")

    with pytest.raises(
        PluginError,
        match=r"plugin 'bad' raised in hook 'register_campaigns'.*"
        r"broken data",
    ):
        load_registry(
            extra_plugins=[("bad", plugin_module("bad", register_campaigns))],
            entry_points=False,
            strict=True,
        )


def test_two_campaigns_with_one_id_are_refused() -> None:
    campaign = campaign_from_mapping(mini_plan())

    def register_campaigns(register: Any) -> None:
        register(campaign)

    plugins = [
        ("testland", plugin_module("a", register_campaigns)),
        ("testland2", plugin_module("b", register_campaigns)),
    ]
    with pytest.raises(PluginError, match=r"does not start with 'testland2\.'"):
        load_registry(extra_plugins=plugins, entry_points=False, strict=True)

    def twice(register: Any) -> None:
        register(campaign)
        register(campaign)

    with pytest.raises(RegistryError, match="registered twice"):
        load_registry(
            extra_plugins=[("testland", plugin_module("c", twice))], entry_points=False, strict=True
        )


def test_unknown_hook_is_refused() -> None:
    module = types.ModuleType("typo")
    module.register_campaign = hookimpl(lambda register: None)  # type: ignore[attr-defined]
    with pytest.raises(PluginError, match="unknown hook"):
        load_registry(extra_plugins=[("typo", module)], entry_points=False, strict=True)


def test_unknown_campaign_lists_the_known_ones(registry: Any) -> None:
    with pytest.raises(RegistryError, match=r"known: .*an_giang\.papi_2021"):
        registry.campaign("an_giang.nope")


def test_importing_the_library_loads_no_plugin() -> None:
    code = (
        "import sys, emulation_rules; "
        "print(any(m.startswith('emulation_rules_') for m in sys.modules), "
        "'durable' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_every_hook_is_typed_and_documented() -> None:
    hooks = [
        fn
        for name, fn in inspect.getmembers(hookspecs_module, inspect.isfunction)
        if hasattr(fn, "emulation_rules_spec")
    ]
    assert hooks, "no hookspecs found"
    for fn in hooks:
        assert fn.__doc__ and len(fn.__doc__.strip()) > 80, fn.__name__
        assert "return" in inspect.get_annotations(fn), fn.__name__


def test_registry_load_by_path(tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(mini_plan(), allow_unicode=True), encoding="utf-8")
    registry = load_registry(paths=[path], entry_points=False)
    assert registry.campaign("testland.mini_2024").title == "Chuyên đề thi đua thử nghiệm"
    assert importlib.import_module("emulation_rules").load_registry is load_registry
