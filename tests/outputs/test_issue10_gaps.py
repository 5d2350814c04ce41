"""Issue 10, what the per-item tests of the other files left out (found while listing item → test
→ doc for the issue's closing): item 10's tab- and carriage-return-leading cells."""

from __future__ import annotations

import csv
import io

import pytest

from emulation_rules import Registry, evaluate
from emulation_rules.outputs.cells import looks_like_formula, spreadsheet_text, unescape
from emulation_rules.outputs.results import render_csv

CAMPAIGN = "an_giang.papi_2021"


@pytest.mark.parametrize("first", ["\t", "\r"])
def test_item10_a_cell_starting_with_a_tab_or_carriage_return_is_escaped(first: str) -> None:
    """A spreadsheet trims a leading tab or CR and then reads the rest as a formula."""
    for value in (f"{first}=1+1", f"{first}x", first):
        assert looks_like_formula(value)
        assert spreadsheet_text(value) == "'" + value
        assert unescape(spreadsheet_text(value)) == value


def test_item10_names_led_by_a_tab_or_a_line_break_never_reach_a_cell_unescaped(
    registry: Registry,
) -> None:
    """Through the whole path: the input strips the blank, the writer escapes what remains."""
    doc = registry.entry(CAMPAIGN).sample_document()
    doc["candidates"][0]["name"] = "\t=1+1"
    doc["candidates"][1]["name"] = "\r\n-2"
    rows = list(csv.reader(io.StringIO(render_csv(evaluate(registry.campaign(CAMPAIGN), doc)))))
    names = {row[0]: row[1] for row in rows[1:]}
    assert names[doc["candidates"][0]["id"]] == "'=1+1"
    assert names[doc["candidates"][1]["id"]] == "'-2"
    for row in rows:
        assert not any(looks_like_formula(cell) for cell in row), row
