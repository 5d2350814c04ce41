"""A synthetic campaign of ten collective criteria and seeded synthetic candidates for it.

Nothing here is a real plan: every citation is marked ``interpretation: true`` with a note saying
so. The campaign exercises every kind of node the criteria language has: numeric thresholds
read from parameters, booleans, an ordinal scale, an ``any`` node, a comparison with another fact
plus a margin, and a criterion guarded by ``applies_if`` on the unit type. One award requires all
ten, with a quota and a ranking.

Candidates are generated as numpy columns first (normalised values: booleans 0/1, ordinal levels
as ranks, NaN = missing, about 5 % of every fact) and turned into candidate mappings from those
same columns, so every variant of the benchmark reads the same data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from emulation_rules.plan.campaign import Campaign
from emulation_rules.plan.loader import campaign_from_mapping

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]

CAMPAIGN_ID = "bench.synthetic_2025"
AWARD_ID = "bang_khen_tap_the"
AS_OF = dt.date(2025, 12, 31)
UNIT_TYPES = ("so_ban_nganh", "ubnd_huyen", "ubnd_xa")
UNIT_TYPE_SHARE = (0.1, 0.2, 0.7)
DDCI_LEVELS = ("Kém", "Trung bình", "Khá", "Tốt", "Rất tốt")
MISSING_SHARE = 0.05

# the thresholds the campaign states (the hand-written baselines repeat them on purpose)
PAR_MIN = 90.0
SIPAS_MIN = 90.0
ON_TIME_MIN = 95.0
ONLINE_MIN = 50.0
INITIATIVES_MIN = 1.0
DDCI_MIN_RANK = float(DDCI_LEVELS.index("Tốt"))
SCORE_MARGIN = 0.5
GUARDED_UNIT_TYPES = ("ubnd_huyen", "ubnd_xa")

_NOTE = "Synthetic benchmark campaign: not taken from any plan; invented to exercise the engines."


def _cite(clause: str) -> dict[str, Any]:
    return {"source": "synthetic", "clause": clause, "interpretation": True, "note": _NOTE}


def _param(pid: str, label: str, ptype: str, value: Any) -> dict[str, Any]:
    return {"id": pid, "label": label, "type": ptype, "value": value, "citation": _cite(pid)}


def campaign_mapping() -> dict[str, Any]:
    """The synthetic campaign as the mapping a plugin's YAML would parse to."""
    facts: list[dict[str, Any]] = [
        {
            "id": "par_index",
            "label": "Chỉ số cải cách hành chính (PAR Index)",
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "unit": "điểm",
        },
        {
            "id": "sipas",
            "label": "Chỉ số hài lòng (SIPAS)",
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "unit": "%",
        },
        {"id": "reports_on_time", "label": "Báo cáo đầy đủ, đúng hạn", "type": "boolean"},
        {
            "id": "discipline_ok",
            "label": "Chấp hành tốt kỷ luật, kỷ cương hành chính",
            "type": "boolean",
        },
        {"id": "ddci_grade", "label": "Xếp loại DDCI", "type": "ordinal", "scale": "xep_loai_ddci"},
        {
            "id": "recognised_initiatives",
            "label": "Số sáng kiến được công nhận",
            "type": "integer",
            "minimum": 0,
            "unit": "sáng kiến",
        },
        {"id": "in_top_group", "label": "Thuộc nhóm dẫn đầu", "type": "boolean"},
        {
            "id": "component_score",
            "label": "Điểm chỉ số thành phần năm đánh giá",
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "unit": "điểm",
        },
        {
            "id": "component_score_previous",
            "label": "Điểm chỉ số thành phần năm trước",
            "type": "number",
            "minimum": 0,
            "maximum": 10,
            "unit": "điểm",
        },
        {
            "id": "online_dossier_rate",
            "label": "Tỷ lệ hồ sơ trực tuyến toàn trình",
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "unit": "%",
        },
        {
            "id": "on_time_dossier_rate",
            "label": "Tỷ lệ hồ sơ giải quyết đúng hạn",
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "unit": "%",
        },
        {
            "id": "publishes_procedures",
            "label": "Công khai đầy đủ thủ tục hành chính",
            "type": "boolean",
        },
    ]
    for f in facts:
        f["kinds"] = ["collective"]

    def crit(cid: str, label: str, rule: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {
            "id": f"tap_the.{cid}",
            "label": label,
            "kind": "collective",
            "rule": rule,
            "citation": _cite(f"tiêu chí {cid}"),
            **extra,
        }

    criteria = [
        crit(
            "par_index",
            "PAR Index đạt ngưỡng",
            {"fact": "par_index", "op": ">=", "param": "par_min"},
        ),
        crit("sipas", "SIPAS đạt ngưỡng", {"fact": "sipas", "op": ">=", "param": "sipas_min"}),
        crit("bao_cao", "Báo cáo đúng hạn", {"fact": "reports_on_time", "op": "==", "value": True}),
        crit("ky_luat", "Kỷ luật, kỷ cương", {"fact": "discipline_ok", "op": "==", "value": True}),
        crit("ddci", "DDCI từ mức Tốt", {"fact": "ddci_grade", "op": ">=", "value": "Tốt"}),
        crit(
            "sang_kien_hoac_dan_dau",
            "Có sáng kiến hoặc thuộc nhóm dẫn đầu",
            {
                "any": [
                    {"fact": "recognised_initiatives", "op": ">=", "param": "initiatives_min"},
                    {"fact": "in_top_group", "op": "==", "value": True},
                ]
            },
        ),
        crit(
            "cai_thien_diem",
            "Điểm chỉ số thành phần cải thiện",
            {
                "fact": "component_score",
                "op": ">=",
                "to_fact": "component_score_previous",
                "margin": SCORE_MARGIN,
            },
        ),
        crit(
            "truc_tuyen",
            "Hồ sơ trực tuyến (cấp huyện, cấp xã)",
            {"fact": "online_dossier_rate", "op": ">=", "param": "online_min"},
            applies_if={"attribute": "unit_type", "in": list(GUARDED_UNIT_TYPES)},
        ),
        crit(
            "dung_han",
            "Hồ sơ giải quyết đúng hạn",
            {"fact": "on_time_dossier_rate", "op": ">=", "param": "on_time_min"},
        ),
        crit(
            "cong_khai",
            "Công khai thủ tục hành chính",
            {"fact": "publishes_procedures", "op": "==", "value": True},
        ),
    ]
    participants = [
        {"unit_type": u, "label": label, "citation": _cite("đối tượng")}
        for u, label in zip(
            UNIT_TYPES, ("Sở, ban, ngành", "UBND cấp huyện", "UBND cấp xã"), strict=True
        )
    ]
    return {
        "id": CAMPAIGN_ID,
        "title": "Chiến dịch tổng hợp dùng để đo hiệu năng (không phải kế hoạch thật)",
        "jurisdiction": {"id": "bench", "name": "tỉnh Thử nghiệm", "level": "province"},
        "sources": {
            "synthetic": {
                "kind": "Kế hoạch",
                "number": "0/KH-BENCH",
                "date": dt.date(2025, 1, 1),
                "issuer": "emulation-rules benchmarks",
                "title": "Synthetic plan for benchmarks",
            }
        },
        "legal_basis": ["synthetic"],
        "period": {
            "start": dt.date(2025, 1, 1),
            "end": AS_OF,
            "citation": _cite("thời gian"),
        },
        "participants": participants,
        "scales": [
            {
                "id": "xep_loai_ddci",
                "label": "Xếp loại DDCI",
                "levels": list(DDCI_LEVELS),
                "citation": _cite("thang xếp loại"),
            }
        ],
        "facts": facts,
        "parameters": [
            _param("par_min", "Ngưỡng PAR Index", "number", PAR_MIN),
            _param("sipas_min", "Ngưỡng SIPAS", "number", SIPAS_MIN),
            _param("initiatives_min", "Số sáng kiến tối thiểu", "integer", int(INITIATIVES_MIN)),
            _param("online_min", "Ngưỡng hồ sơ trực tuyến", "number", ONLINE_MIN),
            _param("on_time_min", "Ngưỡng hồ sơ đúng hạn", "number", ON_TIME_MIN),
            _param("quota", "Số tập thể được khen", "integer", 50),
        ],
        "criteria": criteria,
        "awards": [
            {
                "id": AWARD_ID,
                "label": "Bằng khen (tập thể)",
                "form": "bang_khen",
                "authority": "Chủ tịch UBND tỉnh Thử nghiệm",
                "kind": "collective",
                "requires": [c["id"] for c in criteria],
                "quota_param": "quota",
                "ranking": {
                    "keys": [
                        {"fact": "par_index", "order": "desc"},
                        {"fact": "sipas", "order": "desc"},
                    ],
                    "citation": _cite("xếp hạng"),
                },
                "citation": _cite("khen thưởng"),
            }
        ],
    }


def build_campaign() -> Campaign:
    return campaign_from_mapping(campaign_mapping(), origin="benchmarks/synthetic.py")


@dataclass(frozen=True)
class Columns:
    """Synthetic candidates as normalised columns (NaN = missing)."""

    unit_type: IntArray
    values: dict[str, FloatArray]

    def __len__(self) -> int:
        return len(self.unit_type)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(f"c{i}" for i in range(len(self)))


def generate_columns(n: int, seed: int = 2025) -> Columns:
    """``n`` collectives; each criterion holds for roughly 70-85 % of those who report it."""
    rng = np.random.default_rng(seed)

    def rounded(x: FloatArray, digits: int) -> FloatArray:
        return np.round(x, digits)

    previous = rounded(rng.uniform(3.0, 9.0, n), 1)
    values: dict[str, FloatArray] = {
        "par_index": rounded(100.0 - 15.0 * rng.random(n) ** 2, 2),
        "sipas": rounded(100.0 - 14.0 * rng.random(n) ** 2, 2),
        "reports_on_time": (rng.random(n) < 0.9).astype(np.float64),
        "discipline_ok": (rng.random(n) < 0.9).astype(np.float64),
        "ddci_grade": rng.choice(5, size=n, p=[0.05, 0.1, 0.1, 0.4, 0.35]).astype(np.float64),
        "recognised_initiatives": rng.poisson(1.0, n).astype(np.float64),
        "in_top_group": (rng.random(n) < 0.3).astype(np.float64),
        "component_score": rounded(np.clip(previous + rng.normal(0.9, 0.6, n), 0.0, 10.0), 1),
        "component_score_previous": previous,
        "online_dossier_rate": rounded(100.0 * rng.random(n) ** 0.4, 1),
        "on_time_dossier_rate": rounded(100.0 - 9.0 * rng.random(n) ** 2, 1),
        "publishes_procedures": (rng.random(n) < 0.9).astype(np.float64),
    }
    for col in values.values():
        col[rng.random(n) < MISSING_SHARE] = np.nan
    unit_type = rng.choice(len(UNIT_TYPES), size=n, p=UNIT_TYPE_SHARE).astype(np.int32)
    return Columns(unit_type=unit_type, values=values)


_BOOLEAN = ("reports_on_time", "discipline_ok", "in_top_group", "publishes_procedures")
_INTEGER = ("recognised_initiatives",)


def to_candidates(cols: Columns) -> list[dict[str, Any]]:
    """The same candidates as ``evaluate`` input mappings (missing facts are left out)."""
    n = len(cols)
    decoded: dict[str, list[Any]] = {}
    for fid, col in cols.values.items():
        raw = col.tolist()
        if fid in _BOOLEAN:
            decoded[fid] = [None if v != v else v == 1.0 for v in raw]
        elif fid in _INTEGER:
            decoded[fid] = [None if v != v else int(v) for v in raw]
        elif fid == "ddci_grade":
            decoded[fid] = [None if v != v else DDCI_LEVELS[int(v)] for v in raw]
        else:
            decoded[fid] = [None if v != v else v for v in raw]
    names = list(decoded)
    unit_types = [UNIT_TYPES[k] for k in cols.unit_type.tolist()]
    out: list[dict[str, Any]] = []
    for i in range(n):
        facts = {}
        for fid in names:
            v = decoded[fid][i]
            if v is not None:
                facts[fid] = v
        out.append(
            {
                "id": f"c{i}",
                "name": f"Đơn vị {i}",
                "kind": "collective",
                "unit_type": unit_types[i],
                "facts": facts,
            }
        )
    return out
