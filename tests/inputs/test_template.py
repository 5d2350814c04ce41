"""The input form: written for every shipped campaign, its validations checked, filled in
programmatically and evaluated to the same result as the campaign's JSON sample."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from filled_forms import fill_form

from emulation_rules import Registry, evaluate
from emulation_rules.cli import main
from emulation_rules.evaluation.evaluate import evaluate_validated, resolve_as_of
from emulation_rules.inputs.files import load_input
from emulation_rules.inputs.headers import BASE_LABELS
from emulation_rules.inputs.template import (
    GUIDE_SHEET,
    LISTS_SHEET,
    SHEET_KIND,
    attribute_headers,
    attributes_of,
    fact_headers,
    write_template,
)

CAMPAIGNS = [
    "an_giang.papi_2021",
    "binh_dinh.par_2021_2025",
    "thuan_bac.par_2023",
    "tien_giang.par_2023",
]


@pytest.mark.parametrize("campaign_id", CAMPAIGNS)
def test_a_filled_form_evaluates_like_the_sample(
    registry: Registry, tmp_path: Path, campaign_id: str
) -> None:
    campaign = registry.campaign(campaign_id)
    document = registry.entry(campaign_id).sample_document()
    path = tmp_path / "form.xlsx"
    path.write_bytes(fill_form(registry, campaign_id, write_template(campaign)))
    _, validated = load_input(campaign, path)
    day = resolve_as_of(campaign, document.get("as_of"))
    got = evaluate_validated(campaign, validated, as_of=day).to_dict()
    assert got == evaluate(campaign, document).to_dict()


@pytest.mark.parametrize("campaign_id", CAMPAIGNS)
def test_the_form_has_headers_notes_validations_lists_and_guide(
    registry: Registry, campaign_id: str
) -> None:
    campaign = registry.campaign(campaign_id)
    wb = openpyxl.load_workbook(io.BytesIO(write_template(campaign)))
    assert wb.sheetnames[0] == GUIDE_SHEET and LISTS_SHEET in wb.sheetnames
    headers = fact_headers(campaign)
    for kind, sheet in SHEET_KIND.items():
        facts = campaign.facts_for(kind)  # type: ignore[arg-type]
        if sheet not in wb.sheetnames:
            assert not facts
            continue
        ws = wb[sheet]
        row1 = [c.value for c in ws[1]]
        assert row1[:2] == [BASE_LABELS["id"], BASE_LABELS["name"]]
        attributes = attributes_of(campaign, kind)
        assert row1[3:] == [headers[f.id] for f in facts] + [
            attribute_headers(campaign)[a.id] for a in attributes
        ]
        for k, attr in enumerate(attributes, start=4 + len(facts)):
            note = ws.cell(row=1, column=k).comment
            assert note is not None and f"id: {attr.id}" in note.text
        validations = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
        for k, fact in enumerate(facts, start=4):
            letter = openpyxl.utils.get_column_letter(k)
            note = ws.cell(row=1, column=k).comment
            assert note is not None and f"id: {fact.id}" in note.text
            dv = validations[f"{letter}2"]
            if fact.type in ("boolean", "ordinal"):
                assert dv.type == "list" and dv.formula1.startswith(f"='{LISTS_SHEET}'!")
            else:
                assert dv.type == ("whole" if fact.type == "integer" else "decimal")
                if fact.maximum is not None:
                    assert float(dv.formula2) == fact.maximum
            assert dv.showErrorMessage and dv.allow_blank
        unit_col = "C2"
        assert validations[unit_col].type == "list"
    lists = wb[LISTS_SHEET]
    labels = [c.value for c in lists["A"][1:] if c.value]
    assert labels == [p.label for p in campaign.participants]
    guide = wb[GUIDE_SHEET]
    listed = {guide.cell(row=r, column=1).value for r in range(1, guide.max_row + 1)}
    assert {f.id for f in campaign.facts} <= listed
    assert {a.id for a in campaign.candidate_attributes} <= listed
    # the criteria and their citations are there
    text = "\n".join(
        str(guide.cell(row=r, column=8).value or "") for r in range(1, guide.max_row + 1)
    )
    assert campaign.criteria[0].id in text


def test_the_form_is_deterministic_and_holds_no_formula(registry: Registry) -> None:
    campaign = registry.campaign("an_giang.papi_2021")
    first, second = write_template(campaign), write_template(campaign)
    assert first == second
    wb = openpyxl.load_workbook(io.BytesIO(first))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)


def test_template_command_writes_the_form(tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    result = CliRunner().invoke(main, ["template", "tien_giang.par_2023", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes()[:2] == b"PK"
    result = CliRunner().invoke(main, ["template", "tien_giang.par_2023", "-o", "-"])
    assert result.exit_code == 0 and result.stdout_bytes == out.read_bytes()  # - is stdout
    result = CliRunner().invoke(main, ["template", "tien_giang.par_2023", "-o", ""])
    assert result.exit_code == 2 and "error: --output" in result.stderr
    # an empty form is read back as "no candidate rows", not as an error of the layout
    result = CliRunner().invoke(main, ["evaluate", "tien_giang.par_2023", str(out)])
    assert result.exit_code == 2 and "no candidate rows in any sheet" in result.stderr
