"""A test campaign whose facts cover every type of the criteria language (not a real plan):
the vocabulary of the language and property tests."""

from __future__ import annotations

from typing import Any

CITE = {"source": "kh", "clause": "synthetic clause"}
GRADES = ["Yếu", "Trung bình", "Khá", "Tốt", "Rất tốt"]
YEARS = [2020, 2021, 2022, 2023, 2024]


def base_plan() -> dict[str, Any]:
    """A test campaign (not a real plan) whose facts cover every type of the language."""

    def fact(fid: str, ftype: str, kinds: list[str], **kw: Any) -> dict[str, Any]:
        return {"id": fid, "label": fid, "type": ftype, "kinds": kinds, **kw}

    def param(pid: str, ptype: str, value: Any) -> dict[str, Any]:
        return {"id": pid, "label": pid, "type": ptype, "value": value, "citation": CITE}

    series = {"first_year": 2020, "last_year": 2024}
    return {
        "id": "testland.random_2024",
        "title": "Kế hoạch ngẫu nhiên (thử nghiệm)",
        "jurisdiction": {"id": "testland", "name": "tỉnh Thử Nghiệm", "level": "province"},
        "sources": {
            "kh": {
                "kind": "Kế hoạch",
                "number": "9/KH-TEST",
                "date": "2024-01-01",
                "issuer": "UBND tỉnh Thử Nghiệm",
            }
        },
        "legal_basis": ["kh"],
        "period": {"start": "2024-01-01", "end": "2024-12-31", "citation": CITE},
        "participants": [
            {"unit_type": "so", "label": "Sở", "citation": CITE},
            {"unit_type": "huyen", "label": "Huyện", "citation": CITE},
        ],
        "scales": [{"id": "grade", "label": "Xếp loại", "levels": GRADES, "citation": CITE}],
        "facts": [
            fact("cb1", "boolean", ["collective"]),
            fact("cb2", "boolean", ["collective"]),
            fact("cn1", "number", ["collective"], minimum=0, maximum=100),
            fact("cn2", "number", ["collective"], minimum=0, maximum=100),
            fact("cden", "integer", ["collective"], minimum=0),
            fact("cg", "ordinal", ["collective"], scale="grade"),
            fact("cd", "date", ["collective"]),
            fact("ib", "boolean", ["individual"]),
            fact("in1", "number", ["individual"], minimum=0, maximum=100),
            fact("ig", "ordinal", ["individual"], scale="grade"),
            fact("idate", "date", ["individual"]),
            fact("iser", "series", ["individual"], element="boolean", **series),
            fact("iord", "series", ["individual"], element="ordinal", scale="grade", **series),
            fact("iids", "series", ["individual"], element="ids", **series),
            fact("iused", "series", ["individual"], element="ids", **series),
        ],
        "parameters": [
            param("p_num", "number", 50),
            param("p_date", "date", "2024-06-30"),
            param("p_year", "integer", 2023),
            param("p_zero", "boolean", True),
        ],
        "criteria": [],
        "awards": [],
    }
