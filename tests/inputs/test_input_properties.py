"""Property tests of the input side (hypothesis). ``EMULATION_RULES_PROPERTY_EXAMPLES`` raises
the number of examples (small by default, so ``make test`` stays fast).

* Replaying a day: a value published after ``as_of`` gives exactly the verdicts of the same input
  without that value — unknown, never ``not_met`` because it was not yet known.
* Lenient mode hides nothing and invents nothing: ``on_invalid="report"`` evaluates the valid
  candidates exactly as a strict run on them alone, and lists every other one.
* A CSV written in Vietnamese notation (decimal comma, yes/no words) gives the same result as the
  JSON document.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from conftest import mini_plan
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulation_rules import Campaign, evaluate
from emulation_rules.evaluation.evaluate import evaluate_validated, resolve_as_of
from emulation_rules.inputs.files import load_input
from emulation_rules.plan.loader import campaign_from_mapping

EXAMPLES = int(os.environ.get("EMULATION_RULES_PROPERTY_EXAMPLES", "25"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CAMPAIGN: Campaign = campaign_from_mapping(mini_plan())
GRADES = ["Yếu", "Trung bình", "Khá", "Tốt", "Rất tốt"]
DAYS = ["2024-02-01", "2024-04-12", "2024-08-30"]


def facts() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "par": st.floats(0, 120, allow_nan=False).map(lambda x: round(x, 2)),
            "sipas": st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2)),
            "ddci": st.sampled_from(GRADES),
            "ddci_assessed": st.booleans(),
            "score": st.floats(0, 10, allow_nan=False).map(lambda x: round(x, 2)),
            "score_prev": st.floats(0, 10, allow_nan=False).map(lambda x: round(x, 2)),
            "initiatives": st.integers(0, 6),
        },
    )


def units(n: int) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(
        st.tuples(st.sampled_from(["so", "huyen"]), facts()), min_size=1, max_size=n
    ).map(
        lambda rows: [
            {
                "id": f"u{i}",
                "name": f"Đơn vị {i}",
                "kind": "collective",
                "unit_type": ut,
                "facts": f,
            }
            for i, (ut, f) in enumerate(rows)
        ]
    )


@SETTINGS
@given(units(6), st.data())
def test_values_published_after_as_of_are_exactly_unknown(
    candidates: list[dict[str, Any]], data: st.DataObject
) -> None:
    as_of = data.draw(st.sampled_from(DAYS))
    dated = []
    hidden = []
    for c in candidates:
        facts_in: dict[str, Any] = {}
        facts_known: dict[str, Any] = {}
        for fact, value in c["facts"].items():
            day = data.draw(st.sampled_from([None, *DAYS]))
            facts_in[fact] = value if day is None else {"value": value, "published": day}
            if day is None or day <= as_of:
                facts_known[fact] = value
        dated.append({**c, "facts": facts_in})
        hidden.append({**c, "facts": facts_known})
    replay = evaluate(CAMPAIGN, dated, as_of=as_of, engine="columnar")
    absent = evaluate(CAMPAIGN, hidden, as_of=as_of, engine="columnar")
    for a, b in zip(replay.candidates, absent.candidates, strict=True):
        assert [v.verdict for v in a.criteria] == [v.verdict for v in b.criteria]
        assert dict(a.awards) == dict(b.awards)
    assert [x.to_dict() for x in replay.allocations] == [x.to_dict() for x in absent.allocations]


@SETTINGS
@given(units(6), st.lists(st.integers(0, 5), max_size=3), st.data())
def test_report_mode_equals_a_strict_run_on_the_valid_ones(
    candidates: list[dict[str, Any]], spoil: list[int], data: st.DataObject
) -> None:
    bad_rows = sorted({k for k in spoil if k < len(candidates)})
    mixed = [dict(c) for c in candidates]
    for k in bad_rows:
        how = data.draw(st.sampled_from(["range", "type", "unit_type", "name"]))
        if how == "range":
            mixed[k]["facts"] = {**mixed[k]["facts"], "par": 121.0}
        elif how == "type":
            mixed[k]["facts"] = {**mixed[k]["facts"], "initiatives": "3"}
        elif how == "unit_type":
            mixed[k]["unit_type"] = "tinh"
        else:
            mixed[k]["name"] = ""
    good = [c for k, c in enumerate(mixed) if k not in bad_rows]
    if not good:
        return
    lenient = evaluate(CAMPAIGN, mixed, on_invalid="report", engine="columnar")
    strict = evaluate(CAMPAIGN, good, engine="columnar")
    assert [r.id for r in lenient.rejected] == [mixed[k]["id"] for k in bad_rows]
    assert all(r.problems for r in lenient.rejected)
    got = lenient.to_dict()
    want = strict.to_dict()
    assert len(got.pop("rejected")) == len(bad_rows)
    assert got == want


@SETTINGS
@given(units(5))
def test_csv_in_vietnamese_notation_equals_json(
    tmp_path_factory: Any, candidates: list[dict[str, Any]]
) -> None:
    columns = ["par", "sipas", "ddci", "ddci_assessed", "score", "score_prev", "initiatives"]
    lines = [";".join(["Mã", "Tên", "Tập thể / Cá nhân", "Loại đơn vị", *columns])]
    for c in candidates:
        cells = []
        for fact in columns:
            v = c["facts"].get(fact)
            if v is None:
                cells.append("")
            elif isinstance(v, bool):
                cells.append("Có" if v else "Không")
            elif isinstance(v, float):
                cells.append(f"{v:,.2f}".replace(",", " ").replace(".", ",").replace(" ", "."))
            elif isinstance(v, str):
                cells.append(v.lower())
            else:
                cells.append(str(v))
        unit_label = "Sở, ban, ngành" if c["unit_type"] == "so" else "UBND cấp huyện"
        lines.append(";".join([c["id"], c["name"], "Tập thể", unit_label, *cells]))
    path: Path = tmp_path_factory.mktemp("csv") / "in.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, validated = load_input(CAMPAIGN, path)
    day = resolve_as_of(CAMPAIGN, None)
    from_csv = evaluate_validated(CAMPAIGN, validated, as_of=day, engine="columnar")
    from_json = evaluate(CAMPAIGN, candidates, engine="columnar")
    assert from_csv.to_dict() == from_json.to_dict()
