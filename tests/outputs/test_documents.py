"""The documents an office hands up: the result workbook (openpyxl reads it back), the proposal
dossier and the explain letter (python-docx reads them back), for every shipped campaign's
sample; CSV for Excel (byte-order mark)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from emulation_rules import Registry, evaluate
from emulation_rules.cli import main
from emulation_rules.errors import OutputError
from emulation_rules.evaluation.result import Result
from emulation_rules.messages import messages
from emulation_rules.outputs import workbook as workbook_module
from emulation_rules.outputs.common import status_word
from emulation_rules.outputs.dossier import (
    DEFAULT_TEMPLATE,
    build_default_template,
    dossier_context,
    render_dossier,
)
from emulation_rules.outputs.letter import render_letter
from emulation_rules.outputs.results import BOM
from emulation_rules.outputs.workbook import write_workbook

SHIPPED = [
    "an_giang.papi_2021",
    "binh_dinh.par_2021_2025",
    "thuan_bac.par_2023",
    "tien_giang.par_2023",
]


def _result(registry: Registry, campaign_id: str, **kw: Any) -> Result:
    campaign = registry.campaign(campaign_id)
    return evaluate(
        campaign, registry.entry(campaign_id).sample_document(), registry=registry, **kw
    )


def _docx_text(data: bytes) -> tuple[str, list[list[list[str]]], str]:
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    footer = "\n".join(p.text for p in document.sections[0].footer.paragraphs)
    return text, tables, footer


# --- the workbook ---------------------------------------------------------------------------
@pytest.mark.parametrize("campaign_id", SHIPPED)
def test_every_shipped_sample_gives_a_workbook_that_opens(
    registry: Registry, campaign_id: str, tmp_path: Path
) -> None:
    result = _result(registry, campaign_id)
    data = write_workbook(result)
    assert data == write_workbook(result)  # the same bytes for the same result
    path = tmp_path / "r.xlsx"
    path.write_bytes(data)
    wb = load_workbook(path)
    awards = [a.id for a in result.campaign.awards]
    assert wb.sheetnames == ["Thông tin", *awards, "Ứng viên", "Tiêu chí", "Căn cứ"]
    for ws in wb:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
        assert ws.column_dimensions["A"].width > 0
    t = messages("vi")
    for alloc in result.allocations:
        ws = wb[alloc.award]
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
        for cid in alloc.awarded:
            row = next(r for r in rows if r[2] == cid)
            assert row[4] == status_word(t, "awarded") and row[5] == "awarded"
            assert row[1] == alloc.ranks.get(cid)
        for cid in alloc.tied_at_cutoff:
            assert next(r for r in rows if r[2] == cid)[5] == "tied_at_cutoff"
    cands = wb["Ứng viên"]
    assert [c.value for c in cands[1]][:5] == ["mã", "tên", "loại", "loại đơn vị", "đơn vị"]
    assert cands.max_row == 1 + len(result.candidates)
    verdicts = wb["Tiêu chí"]
    assert verdicts.max_row == 1 + sum(len(c.criteria) for c in result.candidates)
    cites = wb["Căn cứ"]
    assert [c.value for c in cites["A"]][1:] == [c.id for c in result.plan.criteria]


def test_the_workbook_in_english_and_its_about_sheet(registry: Registry, tmp_path: Path) -> None:
    result = _result(registry, "an_giang.papi_2021")
    path = tmp_path / "r.xlsx"
    path.write_bytes(write_workbook(result, lang="en", versions={"emulation-rules": "9.9"}))
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "About" and "Candidates" in wb.sheetnames
    about = {r[0].value: r[1].value for r in wb["About"].iter_rows(min_row=2)}
    assert about["rules fingerprint"] == result.fingerprint
    assert about["version of emulation-rules"] == "9.9"
    assert about["parameter quota_collectives: " + _param_label(result, "quota_collectives")] == 5


def _param_label(result: Result, pid: str) -> str:
    return next(p.label for p in result.campaign.parameters if p.id == pid)


def test_a_result_beyond_a_sheet_is_refused_whole(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _result(registry, "an_giang.papi_2021")
    monkeypatch.setattr(workbook_module, "MAX_ROWS", 50)
    with pytest.raises(OutputError, match=r"more than 50 rows \(\d+, Excel's limit\): write CSV"):
        write_workbook(result)


def test_evaluate_writes_the_workbook_by_its_suffix(tmp_path: Path) -> None:
    sample = tmp_path / "s.json"
    sample.write_text(CliRunner().invoke(main, ["sample", SHIPPED[0]]).output, encoding="utf-8")
    out = tmp_path / "ket-qua.xlsx"
    result = CliRunner().invoke(main, ["evaluate", SHIPPED[0], str(sample), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert zipfile.is_zipfile(out) and "Ứng viên" in load_workbook(out).sheetnames
    versions = {r[0].value: r[1].value for r in load_workbook(out)["Thông tin"].iter_rows()}
    assert "phiên bản an_giang" in versions  # the plugin's version is named
    result = CliRunner().invoke(main, ["evaluate", SHIPPED[0], str(sample), "--format", "xlsx"])
    assert result.exit_code == 0 and result.stdout_bytes[:2] == b"PK"  # not a terminal here


# --- CSV for Excel (issue 11 item 8) ----------------------------------------------------------
def test_csv_written_to_a_file_starts_with_a_byte_order_mark(tmp_path: Path) -> None:
    sample = tmp_path / "s.json"
    sample.write_text(CliRunner().invoke(main, ["sample", SHIPPED[0]]).output, encoding="utf-8")
    out = tmp_path / "ket-qua.csv"
    args = ["evaluate", SHIPPED[0], str(sample), "-o", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(BOM.encode("utf-8")) and raw[3:5] == b"id"
    out.unlink()
    assert CliRunner().invoke(main, [*args, "--no-bom"]).exit_code == 0
    assert out.read_bytes()[:2] == b"id"
    stdout = CliRunner().invoke(main, ["evaluate", SHIPPED[0], str(sample), "--format", "csv"])
    assert stdout.stdout.startswith("id,")  # no mark on standard output (a pipe, a program)
    marked = ["evaluate", SHIPPED[0], str(sample), "--format", "csv", "--bom"]
    assert CliRunner().invoke(main, marked).stdout.startswith(BOM + "id,")


# --- the dossier ----------------------------------------------------------------------------
@pytest.mark.parametrize("campaign_id", SHIPPED)
def test_every_shipped_sample_gives_a_dossier_that_opens(
    registry: Registry, campaign_id: str
) -> None:
    result = _result(registry, campaign_id)
    data = render_dossier(result, versions={"emulation-rules": "0.1.0"})
    assert data == render_dossier(result, versions={"emulation-rules": "0.1.0"})
    text, tables, footer = _docx_text(data)
    assert "TỜ TRÌNH" in text and "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" in text
    for key in result.campaign.legal_basis:
        assert result.campaign.sources[key].number in text
    assert result.as_of.strftime("%-d/%-m/%Y") in footer and result.fingerprint in footer
    assert "emulation-rules 0.1.0" in footer
    names = {c.id: c.name for c in result.candidates}
    list_tables = [t for t in tables if t and t[0][2:3] == ["Chức vụ, đơn vị"]]
    proposed = [row[1] for t in list_tables for row in t[1:]]
    expected = [names[cid] for alloc in result.allocations for cid in alloc.awarded]
    assert proposed == expected  # the firm seats, in rank order, and nothing else
    for alloc in result.allocations:
        award = result.campaign.award(alloc.award)
        if alloc.awarded:
            assert f"đề nghị {len(alloc.awarded)} ({award.authority})" in text


def test_the_dossier_lists_the_council_seats_and_the_interpretations(registry: Registry) -> None:
    result = _result(registry, "an_giang.papi_2021", overrides={"quota_collectives": "3"})
    text, tables, _ = _docx_text(render_dossier(result))
    council = [t for t in tables if t and t[0][:3] == ["STT", "Tên tập thể, cá nhân", "tình trạng"]]
    rows = {row[1]: row for t in council for row in t[1:]}
    # Sở Tư pháp and UBND huyện Thoại Sơn tie for the last seat; cn-007..010 are provisional
    assert rows["Sở Tư pháp"][2] == "đồng hạng tại ngưỡng"
    assert "Hội đồng Thi đua - Khen thưởng quyết định" in rows["Sở Tư pháp"][4]
    assert rows["Đỗ Thu Mai"][2] == "được chọn (tạm thời)" and "cn-031" in rows["Đỗ Thu Mai"][4]
    interpretations = dossier_context(result)["interpretations"]
    assert interpretations and all(i["note"] and i["source"] for i in interpretations)
    for i in interpretations:
        assert i["what"] in text
    # the summary of achievements names the criteria met with their clause
    listed = [r for t in tables if t and t[0][2:3] == ["Chức vụ, đơn vị"] for r in t[1:]]
    summary = next(r[3] for r in listed if r[1] == "Sở Nội vụ")
    assert "Tiêu chí thi đua dành cho tập thể, tiêu chí 5" in summary and "(Số sáng kiến" in summary


def test_the_dossier_layout_is_a_replaceable_template(registry: Registry, tmp_path: Path) -> None:
    result = _result(registry, "an_giang.papi_2021")
    own = docx.Document()
    own.add_paragraph("UBND TỈNH MẪU — {{ campaign_id }} — {{ as_of }}")
    own.add_paragraph("{%p for f in lists %}")
    own.add_paragraph("{{ f.heading }}: {{ f.count }}")
    own.add_paragraph("{%p endfor %}")
    path = tmp_path / "mau.docx"
    own.save(str(path))
    text, _, _ = _docx_text(render_dossier(result, template=path))
    assert "UBND TỈNH MẪU — an_giang.papi_2021 — 20/5/2022" in text
    assert "I. Bằng khen của Chủ tịch UBND tỉnh An Giang (tập thể): 5" in text
    broken = docx.Document()
    broken.add_paragraph("{{ unclosed")
    bad = tmp_path / "bad.docx"
    broken.save(str(bad))
    with pytest.raises(OutputError, match="cannot be rendered"):
        render_dossier(result, template=bad)
    with pytest.raises(OutputError, match="no such template"):
        render_dossier(result, template=tmp_path / "absent.docx")


def test_the_shipped_layout_is_the_one_the_code_builds() -> None:
    assert DEFAULT_TEMPLATE.read_bytes() == build_default_template(), (
        "regenerate it: python -m emulation_rules.outputs.dossier"
    )


def test_the_dossier_command_and_its_template(tmp_path: Path) -> None:
    sample = tmp_path / "s.json"
    sample.write_text(CliRunner().invoke(main, ["sample", SHIPPED[3]]).output, encoding="utf-8")
    out = tmp_path / "to-trinh.docx"
    args = ["dossier", SHIPPED[3], str(sample), "-o", str(out), "--agency", "Sở Nội vụ"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    text, _, footer = _docx_text(out.read_bytes())
    assert "Sở Nội vụ kính trình" in text and "tien_giang" in footer
    result = CliRunner().invoke(main, ["dossier", SHIPPED[3], str(sample)])
    assert result.exit_code == 2 and "error: --output" in result.stderr
    mau = tmp_path / "mau.docx"
    assert CliRunner().invoke(main, ["dossier-template", "-o", str(mau)]).exit_code == 0
    assert mau.read_bytes() == DEFAULT_TEMPLATE.read_bytes()
    plain = [*args[:4], str(tmp_path / "a.docx")]
    assert CliRunner().invoke(main, plain).exit_code == 0
    edited = [*args[:4], str(tmp_path / "b.docx"), "--template", str(mau)]
    assert CliRunner().invoke(main, edited).exit_code == 0
    assert (tmp_path / "b.docx").read_bytes() == (tmp_path / "a.docx").read_bytes()


# --- the letter -----------------------------------------------------------------------------
def test_the_letter_says_each_criterion_what_is_required_and_what_is_missing(
    registry: Registry,
) -> None:
    result = _result(registry, "an_giang.papi_2021")
    candidate = result.candidate("ubnd-tx-tan-chau")
    md = render_letter(result, candidate, "md")
    assert isinstance(md, str)
    assert md.startswith("# Giải trình kết quả xét thi đua, khen thưởng")
    assert "**Kính gửi:** UBND thị xã Tân Châu (ubnd-tx-tan-chau)" in md
    assert "**chưa rõ:** Điểm chỉ số nội dung thành phần do cơ quan" in md
    assert "**Kế hoạch yêu cầu:** any(led_component_score" in md
    assert "**Căn cứ:** Kế hoạch 1078/KH-SNV, 21/6/2021, Sở Nội vụ tỉnh An Giang — " in md
    assert "**Còn thiếu:** Điểm chỉ số nội dung thành phần do đơn vị chủ trì, năm 2021" in md
    assert "## Số liệu còn thiếu" in md and result.fingerprint in md
    english = render_letter(result, candidate, "md", lang="en")
    assert isinstance(english, str) and "**Still missing:**" in english
    data = render_letter(result, candidate, "docx")
    assert isinstance(data, bytes)
    text, _, _ = _docx_text(data)
    assert "Giải trình kết quả xét thi đua, khen thưởng" in text
    assert "Kế hoạch yêu cầu: any(led_component_score" in text


def test_the_letter_escapes_markdown_in_names(registry: Registry) -> None:
    campaign = registry.campaign("an_giang.papi_2021")
    doc = registry.entry(campaign.id).sample_document()
    doc = json.loads(json.dumps(doc))
    doc["candidates"][0]["name"] = "Sở *Nội* vụ [link](http://x) <b>"
    result = evaluate(campaign, doc, registry=registry, engine="columnar")
    md = render_letter(result, result.candidates[0], "md")
    assert isinstance(md, str)
    assert r"Sở \*Nội\* vụ \[link\](http://x) \<b\>" in md


def test_explain_writes_the_letter(tmp_path: Path) -> None:
    sample = tmp_path / "s.json"
    sample.write_text(CliRunner().invoke(main, ["sample", SHIPPED[0]]).output, encoding="utf-8")
    out = tmp_path / "giai-trinh.docx"
    args = ["explain", SHIPPED[0], str(sample), "cn-031", "-o", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    text, _, _ = _docx_text(out.read_bytes())
    assert "Nguyễn Thu Hải (cn-031)" in text
    md = CliRunner().invoke(main, ["explain", SHIPPED[0], str(sample), "cn-031", "--format", "md"])
    assert md.exit_code == 0 and md.stdout.startswith("# Giải trình")
