"""The writers that stream from the result's arrays write, byte for byte, what the reference
writers — one candidate object at a time — write: the JSON document (``json.dumps`` of
``to_dict``, lean and verbose) and the CSV (``csv.writer`` over ``csv_rows``, with and without a
byte-order mark), on every shipped sample, on the criteria language's campaign (members, series,
seats), and on synthetic runs with missing facts, report mode, provenance, shares and groups —
with chunks of a few rows, so that chunk boundaries fall inside every run."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import members_and_groups_plan, person, unit

from emulation_rules import Campaign, campaign_from_mapping, evaluate
from emulation_rules.evaluation import document
from emulation_rules.evaluation.result import Result
from emulation_rules.outputs import csvfile
from emulation_rules.outputs.results import reference_csv, render_csv
from emulation_rules.plan.loader import load_campaign
from emulation_rules.plugins.registry import Registry

PLANS = Path(__file__).resolve().parents[1] / "engine" / "plans"


def assert_streams_like_the_reference(result: Result) -> None:
    for verbose in (False, True):
        reference = (
            json.dumps(result.to_dict(verbose_citations=verbose), ensure_ascii=False, indent=2)
            + "\n"
        )
        assert result.to_json(verbose_citations=verbose) == reference
        stream = io.BytesIO()
        result.write_json(stream, verbose_citations=verbose)
        assert stream.getvalue() == reference.encode("utf-8")
    for bom in (False, True):
        assert render_csv(result, bom=bom) == reference_csv(result, bom=bom)


@pytest.fixture(params=[8192, 3], ids=["chunks", "small-chunks"], autouse=True)
def _chunks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(document, "CHUNK", request.param)
    monkeypatch.setattr(csvfile, "CHUNK", request.param)


def test_every_shipped_sample(registry: Registry) -> None:
    assert registry.entries
    for entry in registry.entries:
        if not entry.campaign.criteria:  # a work plan: targets, no verdicts
            continue
        if entry.sample is None:  # a national year without a sample, a plan built on the Law
            continue
        assert_streams_like_the_reference(evaluate(entry.campaign, entry.sample_document()))


def test_the_languages_campaign_members_series_and_seats() -> None:
    national = load_campaign(PLANS / "national_law.yaml")
    sample = json.loads((PLANS / "national_law_sample.json").read_text(encoding="utf-8"))
    assert_streams_like_the_reference(evaluate(national, sample))


def _shares_and_groups() -> Campaign:
    return campaign_from_mapping(members_and_groups_plan())


def _candidates() -> list[dict[str, Any]]:
    """Units with members; facts missing here and there, ties, a value below 1e-4."""
    out: list[dict[str, Any]] = []
    for u in range(9):
        facts: dict[str, Any] = {
            "par": [95.0, 91.5, 99.0, 80.0][u % 4],
            "sipas": 92.0,
            "ddci_assessed": u % 3 == 0,
            "ddci": ["Khá", "Tốt", "Rất tốt"][u % 3],
            "score": 5.00001,
            "score_prev": 4.5,
            "initiatives": u % 4,
        }
        for k, fact in enumerate(facts.copy()):
            if (u + k) % 5 == 0:
                del facts[fact]  # missing
        cid = f"u{u}"
        out.append(unit(cid, "so" if u % 2 else "huyen", **facts))
        for m in range(u % 4):
            pf: dict[str, Any] = {"excellent": (u + m) % 3 != 0, "initiatives": m}
            if (u + m) % 4 == 0:
                del pf["excellent"]
            out.append(person(f"{cid}.p{m}", cid, **pf))
    return out


def test_missing_facts_shares_and_groups() -> None:
    assert_streams_like_the_reference(evaluate(_shares_and_groups(), _candidates()))


def test_report_mode_with_refused_candidates() -> None:
    candidates = [
        *_candidates(),
        unit("bad", par="much"),
        person("lost", "nowhere", initiatives=-1),
    ]
    result = evaluate(_shares_and_groups(), candidates, on_invalid="report")
    assert result.rejected
    assert_streams_like_the_reference(result)


def test_provenance_and_values_published_after_as_of(registry: Registry) -> None:
    campaign = registry.campaign("tien_giang.par_2023")
    sample = registry.entry("tien_giang.par_2023").sample_document()
    first = sample["candidates"][0]
    first["facts"]["appraised_total"] = {
        "value": 99.95,
        "year": 2023,
        "source": "Công văn thẩm định, UBND tỉnh Tiền Giang",
        "published": "2024-01-15",
    }
    for day in ("2024-01-10", "2024-01-31"):
        result = evaluate(campaign, sample, as_of=day)
        assert_streams_like_the_reference(result)
