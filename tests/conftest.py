"""Shared fixtures: a small synthetic campaign that exercises every construct of the language."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from emulation_rules import Campaign, Registry, load_registry
from emulation_rules.plan.loader import campaign_from_mapping

CITE = {"source": "kh", "clause": "synthetic clause"}


@pytest.fixture(autouse=True, scope="session")
def _plan_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Plans remembered for `emulation-rules campaigns` go to a directory of the test run."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EMULATION_RULES_CACHE", str(tmp_path_factory.mktemp("plan-cache")))
        yield


def mini_plan() -> dict[str, Any]:
    """A test campaign (not a real plan): thresholds, a scale, a guard, an any, a unit read."""
    return {
        "id": "testland.mini_2024",
        "title": "Chuyên đề thi đua thử nghiệm",
        "jurisdiction": {"id": "testland", "name": "tỉnh Thử Nghiệm", "level": "province"},
        "sources": {
            "kh": {
                "kind": "Kế hoạch",
                "number": "1/KH-TEST",
                "date": "2024-01-10",
                "issuer": "UBND tỉnh Thử Nghiệm",
            }
        },
        "legal_basis": ["kh"],
        "period": {"start": "2024-01-10", "end": "2024-12-31", "citation": CITE},
        "participants": [
            {"unit_type": "so", "label": "Sở, ban, ngành", "citation": CITE},
            {"unit_type": "huyen", "label": "UBND cấp huyện", "citation": CITE},
        ],
        "scales": [
            {
                "id": "grade",
                "label": "Xếp loại",
                "levels": ["Yếu", "Trung bình", "Khá", "Tốt", "Rất tốt"],
                "citation": CITE,
            }
        ],
        "facts": [
            {
                "id": "par",
                "label": "PAR INDEX",
                "type": "number",
                "kinds": ["collective"],
                "minimum": 0,
                "maximum": 120,
                "unit": "%",
            },
            {
                "id": "sipas",
                "label": "SIPAS",
                "type": "number",
                "kinds": ["collective"],
                "minimum": 0,
                "maximum": 100,
                "unit": "%",
            },
            {
                "id": "ddci",
                "label": "DDCI",
                "type": "ordinal",
                "scale": "grade",
                "kinds": ["collective"],
            },
            {
                "id": "ddci_assessed",
                "label": "Thuộc đối tượng DDCI",
                "type": "boolean",
                "kinds": ["collective"],
            },
            {
                "id": "score",
                "label": "Điểm năm nay",
                "type": "number",
                "kinds": ["collective"],
                "minimum": 0,
                "maximum": 10,
            },
            {
                "id": "score_prev",
                "label": "Điểm năm trước",
                "type": "number",
                "kinds": ["collective"],
                "minimum": 0,
                "maximum": 10,
            },
            {
                "id": "initiatives",
                "label": "Sáng kiến",
                "type": "integer",
                "kinds": ["collective", "individual"],
                "minimum": 0,
            },
            {"id": "excellent", "label": "HTXSNV", "type": "boolean", "kinds": ["individual"]},
        ],
        "parameters": [
            {
                "id": "par_min",
                "label": "PAR tối thiểu",
                "type": "number",
                "value": 90,
                "citation": CITE,
            },
            {
                "id": "sipas_min",
                "label": "SIPAS tối thiểu",
                "type": "number",
                "values": {"2024-01-10": 90, "2024-07-01": 85},
                "citation": CITE,
            },
            {
                "id": "ddci_min",
                "label": "DDCI tối thiểu",
                "type": "ordinal",
                "scale": "grade",
                "value": "Tốt",
                "citation": CITE,
            },
            {"id": "gain", "label": "Mức tăng", "type": "number", "value": 0.5, "citation": CITE},
            {
                "id": "quota_c",
                "label": "Số tập thể",
                "type": "integer",
                "value": 2,
                "citation": CITE,
            },
            {
                "id": "quota_i",
                "label": "Số cá nhân",
                "type": "integer",
                "value": 2,
                "citation": CITE,
            },
        ],
        "criteria": [
            {
                "id": "c.par",
                "label": "PAR ≥ ngưỡng",
                "kind": "collective",
                "rule": {"fact": "par", "op": ">=", "param": "par_min"},
                "citation": CITE,
            },
            {
                "id": "c.sipas",
                "label": "SIPAS ≥ ngưỡng",
                "kind": "collective",
                "rule": {"fact": "sipas", "op": ">=", "param": "sipas_min"},
                "citation": CITE,
            },
            {
                "id": "c.ddci",
                "label": "DDCI từ Tốt",
                "kind": "collective",
                "applies_if": {"fact": "ddci_assessed", "op": "==", "value": True},
                "rule": {"fact": "ddci", "op": ">=", "param": "ddci_min"},
                "citation": CITE,
            },
            {
                "id": "c.progress",
                "label": "Tiến bộ",
                "kind": "collective",
                "applies_if": {"attribute": "unit_type", "in": ["huyen"]},
                "rule": {
                    "any": [
                        {
                            "fact": "score",
                            "op": ">=",
                            "to_fact": "score_prev",
                            "margin_param": "gain",
                        },
                        {"fact": "initiatives", "op": ">=", "value": 3},
                    ]
                },
                "citation": CITE,
            },
            {
                "id": "i.unit_par",
                "label": "Đơn vị đạt PAR",
                "kind": "individual",
                "rule": {"fact": "par", "of": "unit", "op": ">=", "param": "par_min"},
                "citation": CITE,
            },
            {
                "id": "i.excellent",
                "label": "HTXSNV",
                "kind": "individual",
                "rule": {"not": {"fact": "excellent", "op": "!=", "value": True}},
                "citation": CITE,
            },
        ],
        "awards": [
            {
                "id": "bk_tt",
                "label": "Bằng khen tập thể",
                "form": "bang_khen",
                "authority": "Chủ tịch UBND tỉnh",
                "kind": "collective",
                "requires": ["c.par", "c.sipas", "c.ddci", "c.progress"],
                "quota_param": "quota_c",
                "ranking": {"keys": [{"fact": "par", "order": "desc"}], "citation": CITE},
                "citation": CITE,
            },
            {
                "id": "bk_cn",
                "label": "Bằng khen cá nhân",
                "form": "bang_khen",
                "authority": "Chủ tịch UBND tỉnh",
                "kind": "individual",
                "requires": ["i.unit_par", "i.excellent"],
                "quota_param": "quota_i",
                "ranking": {"keys": [{"fact": "initiatives", "order": "desc"}], "citation": CITE},
                "citation": CITE,
            },
        ],
    }


def members_and_groups_plan() -> dict[str, Any]:
    """The mini plan with a member aggregate (at least half of a unit's members excellent)
    required by the collectives' award, whose quota applies per unit type (groups)."""
    plan = mini_plan()
    plan["criteria"].append(
        {
            "id": "c.members",
            "label": "Ít nhất một nửa cá nhân hoàn thành xuất sắc",
            "kind": "collective",
            "rule": {
                "members": {"criterion": "i.excellent"},
                "measure": "share",
                "op": ">=",
                "value": 50,
            },
            "citation": CITE,
        }
    )
    award = plan["awards"][0]
    award["requires"] = [*award["requires"], "c.members"]
    award["per_group"] = "unit_type"
    return plan


def unit(cid: str, unit_type: str = "so", **facts: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "name": f"Đơn vị {cid}",
        "kind": "collective",
        "unit_type": unit_type,
        "facts": facts,
    }


def person(cid: str, unit_id: str, **facts: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "name": f"Cá nhân {cid}",
        "kind": "individual",
        "unit_id": unit_id,
        "facts": facts,
    }


GOOD = {"par": 95.0, "sipas": 92.0, "ddci_assessed": False, "initiatives": 1}


@pytest.fixture
def plan_dict() -> dict[str, Any]:
    return copy.deepcopy(mini_plan())


@pytest.fixture
def mini() -> Campaign:
    return campaign_from_mapping(mini_plan())


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry()
