"""Candidate attributes (a cluster, by which awards are grouped) through every reader: JSON and
the Python API (``attributes``), CSV, XLSX and Parquet (``attributes.<id>``, the id or the
label); every problem at once with its row or cell, the field and the rule; report mode; the
input form (issue 8 item 5 on the columnar input of issue 11 / 14.1)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from conftest import CITE, GOOD, mini_plan, person, unit

from emulation_rules import Campaign, InputError, evaluate
from emulation_rules.inputs.files import load_input
from emulation_rules.inputs.template import LISTS_SHEET, SHEET_KIND, write_template
from emulation_rules.plan.loader import campaign_from_mapping

CLUSTERS = ["Cụm 1", "Cụm 2"]


def clustered(plan: dict[str, Any] | None = None) -> Campaign:
    """The mini plan with districts (``huyen``) giving a cluster from a declared list and
    individuals of districts giving a team (any text); the collectives' award is shared out per
    unit type and cluster, the individuals' per team."""
    plan = plan or mini_plan()
    plan["candidate_attributes"] = [
        {
            "id": "cluster",
            "label": "Cụm thi đua",
            "kinds": ["collective"],
            "unit_types": ["huyen"],
            "values": CLUSTERS,
            "citation": CITE,
        },
        {
            "id": "team",
            "label": "Tổ công tác",
            "kinds": ["individual"],
            "unit_types": ["huyen"],
            "citation": CITE,
        },
    ]
    plan["awards"][0]["groups"] = {"by": ["unit_type", "cluster"], "citation": CITE}
    plan["awards"][1]["groups"] = {"by": ["team"], "citation": CITE}
    return campaign_from_mapping(plan)


def district(cid: str, cluster: str | None, **facts: Any) -> dict[str, Any]:
    out = unit(cid, "huyen", **{**GOOD, "initiatives": 3, **facts})
    if cluster is not None:
        out["attributes"] = {"cluster": cluster}
    return out


def read(campaign: Campaign, tmp_path: Path, name: str, content: str | bytes, **kw: Any) -> Any:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return load_input(campaign, path, **kw)[1]


def problems(caught: pytest.ExceptionInfo[InputError]) -> list[tuple[Any, ...]]:
    return [(p.candidate, p.row, p.cell, p.field, p.rule, p.value) for p in caught.value.problems]


# --- JSON and the Python API ----------------------------------------------------------------
def test_every_attribute_problem_at_once_with_field_and_rule() -> None:
    campaign = clustered()
    cands = [
        district("h1", None),  # a district without its cluster
        {**unit("s1", **GOOD), "attributes": {"cluster": "Cụm 1"}},  # a department giving one
        district("h2", "Cụm 3"),  # not a declared value
        {**district("h3", "Cụm 1"), "attributes": {"cluster": "Cụm 1", "cum": "x"}},  # a typo
        {**unit("h4", "huyen", **GOOD), "attributes": ["Cụm 1"]},  # not an object
        {**unit("h5", "huyen", **GOOD), "attributes": {"cluster": 1}},  # not text
    ]
    with pytest.raises(InputError) as caught:
        evaluate(campaign, cands)
    label = "Cụm thi đua ('cluster')"
    missing = (
        f"missing; a collective of unit type huyen gives its {label}, by which awards are grouped"
    )
    assert problems(caught) == [
        ("h1", 0, None, "field 'attributes.cluster'", missing, None),
        (
            "s1",
            1,
            None,
            "field 'attributes.cluster'",
            f"{label} is given only by collectives of unit type huyen, not by this collective (so)",
            None,
        ),
        (
            "h2",
            2,
            None,
            "field 'attributes.cluster'",
            "Input should be 'Cụm 1' or 'Cụm 2'",
            "'Cụm 3'",
        ),
        (
            "h3",
            3,
            None,
            "field 'attributes.cum'",
            "'cum' is not a candidate attribute of testland.mini_2024 (declared: cluster, team)",
            None,
        ),
        (
            "h4",
            4,
            None,
            "field 'attributes'",
            "Input should be an object of candidate attributes",
            "['Cụm 1']",
        ),
        ("h4", 4, None, "field 'attributes.cluster'", missing, None),
        ("h5", 5, None, "field 'attributes.cluster'", "Input should be a valid string", "1"),
        ("h5", 5, None, "field 'attributes.cluster'", missing, None),
    ]
    assert str(caught.value.problems[0]) == (
        f"candidate 'h1' (candidates[0]): field 'attributes.cluster': {missing}"
    )


def test_an_individual_gives_an_attribute_by_its_units_type() -> None:
    campaign = clustered()
    cands = [
        district("h1", "Cụm 1"),
        unit("s1", **GOOD),
        {**person("p1", "h1", excellent=True, initiatives=4), "attributes": {"team": " Tổ A "}},
        {**person("p2", "h1", excellent=True, initiatives=2), "attributes": {"team": "Tổ B"}},
        {**person("p3", "s1", excellent=True, initiatives=9), "attributes": {"team": "Tổ A"}},
        person("p4", "h1", excellent=True),
    ]
    with pytest.raises(InputError) as caught:
        evaluate(campaign, cands)
    assert [(p.candidate, p.rule.split(",")[0]) for p in caught.value.problems] == [
        ("p3", "Tổ công tác ('team') is given only by individuals of unit type huyen"),
        ("p4", "missing; an individual of unit type huyen gives its Tổ công tác ('team')"),
    ]
    del cands[4:]
    result = evaluate(campaign, cands)
    groups = {a.group: a.awarded for a in result.allocations if a.award == "bk_cn"}
    assert groups == {"Tổ A": ("p1",), "Tổ B": ("p2",)}  # stripped, one seat per team
    assert result.inputs[2].attributes == {"team": "Tổ A"}
    assert result.inputs[1].attributes is None


def test_an_individual_whose_unit_is_absent_gives_its_unit_type_when_attributes_need_it() -> None:
    plan = mini_plan()
    plan["criteria"] = [c for c in plan["criteria"] if c["id"] != "i.unit_par"]
    plan["awards"][1]["requires"] = ["i.excellent"]
    campaign = clustered(plan)
    lone = {**person("p1", "elsewhere", excellent=True), "attributes": {"team": "Tổ A"}}
    with pytest.raises(InputError) as caught:
        evaluate(campaign, [district("h1", "Cụm 1"), lone])
    ((cid, field, rule),) = [(p.candidate, p.field, p.rule) for p in caught.value.problems]
    assert (cid, field) == ("p1", "field 'unit_type'")
    assert rule.startswith("unit 'elsewhere' is not among the candidates and the plan reads")
    result = evaluate(campaign, [district("h1", "Cụm 1"), {**lone, "unit_type": "huyen"}])
    assert result.allocation("bk_cn", "Tổ A").awarded == ("p1",)


# --- tables -----------------------------------------------------------------------------------
CSV_HEAD = "id;name;kind;unit_type;par;sipas;ddci_assessed;initiatives"


@pytest.mark.parametrize("header", ["attributes.cluster", "cluster", "CỤM THI  ĐUA"])
def test_a_csv_column_gives_the_attribute_by_key_id_or_label(tmp_path: Path, header: str) -> None:
    campaign = clustered()
    text = (
        f"{CSV_HEAD};{header}\n"
        "h1;UBND A;Tập thể;huyen;95;92;Không;3;cụm  1\n"  # folded to the declared value
        "h2;UBND B;Tập thể;huyen;96;92;Không;3;Cụm 2\n"
        "s1;Sở C;Tập thể;so;97;92;Không;3;\n"
    )
    validated = read(campaign, tmp_path, "c.csv", text)
    assert validated.records.attributes == {
        "cluster": ["Cụm 1", "Cụm 2", None],
        "team": [None, None, None],
    }
    result = evaluate(campaign, [c.model_dump() for c in validated.candidates])
    assert [a.group for a in result.allocations if a.award == "bk_tt"] == [
        "so",
        "huyen/Cụm 1",
        "huyen/Cụm 2",
    ]


def test_csv_attribute_problems_name_the_row_and_two_columns_for_one_are_refused(
    tmp_path: Path,
) -> None:
    campaign = clustered()
    text = (
        f"{CSV_HEAD};attributes.cluster\n"
        "h1;UBND A;Tập thể;huyen;95;92;Không;3;\n"
        "s1;Sở C;Tập thể;so;97;92;Không;3;Cụm 1\n"
        "h2;UBND B;Tập thể;huyen;96;92;Không;3;Cụm 9\n"
    )
    with pytest.raises(InputError) as caught:
        read(campaign, tmp_path, "c.csv", text)
    assert [(str(p).split(": field")[0], p.field, p.value) for p in caught.value.problems] == [
        (f"candidate 'h1' ({tmp_path / 'c.csv'}: row 2)", "field 'attributes.cluster'", None),
        (f"candidate 's1' ({tmp_path / 'c.csv'}: row 3)", "field 'attributes.cluster'", None),
        (f"candidate 'h2' ({tmp_path / 'c.csv'}: row 4)", "field 'attributes.cluster'", "'Cụm 9'"),
    ]
    twice = f"{CSV_HEAD};attributes.cluster;Cụm thi đua\nh1;A;Tập thể;huyen;95;92;Không;3;Cụm 1;\n"
    with pytest.raises(InputError) as caught:
        read(campaign, tmp_path, "d.csv", twice)
    assert str(caught.value) == (
        f"{tmp_path / 'd.csv'}: row 1 (header): columns 'attributes.cluster' and 'Cụm thi đua' "
        "both give field 'attributes.cluster': keep one"
    )
    unknown = f"{CSV_HEAD};attributes.cum\nh1;A;Tập thể;huyen;95;92;Không;3;Cụm 1\n"
    with pytest.raises(InputError, match=r"column 'attributes\.cum' is neither a candidate field"):
        read(campaign, tmp_path, "e.csv", unknown)


def test_xlsx_attribute_problems_name_the_cell(tmp_path: Path) -> None:
    campaign = clustered()
    wb = openpyxl.Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    ws = wb.create_sheet("Tập thể")
    ws.append(["Mã", "Tên", "Loại đơn vị", "par", "sipas", "ddci_assessed", "Cụm thi đua"])
    ws.append(["h1", "UBND A", "huyen", 95, 92, "Không", "Cụm 1"])
    ws.append(["h2", "UBND B", "huyen", 96, 92, "Không", None])
    ws.append(["s1", "Sở C", "so", 97, 92, "Không", "Cụm 2"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(InputError) as caught:
        read(campaign, tmp_path, "f.xlsx", out.getvalue())
    assert [(p.candidate, p.cell, p.field) for p in caught.value.problems] == [
        ("h2", "Tập thể!G3", "field 'attributes.cluster'"),
        ("s1", "Tập thể!G4", "field 'attributes.cluster'"),
    ]
    assert str(caught.value.problems[0]).startswith(
        f"candidate 'h2' ({tmp_path / 'f.xlsx'}: Tập thể!G3): field 'attributes.cluster': missing"
    )


def test_parquet_gives_the_attribute_as_a_column(tmp_path: Path) -> None:
    campaign = clustered()
    frame = pl.DataFrame(
        {
            "id": ["h1", "h2", "s1"],
            "name": ["UBND A", "UBND B", "Sở C"],
            "kind": ["collective"] * 3,
            "unit_type": ["huyen", "huyen", "so"],
            "par": [95.0, 96.0, 97.0],
            "sipas": [92.0, 92.0, 92.0],
            "ddci_assessed": [False] * 3,
            "initiatives": [3, 3, 3],
            "attributes.cluster": ["Cụm 2", "Cụm 2", None],
        }
    )
    out = io.BytesIO()
    frame.write_parquet(out)
    validated = read(campaign, tmp_path, "p.parquet", out.getvalue())
    assert list(validated.records.attributes["cluster"]) == ["Cụm 2", "Cụm 2", None]


# --- report mode --------------------------------------------------------------------------------
def test_report_mode_refuses_only_the_candidate_with_a_bad_attribute() -> None:
    campaign = clustered()
    cands = [
        district("h1", "Cụm 1", par=97.0),
        district("h2", None, par=99.0),
        district("h3", "Cụm 1", par=96.0),
        unit("s1", **GOOD),
    ]
    result = evaluate(campaign, cands, on_invalid="report")
    assert [(r.id, r.problems[0].field) for r in result.rejected] == [
        ("h2", "field 'attributes.cluster'")
    ]
    assert result.allocation("bk_tt", "huyen/Cụm 1").awarded == ("h1", "h3")
    strict = evaluate(campaign, [c for c in cands if c["id"] != "h2"])
    assert result.to_dict()["allocations"] == strict.to_dict()["allocations"]


# --- the form -----------------------------------------------------------------------------------
def test_the_form_has_an_attribute_column_with_its_list_and_reads_back(tmp_path: Path) -> None:
    campaign = clustered()
    wb = openpyxl.load_workbook(io.BytesIO(write_template(campaign)))
    ws = wb[SHEET_KIND["collective"]]
    header = [c.value for c in ws[1]]
    col = header.index("Cụm thi đua") + 1
    assert col == len(header)  # after the facts
    letter = openpyxl.utils.get_column_letter(col)
    (dv,) = [d for d in ws.data_validations.dataValidation if str(d.sqref).startswith(letter)]
    assert dv.type == "list" and dv.formula1.startswith(f"='{LISTS_SHEET}'!")
    listed = [c.value for c in wb[LISTS_SHEET][dv.formula1.split("!")[1].split(":")[0][1:2]]]
    assert [v for v in listed[1:] if v is not None] == CLUSTERS
    people = wb[SHEET_KIND["individual"]]
    assert [c.value for c in people[1]][-1] == "Tổ công tác"
    ws.append(["h1", "UBND A", "UBND cấp huyện", 95] + [None] * (col - 5) + ["Cụm 2"])
    out = io.BytesIO()
    wb.save(out)
    validated = read(campaign, tmp_path, "form.xlsx", out.getvalue())
    assert list(validated.records.attributes["cluster"]) == ["Cụm 2"]
