"""The campaign's input form: an XLSX workbook a clerk fills in and hands back to ``evaluate``.

Written with openpyxl (data validation, cell notes, several sheets):

* ``Tập thể`` (collectives) and ``Cá nhân`` (individuals, when the campaign judges any): one row
  per candidate; the candidate fields, then one column per fact the kind carries, headed by the
  fact's Vietnamese label, with a note giving its id, type, unit, range or levels, and the
  criteria that read it (a yearly series: one column per year, ``Label [2023]``); then one
  column per candidate attribute the kind gives (a cluster, by which awards are grouped),
  headed by its label. Drop-down lists for unit types, yes/no facts (``Có``/``Không``), ordinal
  grades and attributes with declared values; numeric ranges for numbers and whole numbers;
  dates as date cells (``dd/mm/yyyy``); an individual's unit is chosen among the collectives'
  ids; identifiers of an ``ids`` series written in one cell, separated by commas.
* ``Danh mục``: the lists the drop-downs read — the campaign's unit types (participants), each
  ordinal scale, yes/no, each attribute's declared values.
* ``Hướng dẫn``: how to fill the form, and every fact with its type, range, who carries it, the
  criteria that read it and their citations; every candidate attribute with who gives it, the
  awards grouped by it and its citation.

No text cell is written as a formula (a value starting with ``=``, ``+``, ``-`` or ``@`` is stored
as text), and the file is byte-identical for the same campaign (fixed timestamps).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from emulation_rules.archive import fixed_zip
from emulation_rules.inputs.columns import attribute_key
from emulation_rules.inputs.headers import BASE_LABELS
from emulation_rules.inputs.locale import fold
from emulation_rules.inputs.schema import readers
from emulation_rules.plan.campaign import Campaign, CandidateAttribute, Fact
from emulation_rules.plan.citing import citation_dict, citation_line

#: rows the drop-downs and ranges cover on each candidate sheet
FORM_ROWS = 2000
SHEET_KIND = {"collective": "Tập thể", "individual": "Cá nhân"}
LISTS_SHEET = "Danh mục"
GUIDE_SHEET = "Hướng dẫn"
YES_NO = ("Có", "Không")
TYPE_WORDS = {
    "boolean": "Có / Không",
    "integer": "số nguyên",
    "number": "số (dấu phẩy thập phân: 99,95)",
    "ordinal": "mức xếp loại",
    "date": "ngày (dd/mm/yyyy)",
    "ids": "các mã, cách nhau bởi dấu phẩy ('-' nếu không có)",
}


def type_words(fact: Fact) -> str:
    """A fact's type in Vietnamese (a series: its element's, by year)."""
    if fact.type == "series":
        return f"theo năm {fact.first_year}–{fact.last_year}: {TYPE_WORDS[fact.value_type]}"
    return TYPE_WORDS[fact.type]


_HEAD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def _text(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    """Write a cell; text is always text, never a formula."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            cell.quotePrefix = True
    return cell


def kinds_judged(campaign: Campaign) -> list[str]:
    """The kinds of candidate the campaign judges, collectives first."""
    used = {c.kind for c in campaign.criteria} | {a.kind for a in campaign.awards}
    used |= {k for f in campaign.facts for k in f.kinds}
    return [k for k in ("collective", "individual") if k in used]


def fact_headers(campaign: Campaign) -> dict[str, str]:
    """The header of each fact's column: its label, or its id when two facts share a label."""
    folded: dict[str, int] = {}
    for f in campaign.facts:
        folded[fold(f.label)] = folded.get(fold(f.label), 0) + 1
    return {f.id: f.label if folded[fold(f.label)] == 1 else f.id for f in campaign.facts}


def fact_columns(campaign: Campaign, facts: tuple[Fact, ...]) -> list[tuple[str, Fact, int | None]]:
    """The form's columns for ``facts``: (header, fact, year); a yearly series gives one column
    per year, ``Label [2023]`` (``id[2023]`` when the header is the fact's id), as
    :mod:`.headers` reads them."""
    headers = fact_headers(campaign)
    out: list[tuple[str, Fact, int | None]] = []
    for fact in facts:
        head = headers[fact.id]
        if fact.type != "series":
            out.append((head, fact, None))
            continue
        for year in fact.years():
            text = f"{head}[{year}]" if head == fact.id else f"{head} [{year}]"
            out.append((text, fact, year))
    return out


def attribute_headers(campaign: Campaign) -> dict[str, str]:
    """The header of each candidate attribute's column: its label, or ``attributes.<id>`` when
    a field's or a fact's column has the same label (as :mod:`.headers` reads them)."""
    taken = {fold(f.label) for f in campaign.facts} | {fold(v) for v in BASE_LABELS.values()}
    return {
        a.id: attribute_key(a.id) if fold(a.label) in taken else a.label
        for a in campaign.candidate_attributes
    }


def attributes_of(campaign: Campaign, kind: str) -> tuple[CandidateAttribute, ...]:
    """The candidate attributes a ``kind`` of candidate may give."""
    return tuple(a for a in campaign.candidate_attributes if kind in a.kinds)


def _attribute_note(campaign: Campaign, attr: CandidateAttribute) -> str:
    lines = [f"id: {attr.id} (thuộc tính, không phải số liệu)"]
    if attr.unit_types:
        labels = {p.unit_type: p.label for p in campaign.participants}
        lines.append("bắt buộc với: " + "; ".join(labels.get(u, u) for u in attr.unit_types))
        lines.append("để trống với các loại đơn vị khác")
    else:
        lines.append("bắt buộc với mọi dòng của trang này")
    if attr.values is not None:
        lines.append("giá trị: " + "; ".join(attr.values))
    grouped = _awards_grouped_by(campaign, attr.id)
    if grouped:
        lines.append("xét khen thưởng theo nhóm: " + ", ".join(grouped))
    return "\n".join(lines)


def _awards_grouped_by(campaign: Campaign, attribute_id: str) -> list[str]:
    return [
        a.id
        for a in campaign.awards
        if attribute_id in a.group_by() or (a.cap is not None and a.cap.by == attribute_id)
    ]


def _fact_note(campaign: Campaign, fact: Fact, read_by: list[str], year: int | None) -> str:
    lines = [f"id: {fact.id}" + (f", năm {year}" if year is not None else "")]
    lines.append(f"kiểu: {type_words(fact)}")
    if fact.unit:
        lines.append(f"đơn vị tính: {fact.unit}")
    if fact.minimum is not None or fact.maximum is not None:
        lo = "" if fact.minimum is None else f"{fact.minimum:g}"
        hi = "" if fact.maximum is None else f"{fact.maximum:g}"
        lines.append(f"khoảng: {lo} … {hi}")
    if fact.scale:
        lines.append("mức: " + " < ".join(campaign.scale(fact.scale).levels))
    if fact.year is not None:
        lines.append(f"số liệu năm {fact.year}")
    lines.append("để trống: chưa biết (không phải 'không đạt')")
    if read_by:
        lines.append("tiêu chí: " + ", ".join(read_by))
    return "\n".join(lines)


def write_template(campaign: Campaign) -> bytes:
    """The campaign's input form as XLSX bytes (deterministic)."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    lists = _lists_sheet(wb, campaign)
    headers = fact_headers(campaign)
    attr_headers = attribute_headers(campaign)
    kinds = kinds_judged(campaign)
    for kind in kinds:
        ws = wb.create_sheet(SHEET_KIND[kind])
        fields = ["id", "name", "unit_type"] if kind == "collective" else ["id", "name", "unit_id"]
        facts = campaign.facts_for(kind)  # type: ignore[arg-type]
        columns = fact_columns(campaign, facts)
        attributes = attributes_of(campaign, kind)
        read_by = readers(campaign, kind)
        for col, key in enumerate(fields, start=1):
            cell = _text(ws, 1, col, BASE_LABELS[key])
            cell.comment = Comment(_field_note(key), "emulation-rules")
        for offset, (head, fact, year) in enumerate(columns):
            col = len(fields) + 1 + offset
            cell = _text(ws, 1, col, head)
            note = _fact_note(campaign, fact, read_by[fact.id], year)
            cell.comment = Comment(note, "emulation-rules")
            cell.comment.width, cell.comment.height = 320, 200
        for offset, attr in enumerate(attributes):
            col = len(fields) + len(columns) + 1 + offset
            cell = _text(ws, 1, col, attr_headers[attr.id])
            cell.comment = Comment(_attribute_note(campaign, attr), "emulation-rules")
            cell.comment.width, cell.comment.height = 320, 160
        for col in range(1, len(fields) + len(columns) + len(attributes) + 1):
            head = ws.cell(row=1, column=col)
            head.font = _HEAD
            head.fill = _HEAD_FILL
            head.alignment = Alignment(wrap_text=True, vertical="top")
            ws.column_dimensions[get_column_letter(col)].width = 14 if col == 1 else 24
        ws.row_dimensions[1].height = 90
        ws.freeze_panes = "C2"
        _validations(ws, campaign, kind, fields, columns, lists)
        _attribute_validations(ws, len(fields) + len(columns), attributes, lists)
    _guide_sheet(wb, campaign, kinds, headers)
    wb.move_sheet(GUIDE_SHEET, offset=-len(wb.sheetnames) + 1)
    wb.active = 1
    stamp = dt.datetime(2000, 1, 1)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "emulation-rules"
    wb.properties.title = f"Biểu mẫu nhập liệu — {campaign.id}"
    raw = io.BytesIO()
    wb.save(raw)
    return fixed_zip(raw.getvalue())


def _field_note(key: str) -> str:
    return {
        "id": "Mã (id): duy nhất trong tệp; không để trống",
        "name": "Tên tập thể / cá nhân",
        "unit_type": "Loại đơn vị tham gia (chọn trong danh sách)",
        "unit_id": "Mã của đơn vị công tác (một mã ở trang Tập thể)",
    }[key]


def _lists_sheet(wb: Workbook, campaign: Campaign) -> dict[str, str]:
    """The lists the drop-downs read; returns list name -> absolute range."""
    ws = wb.create_sheet(LISTS_SHEET)
    ranges: dict[str, str] = {}
    columns: list[tuple[str, str, list[str]]] = [
        ("unit_type", "Loại đơn vị (participants)", [p.label for p in campaign.participants]),
        ("unit_type_id", "unit_type (id)", [p.unit_type for p in campaign.participants]),
        ("yes_no", "Có / Không", list(YES_NO)),
    ]
    for scale in campaign.scales:
        columns.append((f"scale:{scale.id}", scale.label, list(scale.levels)))
    for attr in campaign.candidate_attributes:
        if attr.values is not None:
            columns.append((f"attribute:{attr.id}", attr.label, list(attr.values)))
    for col, (key, title, values) in enumerate(columns, start=1):
        _text(ws, 1, col, title).font = _HEAD
        for row, value in enumerate(values, start=2):
            _text(ws, row, col, value)
        letter = get_column_letter(col)
        last = max(2, len(values) + 1)
        ranges[key] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${last}"
        ws.column_dimensions[letter].width = 36
    return ranges


def _add_validation(ws: Worksheet, dv: DataValidation, col: int, prompt: str) -> None:
    """``dv`` over the form's rows of column ``col``, with ``prompt`` shown on entry and on a
    refused value."""
    letter = get_column_letter(col)
    dv.error = prompt
    dv.errorTitle = "Giá trị không hợp lệ"
    dv.prompt = prompt
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.add(f"{letter}2:{letter}{FORM_ROWS + 1}")
    ws.add_data_validation(dv)


def _validations(
    ws: Worksheet,
    campaign: Campaign,
    kind: str,
    fields: list[str],
    columns: list[tuple[str, Fact, int | None]],
    lists: dict[str, str],
) -> None:
    def add(dv: DataValidation, col: int, prompt: str) -> None:
        _add_validation(ws, dv, col, prompt)

    for col, key in enumerate(fields, start=1):
        if key == "unit_type":
            add(
                DataValidation(type="list", formula1=f"={lists['unit_type']}", allow_blank=False),
                col,
                "Chọn loại đơn vị trong danh sách",
            )
        if key == "unit_id" and "collective" in kinds_judged(campaign):
            source = f"'{SHEET_KIND['collective']}'!$A$2:$A${FORM_ROWS + 1}"
            add(
                DataValidation(type="list", formula1=f"={source}", allow_blank=False),
                col,
                "Chọn mã đơn vị công tác (một mã ở trang Tập thể)",
            )
    for offset, (_, fact, _year) in enumerate(columns):
        col = len(fields) + 1 + offset
        vtype = fact.value_type  # a series' year: its element's type
        if vtype == "boolean":
            dv = DataValidation(type="list", formula1=f"={lists['yes_no']}", allow_blank=True)
            add(dv, col, "Có hoặc Không; để trống nếu chưa biết")
        elif vtype == "ordinal":
            assert fact.scale is not None
            dv = DataValidation(
                type="list", formula1=f"={lists['scale:' + fact.scale]}", allow_blank=True
            )
            add(dv, col, "Chọn mức trong danh sách; để trống nếu chưa biết")
        elif vtype == "date":
            dv = DataValidation(
                type="date",
                operator="between",
                formula1="DATE(1900,1,1)",
                formula2="DATE(2200,12,31)",
                allow_blank=True,
            )
            add(dv, col, "Ngày (dd/mm/yyyy); để trống nếu chưa biết")
            letter = get_column_letter(col)
            for row in range(2, FORM_ROWS + 2):
                ws[f"{letter}{row}"].number_format = "DD/MM/YYYY"
        elif vtype == "ids":
            continue  # free text: ids separated by commas
        else:
            kind_word: Literal["whole", "decimal"] = "whole" if vtype == "integer" else "decimal"
            lo = fact.minimum if fact.minimum is not None else -1e15
            hi = fact.maximum if fact.maximum is not None else 1e15
            dv = DataValidation(
                type=kind_word,
                operator="between",
                formula1=f"{lo:g}",
                formula2=f"{hi:g}",
                allow_blank=True,
            )
            shown = f"từ {lo:g} đến {hi:g}".replace(".", ",")
            add(dv, col, f"{TYPE_WORDS[vtype]}, {shown}; để trống nếu chưa biết")
    del kind


def _attribute_validations(
    ws: Worksheet,
    before: int,
    attributes: tuple[CandidateAttribute, ...],
    lists: dict[str, str],
) -> None:
    """A drop-down for each attribute with declared values (free text otherwise)."""
    for offset, attr in enumerate(attributes):
        if attr.values is None:
            continue
        dv = DataValidation(
            type="list", formula1=f"={lists['attribute:' + attr.id]}", allow_blank=True
        )
        _add_validation(ws, dv, before + 1 + offset, f"Chọn {attr.label} trong danh sách")


def _guide_sheet(
    wb: Workbook, campaign: Campaign, kinds: list[str], headers: dict[str, str]
) -> None:
    ws = wb.create_sheet(GUIDE_SHEET)
    lines = [
        f"Biểu mẫu nhập liệu: {campaign.title}",
        f"Mã chiến dịch: {campaign.id}",
        "Mỗi dòng của trang Tập thể / Cá nhân là một ứng viên. Ô để trống là chưa biết "
        "(không bao giờ được hiểu là 'không đạt').",
        "Số viết như khi công bố: dấu phẩy thập phân (99,95), dấu chấm phân cách hàng nghìn "
        "(1.234). Có/Không cho câu hỏi có/không; mức xếp loại chọn trong danh sách; ngày viết "
        "dd/mm/yyyy; số liệu theo năm: một cột cho mỗi năm.",
        "Nộp lại: emulation-rules evaluate " + campaign.id + " <tệp này>.xlsx",
    ]
    for row, line in enumerate(lines, start=1):
        _text(ws, row, 1, line).font = Font(bold=row == 1)
    head = ["id", "Cột (tiêu đề)", "Kiểu", "Đơn vị tính", "Khoảng / mức", "Trang", "Tiêu chí"]
    head.append("Căn cứ (trích dẫn)")
    top = len(lines) + 2
    for col, title in enumerate(head, start=1):
        cell = _text(ws, top, col, title)
        cell.font = _HEAD
        cell.fill = _HEAD_FILL
    row = top + 1
    criteria = {c.id: c for c in campaign.criteria}
    for fact in campaign.facts:
        sheets = ", ".join(SHEET_KIND[k] for k in fact.kinds if k in kinds)
        read = sorted({r for k in fact.kinds for r in readers(campaign, k)[fact.id]})
        cites = []
        for r in read:
            crit = criteria.get(r.split(" ")[0])
            if crit is not None:
                cites.append(f"{crit.id}: {citation_line(citation_dict(campaign, crit.citation))}")
        if fact.scale:
            span = " < ".join(campaign.scale(fact.scale).levels)
        elif fact.minimum is not None or fact.maximum is not None:
            span = f"{'' if fact.minimum is None else f'{fact.minimum:g}'} … " + (
                "" if fact.maximum is None else f"{fact.maximum:g}"
            )
        else:
            span = ""
        values = [
            fact.id,
            headers[fact.id] + (" [năm]" if fact.type == "series" else ""),
            type_words(fact),
            fact.unit or "",
            span,
            sheets,
            "; ".join(read),
            "\n".join(cites),
        ]
        for col, value in enumerate(values, start=1):
            _text(ws, row, col, value).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    attr_headers = attribute_headers(campaign)
    participants = {p.unit_type: p.label for p in campaign.participants}
    for attr in campaign.candidate_attributes:
        sheets = ", ".join(SHEET_KIND[k] for k in attr.kinds if k in kinds)
        who = (
            "bắt buộc với: " + "; ".join(participants.get(u, u) for u in attr.unit_types)
            if attr.unit_types
            else "bắt buộc"
        )
        grouped = _awards_grouped_by(campaign, attr.id)
        values = [
            attr.id,
            attr_headers[attr.id],
            "thuộc tính (nhóm xét khen thưởng)",
            "",
            "; ".join(attr.values) if attr.values is not None else "văn bản",
            sheets,
            f"{who}; xét theo nhóm: {', '.join(grouped) or '—'}",
            f"{attr.id}: {citation_line(citation_dict(campaign, attr.citation))}",
        ]
        for col, value in enumerate(values, start=1):
            _text(ws, row, col, value).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    for col, width in enumerate((24, 40, 16, 12, 30, 14, 40, 80), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
