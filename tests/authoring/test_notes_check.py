"""`check` warns about a citation note that points to a file the plugin does not hold; the
shipped plugins' notes stand on their own."""

from __future__ import annotations

from pathlib import Path

from emulation_rules import Registry
from emulation_rules.authoring.checks import check_campaign, check_registry
from emulation_rules.authoring.checks.notes import FILE_REFERENCE
from emulation_rules.plan.loader import load_campaign

PLAN = Path(__file__).resolve().parents[2] / "plugins" / "an_giang" / "src"
PLAN_FILE = PLAN / "emulation_rules_an_giang" / "papi_2021.yaml"


def test_the_shipped_notes_stand_on_their_own(registry: Registry) -> None:
    problems = [p for p in check_registry(registry, shipped=False) if p.check == "notes"]
    assert problems == []
    for entry in registry.entries:
        for _, citation in entry.campaign.citations():
            assert not FILE_REFERENCE.findall(citation.note or ""), citation.note


def test_a_note_pointing_to_a_missing_file_is_a_warning(tmp_path: Path) -> None:
    text = PLAN_FILE.read_text(encoding="utf-8")
    text = text.replace(
        "all six are read as required.",
        "all six are read as required (plans.md §1; see also notes/extra.txt and README.md).",
        1,
    )
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("here\n", encoding="utf-8")
    src = tmp_path / "src"
    src.mkdir()
    plan = src / "papi_2021.yaml"
    plan.write_text(text, encoding="utf-8")
    campaign = load_campaign(plan)
    found = [p for p in check_campaign(campaign, origin=str(plan)) if p.check == "notes"]
    assert [p.severity for p in found] == ["warning", "warning"]
    assert "points to 'plans.md', which is not in the plugin" in found[0].message
    assert "'notes/extra.txt'" in found[1].message  # README.md is in the plugin: no warning
    assert found[0].element == "criterion:tap_the.ke_hoach_8_chi_so"
    # without the plan's file, every file a note names is reported
    unknown = [p for p in check_campaign(campaign) if p.check == "notes"]
    assert len(unknown) == 3 and "the plan's file is not known" in unknown[0].message


def test_what_counts_as_a_file_in_a_note() -> None:
    text = (
        "read plans.md §1 and shared/domain/legal-frame.md; QĐ 1149/QĐ-BNV, "
        "NĐ 91/2017/NĐ-CP, 0.5 points, chinhphu.vn, e-mail a@b.md"
    )
    assert FILE_REFERENCE.findall(text) == ["plans.md", "shared/domain/legal-frame.md"]
