"""One set of status words and one rank in every format: JSON lists, CSV, table and explain
agree for every candidate of every allocation."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from emulation_rules import Registry, evaluate
from emulation_rules.evaluation.allocation.model import STATUSES
from emulation_rules.evaluation.result import Result
from emulation_rules.messages import messages
from emulation_rules.outputs.common import award_title, status_word
from emulation_rules.outputs.explain import render_explanation
from emulation_rules.outputs.results import render_csv, render_table

WHY_TIEN_GIANG = {
    "candidates": [
        {"id": "so-nv", "name": "Sở Nội vụ", "kind": "collective", "unit_type": "so_ban_nganh",
         "facts": {"appraised_total": 97.0}},
        {"id": "so-tc", "name": "Sở Tài chính", "kind": "collective",
         "unit_type": "so_ban_nganh", "facts": {"appraised_total": 96.4}},
        {"id": "so-tttt", "name": "Sở TTTT", "kind": "collective", "unit_type": "so_ban_nganh",
         "facts": {}},
        {"id": "ct", "name": "Cục Thuế tỉnh", "kind": "collective", "unit_type": "nganh_doc",
         "facts": {"appraised_total": 97.61}},
        {"id": "kb", "name": "Kho bạc", "kind": "collective", "unit_type": "nganh_doc",
         "facts": {"appraised_total": 97.61}},
    ]
}  # fmt: skip


def _json_status(document: dict[str, Any], award: str, cid: str) -> str | None:
    for alloc in document["allocations"]:
        if alloc["award"] != award:
            continue
        for word in STATUSES:  # the first list that holds it, as the model's precedence says
            if cid in alloc[word]:
                return word
    return None


def _table_rows(table: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(table title, id) -> (the # column, the status column)."""
    rows: dict[tuple[str, str], tuple[str, str]] = {}
    title = ""
    for line in table.splitlines():
        if line and line[0] not in "┏┃┡│└" and "(" in line:
            title = line
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            rows[(title, cells[1])] = (cells[0], cells[3])
    return rows


def _results(registry: Registry) -> list[Result]:
    ag = registry.campaign("an_giang.papi_2021")
    tg = registry.campaign("tien_giang.par_2023")
    return [
        evaluate(ag, registry.entry(ag.id).sample_document(), registry=registry),
        evaluate(tg, WHY_TIEN_GIANG, registry=registry),
        evaluate(tg, registry.entry(tg.id).sample_document(), registry=registry),
    ]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("which", [0, 1, 2])
def test_json_csv_table_and_explain_agree(registry: Registry, which: int, lang: str) -> None:
    result = _results(registry)[which]
    t = messages(lang)
    document = result.to_dict()
    table = _table_rows(render_table(result, lang=lang))
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(render_csv(result)))}
    seen = set()
    for alloc in result.allocations:
        listed = {cid for word in STATUSES for cid in getattr(alloc, word)}
        for cid in sorted(listed):
            status = alloc.status(cid)
            assert status == _json_status(document, alloc.award, cid)
            assert rows[cid][f"{alloc.award}.allocation"] == status
            rank = alloc.ranks.get(cid)
            assert rows[cid][f"{alloc.award}.rank"] == ("" if rank is None else str(rank))
            word = status_word(t, status or "")
            explained = render_explanation(result, result.candidate(cid), lang=lang)
            head = f"{result.campaign.award(alloc.award).label} ({alloc.award}): "
            line = next(x for x in explained.splitlines() if x.startswith(head))
            assert f" — {word}" in line
            if rank is not None:
                assert t._("(rank {rank})").format(rank=rank) in line
            for (title, row_id), (shown_rank, shown_status) in table.items():
                if row_id == cid and title.startswith(award_title(result.campaign, alloc) + " ("):
                    assert shown_status == word
                    assert shown_rank == ("—" if rank is None else str(rank))
                    seen.add((alloc.award, cid))
    assert seen  # the table was read


def test_the_table_never_says_proposed(registry: Registry) -> None:
    for result in _results(registry):
        assert "proposed" not in render_table(result, lang="en")
        assert "đề nghị" not in render_table(result)


def test_equal_keys_share_a_rank_in_every_format(registry: Registry) -> None:
    result = _results(registry)[1]
    alloc = result.allocation("co_thi_dua", "nganh_doc")
    assert alloc.tied_at_cutoff == ("ct", "kb") and dict(alloc.ranks) == {"ct": 1, "kb": 1}
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(render_csv(result)))}
    assert rows["ct"]["co_thi_dua.rank"] == rows["kb"]["co_thi_dua.rank"] == "1"
    assert rows["ct"]["co_thi_dua.allocation"] == "tied_at_cutoff"


def test_a_candidate_that_did_not_exist_has_no_status_and_its_reason_everywhere(
    registry: Registry,
) -> None:
    campaign = registry.campaign("tien_giang.par_2023")
    gone = {
        "id": "so-cu",
        "name": "Sở đã giải thể",
        "kind": "collective",
        "unit_type": "so_ban_nganh",
        "active_until": "2022-12-31",
        "facts": {"appraised_total": 99.9},
    }
    result = evaluate(campaign, {"candidates": [*WHY_TIEN_GIANG["candidates"], gone]})
    reason = "did not exist during 2023-02-24 – 2023-12-31 (existed until 2022-12-31)"
    assert all(a.status("so-cu") is None for a in result.allocations)
    row = next(r for r in csv.DictReader(io.StringIO(render_csv(result))) if r["id"] == "so-cu")
    assert row["co_thi_dua"] == "not_applicable" and row["co_thi_dua.allocation"] == ""
    label = campaign.award("co_thi_dua").label
    explained = render_explanation(result, result.candidate("so-cu"), lang="en")
    assert f"{label} (co_thi_dua): not applicable — {reason}" in explained
    table = render_table(result, lang="en")
    assert f"so-cu — Sở đã giải thể — {label}: not applicable\n    {reason}" in table
    assert "no criterion of this award applies" not in table
    vietnamese = render_table(result)
    assert "không tồn tại trong thời gian 24/2/2023 – 31/12/2023 (tồn tại đến 31/12/2022)" in (
        vietnamese
    )
