"""What changed between two results: a what-if against its baseline, or a later as_of with a
fact now known; Result.diff in Python and `emulation-rules diff` over two JSON files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from emulation_rules import Registry, evaluate
from emulation_rules.cli import main
from emulation_rules.evaluation.diff import DiffError, diff_documents
from emulation_rules.outputs.diff import render_diff

CAMPAIGN = "an_giang.papi_2021"


def _sample(registry: Registry) -> dict[str, Any]:
    return json.loads(json.dumps(registry.entry(CAMPAIGN).sample_document()))


def test_a_what_if_on_the_quota_names_who_moved_and_why(registry: Registry) -> None:
    campaign = registry.campaign(CAMPAIGN)
    doc = _sample(registry)
    before = evaluate(campaign, doc, registry=registry)
    after = evaluate(campaign, doc, registry=registry, overrides={"quota_collectives": "3"})
    diff = before.diff(after)
    assert diff.parameters == {"quota_collectives": (5, 3)}
    assert diff.fingerprint[0] != diff.fingerprint[1]
    moved = {c.id: c for c in diff.candidates}
    assert set(moved) == {"so-tu-phap", "ubnd-h-thoai-son", "so-thong-tin-truyen-thong"}
    tie = moved["so-tu-phap"].awards[0]
    assert (tie.status_before, tie.status_after) == ("awarded", "tied_at_cutoff")
    assert (tie.quota_before, tie.quota_after) == (5, 3)
    assert moved["so-tu-phap"].because == ("quota",)
    assert moved["so-thong-tin-truyen-thong"].awards[0].status_after == "reserve"
    # nothing that did not change is listed; the same result against itself is empty
    assert not before.diff(before).changed


def test_a_fact_now_known_is_named_with_the_criterion_it_decided(registry: Registry) -> None:
    campaign = registry.campaign(CAMPAIGN)
    doc = _sample(registry)
    before = evaluate(campaign, doc, registry=registry)
    later = _sample(registry)
    who = next(c for c in later["candidates"] if c["id"] == "cn-031")
    who["facts"]["recognised_initiatives"] = 9  # sent in: it now tops the individuals
    after = evaluate(campaign, later, registry=registry)
    diff = before.diff(after)
    change = next(c for c in diff.candidates if c.id == "cn-031")
    assert change.because[0] == "criteria"
    crit = next(c for c in change.criteria if c.id == "ca_nhan.sang_kien")
    assert (crit.verdict_before, crit.verdict_after) == ("unknown", "met")
    assert crit.observed_before["recognised_initiatives"] is None
    assert crit.observed_after["recognised_initiatives"] == 9
    place = change.awards[0]
    assert (place.eligibility_before, place.eligibility_after) == ("undetermined", "eligible")
    assert place.status_before == "possible" and place.status_after == "awarded"
    # those whose provisional seats it threatened are now settled, by others moving
    settled = [c for c in diff.candidates if c.id in ("cn-007", "cn-008", "cn-009", "cn-010")]
    assert settled and all(c.because == ("others",) for c in settled)
    text = render_diff(diff, award_labels={a.id: a.label for a in campaign.awards})
    assert "cn-031 — Nguyễn Thu Hải" in text
    assert "chưa rõ → đạt" in text and "recognised_initiatives: — (chưa có) → 9" in text
    english = render_diff(diff, lang="en")
    assert "undetermined → eligible" in english and "possible → awarded (rank 1)" in english


def test_the_diff_reads_lean_and_verbose_documents_alike(registry: Registry) -> None:
    campaign = registry.campaign(CAMPAIGN)
    doc = _sample(registry)
    before = evaluate(campaign, doc, registry=registry)
    after = evaluate(campaign, doc, registry=registry, overrides={"quota_collectives": "3"})
    lean = diff_documents(before.to_dict(), after.to_dict())
    mixed = diff_documents(before.to_dict(verbose_citations=True), after.to_dict())
    assert lean == mixed == before.diff(after)


def test_two_campaigns_or_a_stray_document_are_refused(registry: Registry) -> None:
    ag = evaluate(registry.campaign(CAMPAIGN), _sample(registry), registry=registry)
    tg_id = "tien_giang.par_2023"
    tg = evaluate(registry.campaign(tg_id), registry.entry(tg_id).sample_document())
    with pytest.raises(DiffError, match="different campaigns"):
        ag.diff(tg)
    with pytest.raises(DiffError, match=r"before: not a result document .*no 'allocations'"):
        diff_documents({"campaign": "x", "as_of": "", "fingerprint": "", "parameters": {},
                        "candidates": []}, ag.to_dict())  # fmt: skip


def test_the_diff_command(registry: Registry, tmp_path: Path) -> None:
    sample = tmp_path / "s.json"
    sample.write_text(json.dumps(_sample(registry), ensure_ascii=False), encoding="utf-8")
    base, what_if = tmp_path / "before.json", tmp_path / "after.json"
    run = CliRunner().invoke
    assert run(main, ["evaluate", CAMPAIGN, str(sample), "-o", str(base)]).exit_code == 0
    args = ["evaluate", CAMPAIGN, str(sample), "-o", str(what_if)]
    assert run(main, [*args, "--override", "quota_collectives=3"]).exit_code == 0
    result = run(main, ["diff", str(base), str(what_if)])
    assert result.exit_code == 0, result.stderr
    assert "tham số quota_collectives: 5 → 3" in result.stdout
    assert "3 ứng viên thay đổi điều kiện hoặc vị trí" in result.stdout
    label = "Bằng khen của Chủ tịch UBND tỉnh An Giang (tập thể)"
    assert f"{label}: được chọn (chắc chắn) (hạng 3)" in result.stdout
    data = json.loads(run(main, ["diff", str(base), str(what_if), "--format", "json"]).stdout)
    assert data["parameters"] == {"quota_collectives": [5, 3]}
    order = [c["id"] for c in _sample(registry)["candidates"]]  # the later document's order
    ids = [c["id"] for c in data["candidates"]]
    assert ids == sorted(ids, key=order.index)
    assert set(ids) == {"so-tu-phap", "ubnd-h-thoai-son", "so-thong-tin-truyen-thong"}
    bad = tmp_path / "bad.json"
    bad.write_text('{"candidates": []}', encoding="utf-8")
    refused = run(main, ["diff", str(base), str(bad)])
    assert refused.exit_code == 2 and refused.stderr.startswith("error: ")
    assert "not a result document" in refused.stderr
