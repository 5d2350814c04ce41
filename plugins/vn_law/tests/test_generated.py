"""The shipped yearly campaigns are exactly what the two regime templates give."""

from __future__ import annotations

from emulation_rules_vn_law import YEARS, generate


def test_every_yearly_campaign_matches_its_template() -> None:
    assert generate.stale() == []
    assert tuple(generate.YEARS) == YEARS


def test_the_regime_follows_the_year_assessed() -> None:
    assert {y: r for y, r in generate.YEARS.items()} == {
        2021: "A",
        2022: "A",
        2023: "A",
        2024: "B",
        2025: "B",
    }
    assert "Luật 06/2022/QH15" in generate.render(2024)
    assert "Luật 06/2022/QH15" not in generate.render(2023)
    assert "unconfirmed: true" in generate.render(2025).split("participants:")[0]
    assert "unconfirmed: false" in generate.render(2024).split("participants:")[0]
