"""What the criteria language adds to a result — a criterion's explanation (and its reasons), a
citation's web address, object-valued ``observed`` entries (a series by year, member counts,
distinct counts), dates, forms of award and sources without a number — as every human-facing
writer says it: Vietnamese by default (``99,95``, ``21/6/2021``), English with ``lang="en"``;
and as the JSON, the CSV and ``diff`` carry it."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import unit
from openpyxl import load_workbook

from emulation_rules import Campaign, evaluate
from emulation_rules.cli import main
from emulation_rules.evaluation.diff import diff_documents
from emulation_rules.evaluation.explaining import Reason, explanation_text
from emulation_rules.evaluation.result import Result
from emulation_rules.messages import messages
from emulation_rules.outputs.campaign import render_campaign
from emulation_rules.outputs.diff import render_diff
from emulation_rules.outputs.dossier import dossier_context
from emulation_rules.outputs.explain import render_explanation
from emulation_rules.outputs.letter import render_letter
from emulation_rules.outputs.results import render_csv, render_table
from emulation_rules.outputs.workbook import write_workbook
from emulation_rules.plan.loader import load_campaign

PLANS = Path(__file__).resolve().parents[1] / "engine" / "plans"
NATIONAL = PLANS / "national_law.yaml"
SAMPLE = PLANS / "national_law_sample.json"
GUARD_MET = (
    "applies_if cannot be decided yet (missing: ddci_assessed); the rule is met, so the "
    "criterion is met whichever way it turns out (met if it holds, not applicable if not)"
)


@pytest.fixture(scope="module")
def national() -> Campaign:
    return load_campaign(NATIONAL)


def _sample() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def law(national: Campaign) -> Result:
    return evaluate(national, _sample())


def _guarded(mini: Campaign) -> Result:
    """``c.ddci`` has a guard (``ddci_assessed``): missing here, the rule met for ``u`` (met
    whichever way) and not met for ``w`` (the verdict waits)."""
    return evaluate(
        mini,
        [
            unit("u", par=95.0, sipas=92.0, ddci="Tốt"),
            unit("w", par=95.0, sipas=92.0, ddci="Khá"),
        ],
    )


def _verdict(result: Result, cid: str, crit: str) -> Any:
    return next(v for v in result.candidate(cid).criteria if v.id == crit)


# --- explanations ---------------------------------------------------------------------------
def test_an_explanation_is_english_in_the_json_with_its_reasons_as_data(mini: Campaign) -> None:
    result = _guarded(mini)
    met, waits = _verdict(result, "u", "c.ddci"), _verdict(result, "w", "c.ddci")
    assert (met.verdict, waits.verdict) == ("met", "unknown")
    assert met.explanation == GUARD_MET
    assert met.reasons == (Reason("guard_open_met", {"missing": ("ddci_assessed",)}),)
    entry = next(v for v in result.to_dict()["candidates"][0]["criteria"] if v["id"] == "c.ddci")
    assert entry["explanation"] == GUARD_MET
    assert entry["reasons"] == [{"code": "guard_open_met", "missing": ["ddci_assessed"]}]
    # read back from a document, the reasons say the same in either language
    back = tuple(Reason.from_dict(r) for r in entry["reasons"])
    assert back == met.reasons
    assert explanation_text(messages("en"), met.reasons) == GUARD_MET
    assert explanation_text(messages("vi"), met.reasons) == (
        "chưa xác định được điều kiện áp dụng (còn thiếu: ddci_assessed); nội dung tiêu chí đã "
        "đạt, nên tiêu chí được tính là đạt dù điều kiện được xác định thế nào (đạt nếu thuộc "
        "diện áp dụng, không áp dụng nếu không thuộc diện)"
    )
    assert Reason.from_dict({"code": "a_later_reason"}) is None
    assert Reason.from_dict({"code": "guard_open_met"}) is None  # its values are missing


def test_explain_table_letter_and_workbook_say_the_explanation_in_the_readers_language(
    mini: Campaign, tmp_path: Path
) -> None:
    result = _guarded(mini)
    vi = render_explanation(result, result.candidate("u"))
    assert (
        "  giải thích: chưa xác định được điều kiện áp dụng (còn thiếu: Thuộc đối tượng DDCI); "
        "nội dung tiêu chí đã đạt, nên tiêu chí được tính là đạt"
    ) in vi
    en = render_explanation(result, result.candidate("u"), lang="en")
    assert "  why: applies_if cannot be decided yet (missing: Thuộc đối tượng DDCI); " in en
    # the table says why a criterion leaves an award undetermined
    table = render_table(result)
    assert (
        "giải thích: chưa xác định được điều kiện áp dụng (còn thiếu: Thuộc đối tượng DDCI), "
        "trong khi nội dung tiêu chí cũng chưa đạt hoặc chưa xác định được: kết quả phải chờ "
        "điều kiện này"
    ) in table
    assert "why: applies_if cannot be decided yet (missing: Thuộc đối tượng DDCI) and the " in (
        render_table(result, lang="en")
    )
    letter = render_letter(result, result.candidate("w"), "md")
    assert isinstance(letter, str)
    assert (
        "**Giải thích:** chưa xác định được điều kiện áp dụng (còn thiếu: Thuộc đối tượng DDCI)"
        in (letter)
    )
    english = render_letter(result, result.candidate("w"), "md", lang="en")
    assert isinstance(english, str) and "**Why:** applies_if cannot be decided yet" in english
    path = tmp_path / "r.xlsx"
    path.write_bytes(write_workbook(result))
    sheet = load_workbook(path)["Tiêu chí"]
    header = [c.value for c in sheet[1]]
    assert header[6:10] == ["ghi nhận", "yêu cầu", "giải thích", "căn cứ"]
    rows = {(r[0], r[2]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert str(rows[("u", "c.ddci")][8]).startswith("chưa xác định được điều kiện áp dụng")
    assert rows[("u", "c.par")][8] is None  # nothing to say: an empty cell


def test_the_why_plugins_zero_denominator_and_the_member_count_in_words(law: Result) -> None:
    plan = PLANS.parent / "why"
    why = evaluate(
        load_campaign(plan / "plan.yaml"),
        json.loads((plan / "sample.json").read_text(encoding="utf-8")),
    )
    text = render_explanation(why, why.candidate("so-b"))
    assert (
        "giải thích: Tổng số hồ sơ đã giải quyết bằng 0 nên không tính được tỷ lệ; theo kế hoạch, "
        "trường hợp này tiêu chí không áp dụng"
    ) in text
    seat = _verdict(law, "phong-b", "ttldxs.co_cstdcs")
    assert seat.reasons[0].code == "members_open"
    assert explanation_text(messages("vi"), seat.reasons) == (
        "0/2 thành viên đạt, 2 thành viên chưa xác định được: số thành viên đạt nằm trong "
        "khoảng từ 0 đến 2"
    )
    share = Reason(
        "members_open",
        {"measure": "share", "met": 2, "unknown": 1, "members": 3, "low": 66.67, "high": 100},
    )
    assert explanation_text(messages("vi"), [share]) == (
        "2/3 thành viên đạt, 1 thành viên chưa xác định được: tỷ lệ nằm trong khoảng từ 66,67% "
        "đến 100%"
    )
    assert explanation_text(messages("en"), [share]) == (
        "2 of 3 members meet the test and 1 cannot be decided yet: the share lies between 66.67 "
        "and 100 %"
    )


# --- values read ----------------------------------------------------------------------------
def test_series_dates_computed_values_references_and_counts_in_words(law: Result) -> None:
    a1 = render_explanation(law, law.candidate("a1"))
    assert "ghi nhận: Ngày tuyển dụng: 1/3/2015; months(recruited_on → 31/12/2024) " in a1
    assert "(giá trị tính toán): 117" in a1
    assert "Đạt danh hiệu Chiến sĩ thi đua cơ sở theo năm: năm 2023: có, năm 2024: có" in a1
    assert "Sáng kiến được công nhận theo năm (số hiệu) trong giai đoạn 2023–2024: 2 (không " in a1
    assert "ghi nhận: điều kiện xét tặng Lao động tiên tiến: đủ điều kiện" in a1
    en = render_explanation(law, law.candidate("a1"), lang="en")
    assert "Ngày tuyển dụng: 2015-03-01; months(recruited_on → 31/12/2024) (computed): 117" in en
    assert "theo năm: 2023: yes, 2024: yes" in en
    assert "(số hiệu) over 2023–2024: 2 distinct" in en
    assert "eligibility for Lao động tiên tiến: eligible" in en
    b1 = render_explanation(law, law.candidate("b1"))
    assert "năm 2023: —, năm 2024: —" in b1
    assert "ít nhất 0 (không tính trùng; còn năm chưa có số liệu)" in b1
    unit_text = render_explanation(law, law.candidate("phong-b"))
    assert (
        "thành viên đáp ứng [awarded chien_si_thi_dua_co_so]: 0/2 thành viên đạt, 2 thành viên "
        "chưa xác định"
    ) in unit_text
    assert "members with [awarded chien_si_thi_dua_co_so]: 0 of 2 members meet it, 2 not " in (
        render_explanation(law, law.candidate("phong-b"), lang="en")
    )
    # a series' missing years are named one by one, in the letter and in the allocation's words
    letter = render_letter(law, law.candidate("b1"), "md")
    assert isinstance(letter, str)
    assert (
        "**Còn thiếu:** Đạt danh hiệu Chiến sĩ thi đua cơ sở theo năm (năm 2023), Đạt danh hiệu "
        "Chiến sĩ thi đua cơ sở theo năm (năm 2024), Kết quả thực hiện nhiệm vụ theo năm (năm 2023)"
    ) in letter
    assert (
        "có thể được chọn khi có số liệu Đạt danh hiệu Chiến sĩ thi đua cơ sở theo năm (năm "
        in (letter)
    )


def test_the_workbook_and_the_dossier_show_the_languages_values(
    law: Result, tmp_path: Path
) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(write_workbook(law))
    wb = load_workbook(path)
    rows = {(r[0], r[2]): r for r in wb["Tiêu chí"].iter_rows(min_row=2, values_only=True)}
    assert rows[("a1", "ldtt.thoi_gian_cong_tac")][6] == (
        "Ngày tuyển dụng: 1/3/2015; months(recruited_on → 31/12/2024) (giá trị tính toán): 117"
    )
    assert "0/2 thành viên đạt" in str(rows[("phong-b", "ttldxs.co_cstdcs")][6])
    assert str(rows[("phong-b", "ttldxs.co_cstdcs")][8]).startswith("0/2 thành viên đạt, 2 ")
    cites = wb["Căn cứ"]
    assert [c.value for c in cites[1]][2:6] == [
        "văn bản",
        "ngày",
        "cơ quan ban hành",
        "địa chỉ trang tin",
    ]
    by_id = {r[0]: r for r in cites.iter_rows(min_row=2, values_only=True)}
    tenure = by_id["ldtt.thoi_gian_cong_tac"]
    assert tenure[2] == "Trang tin (không số)" and str(tenure[5]).startswith("https://news.")
    assert f"({tenure[5]}) — " in str(tenure[10])  # the citation in full names the address
    assert by_id["ldtt.hoan_thanh_tot"][5] is None  # a numbered law read in print: no address
    context = dossier_context(law)
    rows_by_form = {lst["award"]: lst["rows"] for lst in context["lists"]}
    summary = next(r for r in rows_by_form["lao_dong_tien_tien"] if r["id"] == "a1")["summary"]
    assert "Ngày tuyển dụng: 1/3/2015" in summary and "(giá trị tính toán): 117" in summary
    assert "[Trang tin (không số), TT 01/2024 Điều 1 khoản 5, as reported]" in summary
    assert "Đủ điều kiện" not in summary and "đủ điều kiện" not in summary  # no yes/no words
    basis = context["legal_basis"]
    assert basis and all("None" not in b for b in basis)


def test_the_csv_keeps_its_words_and_the_json_its_citation_table(law: Result) -> None:
    rows = list(csv.reader(io.StringIO(render_csv(law))))
    header = rows[0]
    a1 = dict(zip(header, next(r for r in rows if r[0] == "a1"), strict=True))
    assert a1["ldtt.thoi_gian_cong_tac"] == "met" and a1["lao_dong_tien_tien"] == "eligible"
    assert a1["bang_khen.hai_nam_cstdcs_hoac_htxs"] == "met"
    assert len(rows) == 1 + len(law.candidates)
    lean = law.to_dict()
    tenure = lean["citations"]["ldtt.thoi_gian_cong_tac"]
    assert tenure["document"] == "Trang tin (không số)" and tenure["url"].startswith("https://")
    entry = next(
        v for v in lean["candidates"][2]["criteria"] if v["id"] == "ldtt.thoi_gian_cong_tac"
    )
    assert entry["citation"] == "ldtt.thoi_gian_cong_tac"
    assert entry["observed"]["recruited_on"] == "2015-03-01"  # ISO for programs
    verbose = law.to_dict(verbose_citations=True)
    inline = next(
        v for v in verbose["candidates"][2]["criteria"] if v["id"] == "ldtt.thoi_gian_cong_tac"
    )
    assert inline["citation"] == tenure


# --- show -----------------------------------------------------------------------------------
def test_show_names_forms_from_the_catalogue_and_sources_without_a_number(
    national: Campaign,
) -> None:
    vi = render_campaign(national)
    assert (
        "      hình thức: Lao động tiên tiến (danh hiệu thi đua) · đến 31/12/2023: Luật "
        "15/2003/QH11 Điều 24 khoản 1 (sửa đổi 2013), Nghị định 91/2017/NĐ-CP Điều 10; từ "
        "1/1/2024: Luật 06/2022/QH15 Điều 24 khoản 1, Thông tư 01/2024/TT-BNV Điều 1 khoản 5"
    ) in vi
    assert "Bằng khen cấp bộ, ban, ngành, tỉnh (hình thức khen thưởng)" in vi
    assert "Luật 15/2003/QH11 Điều 72 (chưa đối chiếu văn bản gốc)" in vi
    assert (
        "căn cứ: Trang tin (không số), không rõ ngày, Báo Lao Động (https://news.laodong.vn/"
        in (vi)
    )
    assert "assessment_day = 31/12/2024" in vi  # a date parameter as documents write dates
    en = render_campaign(national, lang="en")
    assert "form: Lao động tiên tiến (emulation title) · to 2023-12-31: Luật 15/2003/QH11" in en
    assert "(form of commendation)" in en and "(unconfirmed)" in en
    assert "assessment_day = 2024-12-31" in en
    assert "source: Trang tin (không số), date unknown, Báo Lao Động (https://news." in en


# --- diff -----------------------------------------------------------------------------------
def test_diff_names_a_series_years_and_says_why_in_the_readers_language(
    national: Campaign, mini: Campaign
) -> None:
    before = evaluate(national, _sample())
    later = _sample()
    b1 = next(c for c in later["candidates"] if c["id"] == "b1")
    b1["facts"]["cstdcs_titles"] = {"2023": True, "2024": True}
    after = evaluate(national, later)
    diff = before.diff(after)
    change = next(c for c in diff.candidates if c.id == "b1")
    crit = next(c for c in change.criteria if c.id == "bang_khen.hai_nam_cstdcs_hoac_htxs")
    assert (crit.verdict_before, crit.verdict_after) == ("unknown", "met")
    assert crit.observed_after["cstdcs_titles"] == {"2023": True, "2024": True}
    text = render_diff(diff, campaign=national)
    lines = text.splitlines()
    assert (
        "        Đạt danh hiệu Chiến sĩ thi đua cơ sở theo năm (năm 2023): — (chưa có) → có"
        in lines
    )
    assert (
        "        Đạt danh hiệu Chiến sĩ thi đua cơ sở theo năm (năm 2024): — (chưa có) → có"
        in lines
    )
    # the three-year title reads the same years: their values changed, its verdict did not
    assert (
        "    Đạt danh hiệu Chiến sĩ thi đua cơ sở theo năm (năm 2023) thay đổi: — (chưa có) → có"
    ) in lines
    assert "2022" not in text  # a year that did not change is not listed
    bare = render_diff(diff, lang="en")
    assert "        cstdcs_titles (2023): — (missing) → yes" in bare.splitlines()
    data = json.loads(json.dumps(diff.to_dict()))  # JSON-ready: the pairs [before, after]
    entry = next(c for c in data["candidates"] if c["id"] == "b1")
    pair = next(c for c in entry["criteria"] if c["id"] == "bang_khen.hai_nam_cstdcs_hoac_htxs")
    assert pair["observed"][1]["cstdcs_titles"] == {"2023": True, "2024": True}
    assert pair["observed"][0]["cstdcs_titles"] == {"2023": None, "2024": None}
    assert pair["explanation"] == [None, None]
    # the later verdict's explanation, from the document's reasons
    guarded_before = evaluate(mini, [unit("w", par=95.0, sipas=92.0, ddci="Khá")])
    guarded_after = evaluate(mini, [unit("w", par=95.0, sipas=92.0, ddci="Tốt")])
    d = diff_documents(guarded_before.to_dict(), guarded_after.to_dict())
    assert d.candidates and d.candidates[0].criteria[0].explanation_after == GUARD_MET
    assert d.to_dict()["candidates"][0]["criteria"][0]["explanation"][1] == GUARD_MET
    vi = render_diff(d, campaign=mini)
    assert "DDCI: Khá → Tốt" in vi
    assert (
        "giải thích: chưa xác định được điều kiện áp dụng (còn thiếu: Thuộc đối tượng DDCI); " in vi
    )
    assert "why: applies_if cannot be decided yet (missing: ddci_assessed); the rule is met" in (
        render_diff(d, lang="en")
    )
    # a document without reasons (or with one from a later version) still diffs
    stripped = copy.deepcopy(guarded_after.to_dict())
    for c in stripped["candidates"]:
        for v in c["criteria"]:
            if "reasons" in v:
                v["reasons"] = [{"code": "a_later_reason"}]
    assert "giải thích" not in render_diff(diff_documents(guarded_before.to_dict(), stripped))


def test_the_diff_command_names_values_by_the_installed_campaigns_labels(
    registry: Any, tmp_path: Path
) -> None:
    campaign_id = "an_giang.papi_2021"
    doc = registry.entry(campaign_id).sample_document()
    sample = tmp_path / "s.json"
    sample.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    later = copy.deepcopy(doc)
    who = next(c for c in later["candidates"] if c["id"] == "cn-031")
    who["facts"]["recognised_initiatives"] = 9
    (tmp_path / "l.json").write_text(json.dumps(later, ensure_ascii=False), encoding="utf-8")
    run = CliRunner().invoke
    assert (
        run(main, ["evaluate", campaign_id, str(sample), "-o", str(tmp_path / "a.json")]).exit_code
        == 0
    )
    args = ["evaluate", campaign_id, str(tmp_path / "l.json"), "-o", str(tmp_path / "b.json")]
    assert run(main, args).exit_code == 0
    out = run(main, ["diff", str(tmp_path / "a.json"), str(tmp_path / "b.json")])
    assert out.exit_code == 0, out.stderr
    label = registry.campaign(campaign_id).fact("recognised_initiatives").label
    assert f"{label}: — (chưa có) → 9" in out.stdout
