"""Start-up: `import emulation_rules` and `emulation-rules campaigns` import nothing heavy; plans
are parsed once per process and remembered by the digest of their bytes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from emulation_rules import load_registry
from emulation_rules.plan.loader import load_campaign
from emulation_rules.plugins import listing

#: modules that `import emulation_rules` and the listing commands must not import
HEAVY = (
    "numpy",
    "polars",
    "pydantic",
    "durable",
    "durable_rules_engine",
    "openpyxl",
    "docx",
    "docxtpl",
    "babel",
    "fastapi",
    "orjson",
    "rich",
    "yaml",
    "emulation_rules.plan.campaign",
    "emulation_rules.engine.columnar",
)


def _imported_after(code: str, env: dict[str, str]) -> tuple[list[str], str]:
    probe = (
        f"import sys, json\n{code}\n"
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(done.stderr.strip().splitlines()[-1]), done.stdout


def _env(cache: Path) -> dict[str, str]:
    return {**os.environ, listing.ENV_CACHE: str(cache)}


def test_import_emulation_rules_imports_nothing_heavy(tmp_path: Path) -> None:
    heavy, _ = _imported_after("import emulation_rules", _env(tmp_path))
    assert heavy == []
    # the names are there, each imported when first read
    heavy, _ = _imported_after(
        "import emulation_rules as er\nassert er.hookimpl is not None", _env(tmp_path)
    )
    assert heavy == []


def test_campaigns_lists_from_remembered_plans_without_the_models(tmp_path: Path) -> None:
    run = (
        "from emulation_rules.cli import main\n"
        "try:\n    main(['campaigns'])\nexcept SystemExit:\n    pass"
    )
    cold_heavy, cold = _imported_after(run, _env(tmp_path))
    assert "pydantic" in cold_heavy  # the first run validates the plans, and remembers them
    warm_heavy, warm = _imported_after(run, _env(tmp_path))
    assert warm_heavy == []
    assert warm == cold
    expected = [listing.line_of(c) for c in load_registry().campaigns()]
    assert warm.splitlines() == expected
    # with the cache turned off the registry is loaded, and says the same
    off_heavy, off = _imported_after(run, {**os.environ, listing.ENV_CACHE: ""})
    assert "pydantic" in off_heavy and off == cold


def test_a_changed_plan_file_is_not_recalled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(listing.ENV_CACHE, str(tmp_path / "cache"))
    entry = load_registry().entry("an_giang.papi_2021")
    plan = tmp_path / "plan.yaml"
    shutil.copyfile(entry.origin, plan)
    campaign = load_campaign(plan)
    listing.remember(plan, campaign)  # (the registry remembered the same bytes already)
    assert listing._recall(plan) == {"id": campaign.id, "line": listing.line_of(campaign)}
    plan.write_text(plan.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert listing._recall(plan) is None


def test_a_plan_file_is_parsed_once_per_process_until_it_changes(tmp_path: Path) -> None:
    entry = load_registry().entry("an_giang.papi_2021")
    plan = tmp_path / "plan.yaml"
    shutil.copyfile(entry.origin, plan)
    first = load_campaign(plan)
    assert load_campaign(plan) is first
    text = plan.read_text(encoding="utf-8").replace("tỉnh An Giang năm 2021", "tỉnh An Giang 2021")
    plan.write_text(text, encoding="utf-8")
    second = load_campaign(plan)
    assert second is not first and second.title != first.title


def test_an_unreadable_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file-not-directory"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setenv(listing.ENV_CACHE, str(blocked))
    registry = load_registry()  # remembering fails silently
    assert listing.campaign_lines() is None
    assert registry.campaigns()
