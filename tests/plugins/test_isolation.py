"""A host that survives its plugins (issue 13 item 1; issue 10 items 2 and 12): a plugin that
fails to import, to register or in its hook — SystemExit and KeyboardInterrupt included — is
recorded against it and left out, and the other plugins work; what a plugin prints never
reaches a command's output."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fake_plugins import install_plugin, plan_for

from emulation_rules import PluginError, load_registry
from emulation_rules.cli import main

SHIPPED = {"an_giang", "binh_dinh", "thuan_bac", "tien_giang", "vn_law"}
AN_GIANG_SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "plugins/an_giang/src/emulation_rules_an_giang/sample_2021.json"
)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory of test-installed plugins, first on sys.path for this test only."""
    path = tmp_path / "site"
    path.mkdir()
    monkeypatch.syspath_prepend(str(path))
    monkeypatch.delenv("EMULATION_RULES_PLUGINS", raising=False)
    before = set(sys.modules)
    yield path
    for name in set(sys.modules) - before:
        if name.startswith("emulation_rules_"):
            del sys.modules[name]


def cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def typo(plan: dict[str, Any]) -> None:
    plan["criteria"][0]["rule"]["fact"] = "parr"


def test_a_broken_plugin_beside_the_shipped_ones_leaves_them_usable(site: Path) -> None:
    install_plugin(site, "broken", plan=plan_for("broken", typo))
    registry = load_registry()
    assert {i.name for i in registry.plugins()} == SHIPPED
    (failure,) = registry.failures
    assert (failure.plugin, failure.hook) == ("broken", "register_campaigns")
    assert failure.distribution == "emulation-rules-broken"
    assert "reads undeclared fact 'parr' (did you mean 'par'?)" in failure.message
    assert registry.campaign("an_giang.papi_2021").id == "an_giang.papi_2021"
    with pytest.raises(Exception, match=r"campaign 'broken.mini_2024' is not available: plugin "):
        registry.campaign("broken.mini_2024")
    assert "broken: broken" in repr(registry) and len(repr(registry)) < 300

    listed = cli("plugins")
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == sorted([*SHIPPED, "broken"])
    broken = next(line for line in lines if line.startswith("broken\t"))
    assert "\tBROKEN (register_campaigns): plugin 'broken' raised in hook" in broken
    assert "did you mean 'par'?" in broken

    ok = cli("evaluate", "an_giang.papi_2021", str(AN_GIANG_SAMPLE), "--format", "json")
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["campaign"] == "an_giang.papi_2021"
    assert "warning: plugin 'broken' is left out" in ok.stderr

    bad = cli("show", "broken.mini_2024")
    assert bad.exit_code == 2
    assert bad.stderr.splitlines()[-1].startswith(
        "error: campaign 'broken.mini_2024' is not available: plugin 'broken' did not load: "
    )
    assert "Traceback" not in bad.output


def test_strict_keeps_raising_on_the_first_failure(site: Path) -> None:
    install_plugin(site, "broken", plan=plan_for("broken", typo))
    with pytest.raises(PluginError, match=r"plugin 'broken' raised in hook 'register_campaigns'"):
        load_registry(strict=True)
    result = cli("--strict", "plugins")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: plugin 'broken' raised in hook 'register_campaigns'")


def test_import_and_registration_failures_are_recorded(site: Path) -> None:
    install_plugin(site, "noimport", top="raise ImportError('no module named scipy')")
    module = install_plugin(site, "typo")
    init = module / "__init__.py"
    init.write_text(
        init.read_text(encoding="utf-8").replace("def register_campaigns", "def register_campaign"),
        encoding="utf-8",
    )
    registry = load_registry()
    failures = {f.plugin: f for f in registry.failures}
    assert failures["noimport"].hook == "import"
    assert failures["noimport"].message == (
        "plugin 'noimport' (emulation-rules-noimport) failed to import: "
        "ImportError: no module named scipy"
    )
    assert failures["typo"].hook == "register"
    assert "implements an unknown hook" in failures["typo"].message
    assert {i.name for i in registry.plugins()} == SHIPPED


@pytest.mark.parametrize(
    ("raised", "said"),
    [
        ("raise SystemExit(0)", "it called sys.exit(0)"),
        ("import sys; sys.exit(3)", "it called sys.exit(3)"),
        ("raise KeyboardInterrupt", "KeyboardInterrupt (interrupted, or the plugin raised it)"),
    ],
)
def test_item2_systemexit_or_keyboardinterrupt_in_a_hook_is_recorded_against_the_plugin(
    site: Path, tmp_path: Path, raised: str, said: str
) -> None:
    install_plugin(site, "quitter", body=raised)
    registry = load_registry()
    (failure,) = registry.failures
    assert failure.plugin == "quitter" and failure.hook == "register_campaigns"
    assert failure.message == f"plugin 'quitter' raised in hook 'register_campaigns': {said}"
    # a command on another campaign works; one on the quitter's says why, with exit status 2,
    # and leaves the earlier output file alone
    out = tmp_path / "out.json"
    out.write_text("an earlier run", encoding="utf-8")
    good = cli(
        "evaluate",
        "an_giang.papi_2021",
        str(AN_GIANG_SAMPLE),
        "--format",
        "json",
        "-o",
        str(out),
    )
    assert good.exit_code == 0 and json.loads(out.read_text(encoding="utf-8"))["campaign"]
    out.write_text("an earlier run", encoding="utf-8")
    bad = cli("evaluate", "quitter.mini_2024", str(AN_GIANG_SAMPLE), "-o", str(out))
    assert bad.exit_code == 2
    assert "plugin 'quitter' did not load: plugin 'quitter' raised in hook" in bad.stderr
    assert said in bad.stderr and "Aborted!" not in bad.output
    assert out.read_text(encoding="utf-8") == "an earlier run"


def test_item12_a_plugin_printing_to_stdout_cannot_corrupt_json_output(site: Path) -> None:
    install_plugin(
        site,
        "chatty",
        top="print('loading chatty…')",
        body="print('registering'); import sys; sys.stdout.buffer.write(b'raw bytes\\n')",
    )
    result = cli("evaluate", "an_giang.papi_2021", str(AN_GIANG_SAMPLE), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["campaign"] == "an_giang.papi_2021"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: plugin 'chatty' printed 16 character(s) to standard output in its import "
        "(left out of the output): 'loading chatty…'",
        "warning: plugin 'chatty' printed 22 character(s) to standard output in hook "
        "'register_campaigns' (left out of the output): 'registering raw bytes'",
    ]
    registry = load_registry()  # the module is imported once per process: only the hook prints
    assert [(o.plugin, o.hook, o.text) for o in registry.printed] == [
        ("chatty", "register_campaigns", "registering\nraw bytes\n")
    ]
    assert registry.campaign("chatty.mini_2024")


def test_two_plugins_registering_one_campaign_id_are_both_left_out(site: Path) -> None:
    install_plugin(site, "first")
    install_plugin(site, "second", plan=plan_for("first"))  # registers first.mini_2024
    registry = load_registry()
    assert {f.plugin for f in registry.failures} == {"second"}
    assert "does not start with 'second.'" in registry.failures[0].message
    assert registry.campaign("first.mini_2024")


def test_no_plugins_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMULATION_RULES_PLUGINS", "")
    result = cli("plugins")
    assert result.exit_code == 0
    assert result.stdout == "no plugins (EMULATION_RULES_PLUGINS is set and empty)\n"
    monkeypatch.setenv("EMULATION_RULES_PLUGINS", "nothing_installed")
    assert cli("plugins").stdout == "no plugins\n"
