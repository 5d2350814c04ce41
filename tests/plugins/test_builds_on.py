"""Plans built on another plugin's rules (``builds_on``): composed by the registry with the
campaign whose period covers the year named, and a missing plugin named, never a silent pass."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
from pathlib import Path
from typing import Any

import pytest

from emulation_rules import PluginError, evaluate, load_registry
from emulation_rules.engine.compiler import compile_plan
from emulation_rules.errors import EvaluationError, PlanError
from emulation_rules.plan.loader import load_campaign

BINH_DINH_2024 = (
    Path(__file__).resolve().parents[2]
    / "plugins/binh_dinh/src/emulation_rules_binh_dinh/bang_khen_ca_nhan_2024.yaml"
)


def _without(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Hide one installed plugin's entry point, as if its distribution were not installed."""
    real = importlib.metadata.entry_points

    def entry_points(**kwargs: Any) -> importlib.metadata.EntryPoints:
        return importlib.metadata.EntryPoints(ep for ep in real(**kwargs) if ep.name != name)

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)


def test_the_national_rules_load_with_the_plan_and_compose_by_year() -> None:
    registry = load_registry(plugins=["binh_dinh"])  # vn_law comes with it
    campaign = registry.campaign("binh_dinh.bang_khen_ca_nhan_2024")
    (entry,) = campaign.builds_on
    assert entry.campaign == "vn_law.danh_hieu_2024"
    awards = {a.id for a in campaign.awards}
    assert {
        "bang_khen_ca_nhan_2024",
        "luat_2024__bang_khen_ca_nhan",
        "luat_2024__chien_si_thi_dua_co_so",
        "luat_2024__lao_dong_tien_tien",
    } == awards
    assert "luat_2024__bk_so_sang_kien" in {p.id for p in campaign.parameters}
    assert "luat_2024.bang_khen.diem_d" in {c.id for c in campaign.criteria}
    # the imported award keeps the year it recognises, and its sources are the plugin's
    imported = campaign.award("luat_2024__bang_khen_ca_nhan")
    assert imported.span is not None and imported.span.start.year == 2024
    assert imported.citation.source == "vn_law.luat_2022"


def test_an_override_of_an_imported_parameter_takes_its_new_name() -> None:
    registry = load_registry(plugins=["binh_dinh"])
    campaign = registry.campaign("binh_dinh.bang_khen_ca_nhan_2024")
    person = {
        "ket_qua_nhiem_vu": {"2023": "Hoàn thành xuất sắc nhiệm vụ", "2024": "HTXSNV"},
        "tu_luc_doan_ket": {"2024": True},
        "ngay_bat_dau_lam_viec": "2012-01-02",
        "hinh_thuc_ky_luat": {"2024": "Không bị kỷ luật"},
        "dang_bi_xem_xet": False,
        "sang_kien": {"2023": ["SK-1"], "2024": []},
        "sang_kien_da_su_dung": {"2023": [], "2024": []},
        "danh_hieu_cstdcs": {"2023": False},
    }
    document = {
        "candidates": [
            {
                "id": "snv",
                "name": "Sở Nội vụ",
                "kind": "collective",
                "unit_type": "so_ban_nganh",
                "facts": {"par_index_2024": 93.1, "sipas_2024": 95.0, "ddci_assessed": False},
            },
            {"id": "cn", "name": "Lê Thị Hoa", "kind": "individual", "unit_id": "snv"}
            | {"facts": person},
        ]
    }

    def status(overrides: dict[str, Any]) -> str:
        result = evaluate(campaign, document, registry=registry, overrides=overrides)
        (cn,) = [c for c in result.candidates if c.id == "cn"]
        return cn.awards["bang_khen_ca_nhan_2024"]

    assert status({}) == "ineligible"  # one initiative over 2023-2024, two needed
    assert status({"luat_2024__bk_so_sang_kien": 1}) == "eligible"


def test_the_national_plugin_absent_leaves_the_plan_out_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _without(monkeypatch, "vn_law")
    registry = load_registry(plugins=["binh_dinh"])
    assert "binh_dinh.bang_khen_ca_nhan_2024" not in {e.campaign.id for e in registry.entries}
    (failure,) = [f for f in registry.failures if f.plugin == "binh_dinh"]
    assert "reads the rules of plugin 'vn_law', which is not installed" in failure.message
    assert "emulation-rules-vn-law" in failure.message
    with pytest.raises(PluginError, match="plugin 'vn_law', which is not installed"):
        load_registry(plugins=["binh_dinh"], strict=True)


def test_a_plan_file_picks_the_regime_by_its_year_or_says_none_covers_it(tmp_path: Path) -> None:
    text = BINH_DINH_2024.read_text("utf-8")
    older = tmp_path / "older.yaml"
    older.write_text(
        text.replace("id: binh_dinh.bang_khen_ca_nhan_2024", "id: test.bk_2023")
        .replace("year: 2024", "year: 2023")
        .replace("start: 2024-01-01", "start: 2023-01-01")
        .replace("end: 2024-12-31", "end: 2023-12-31"),
        "utf-8",
    )
    registry = load_registry(plugins=["vn_law"], paths=[older])
    (entry,) = registry.campaign("test.bk_2023").builds_on
    assert entry.campaign == "vn_law.danh_hieu_2023"  # regime A: achievements up to 2023

    later = tmp_path / "later.yaml"
    later.write_text(text.replace("year: 2024", "year: 2031"), "utf-8")
    with pytest.raises(PlanError, match="has no campaign covering the year 2031"):
        load_registry(plugins=["vn_law"], paths=[later])

    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(text.replace("awards: [bang_khen_ca_nhan]", "awards: [bang_khen]"), "utf-8")
    with pytest.raises(PlanError, match="has no award 'bang_khen'"):
        load_registry(plugins=["vn_law"], paths=[wrong])


def test_a_plan_not_composed_is_refused_by_the_compiler_naming_the_plugin() -> None:
    campaign = load_campaign(BINH_DINH_2024)  # loaded alone: not composed
    with pytest.raises(EvaluationError, match="builds on national rules that are not composed"):
        compile_plan(campaign, dt.date(2025, 1, 10))


def test_show_names_the_national_campaign_the_plan_builds_on() -> None:
    from click.testing import CliRunner

    from emulation_rules.cli import main

    shown = CliRunner().invoke(main, ["show", "binh_dinh.bang_khen_ca_nhan_2024"])
    assert shown.exit_code == 0, shown.output
    assert (
        "xây dựng trên: luat_2024 = bang_khen_ca_nhan của vn_law.danh_hieu_2024 "
        "(plugin vn_law, năm 2024)"
    ) in shown.output
    assert "luat_2024.bang_khen.diem_d (cá nhân)" in shown.output
