"""A synthetic campaign of sixty criteria — a 5-of-7 and a 10-of-15 node, a ratio, member
aggregates and awards that require other awards — and seeded candidates for it.

Nothing here is a real plan: every citation is marked ``interpretation: true`` with a note saying
so. It has the shape of the national titles (see ``tests/engine/plans/national_law.yaml``):

* individuals (nine in ten candidates) carry 20 numeric facts, 5 booleans, a grade and an
  "excellent" flag; collectives carry 17 numeric facts, 6 booleans, a grade, the 7 + 15 facts of
  the two k-of-n nodes, dossier counts and an online rate;
* criteria: 30 for individuals (20 thresholds, 5 booleans, a grade, "excellent", an ``any``, the
  ``ldtt`` award's eligibility, the unit's ``tt_xuat_sac`` eligibility) and 30 for collectives
  (17 thresholds, 6 booleans, a grade, ``at_least 5`` of 7, ``at_least 10`` of 15, an on-time
  ratio not applicable without dossiers, an online rate guarded by the unit type, the share of
  members eligible for ``ldtt`` ≥ 70 %, at least one "excellent" member);
* awards: ``ldtt`` (individuals, 11 criteria), ``cstdcs`` (requires ``ldtt``'s eligibility and 11
  more), ``tt_xuat_sac`` (collectives, all 30, members included) and ``bk_ca_nhan`` (individuals
  whose unit is eligible for ``tt_xuat_sac``, and 6 more).

Candidates are generated as numpy columns (NaN = missing, about 3 % of every fact) and turned into
candidate mappings from those same columns, so every variant reads the same data.
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

CAMPAIGN_ID = "bench.sixty_2025"
AS_OF = dt.date(2025, 12, 31)
UNIT_TYPES = ("so_ban_nganh", "ubnd_huyen", "ubnd_xa")
GUARDED_UNIT_TYPES = ("ubnd_huyen", "ubnd_xa")
GRADES = ("Kém", "Trung bình", "Khá", "Tốt", "Rất tốt")
MISSING_SHARE = 0.03
MEMBERS_PER_UNIT = 9

# the thresholds the campaign states (the hand-written baseline repeats them on purpose)
I_NUM = [f"i_num_{k:02d}" for k in range(1, 21)]
I_BOOL = [f"i_bool_{k}" for k in range(1, 6)]
C_NUM = [f"c_num_{k:02d}" for k in range(1, 18)]
C_BOOL = [f"c_bool_{k}" for k in range(1, 7)]
K7 = [f"k7_{k}" for k in range(1, 8)]
K15 = [f"k15_{k:02d}" for k in range(1, 16)]
NUM_MIN = 50.0
K7_MIN = 50.0
K15_MIN = 40.0
GRADE_MIN_RANK = float(GRADES.index("Khá"))
ON_TIME_MIN = 95.0
ONLINE_MIN = 50.0
SHARE_MIN = 70.0
ANY_MIN = 90.0

_NOTE = "Synthetic benchmark campaign: not taken from any plan; invented to exercise the engines."


def _cite(clause: str) -> dict[str, Any]:
    return {"source": "synthetic", "clause": clause, "interpretation": True, "note": _NOTE}


def campaign_mapping() -> dict[str, Any]:
    def fact(fid: str, ftype: str, kind: str, **kw: Any) -> dict[str, Any]:
        return {"id": fid, "label": fid, "type": ftype, "kinds": [kind], **kw}

    facts = [fact(f, "number", "individual", minimum=0, maximum=100) for f in I_NUM]
    facts += [fact(f, "boolean", "individual") for f in I_BOOL]
    facts += [
        fact("i_excellent", "boolean", "individual"),
        fact("i_grade", "ordinal", "individual", scale="grade"),
    ]
    facts += [fact(f, "number", "collective", minimum=0, maximum=100) for f in C_NUM + K7 + K15]
    facts += [fact(f, "boolean", "collective") for f in C_BOOL]
    facts += [
        fact("c_grade", "ordinal", "collective", scale="grade"),
        fact("dossiers_on_time", "integer", "collective", minimum=0),
        fact("dossiers_total", "integer", "collective", minimum=0),
        fact("online_rate", "number", "collective", minimum=0, maximum=100),
    ]

    def crit(cid: str, kind: str, rule: Any, **extra: Any) -> dict[str, Any]:
        return {
            "id": cid,
            "label": cid,
            "kind": kind,
            "rule": rule,
            "citation": _cite(cid),
            **extra,
        }

    def ge(f: str, v: float) -> dict[str, Any]:
        return {"fact": f, "op": ">=", "value": v}

    def true(f: str) -> dict[str, Any]:
        return {"fact": f, "op": "==", "value": True}

    individual = [crit(f"ca_nhan.{f}", "individual", ge(f, NUM_MIN)) for f in I_NUM]
    individual += [crit(f"ca_nhan.{f}", "individual", true(f)) for f in I_BOOL]
    individual += [
        crit("ca_nhan.xep_loai", "individual", {"fact": "i_grade", "op": ">=", "value": "Khá"}),
        crit("ca_nhan.xuat_sac", "individual", true("i_excellent")),
        crit(
            "ca_nhan.mot_trong_hai",
            "individual",
            {"any": [ge("i_num_01", ANY_MIN), true("i_excellent")]},
        ),
        crit("ca_nhan.dat_ldtt", "individual", {"award": "ldtt"}),
        crit("ca_nhan.don_vi_xuat_sac", "individual", {"award": "tt_xuat_sac", "of": "unit"}),
    ]
    collective = [crit(f"tap_the.{f}", "collective", ge(f, NUM_MIN)) for f in C_NUM]
    collective += [crit(f"tap_the.{f}", "collective", true(f)) for f in C_BOOL]
    collective += [
        crit("tap_the.xep_loai", "collective", {"fact": "c_grade", "op": ">=", "value": "Khá"}),
        crit(
            "tap_the.nam_tren_bay", "collective", {"at_least": 5, "of": [ge(f, K7_MIN) for f in K7]}
        ),
        crit(
            "tap_the.muoi_tren_muoi_lam",
            "collective",
            {"at_least": 10, "of": [ge(f, K15_MIN) for f in K15]},
        ),
        crit(
            "tap_the.dung_han",
            "collective",
            {
                "compute": {
                    "product": [
                        {
                            "ratio": [{"fact": "dossiers_on_time"}, {"fact": "dossiers_total"}],
                            "if_zero": "not_applicable",
                        },
                        {"value": 100},
                    ]
                },
                "op": ">=",
                "value": ON_TIME_MIN,
            },
        ),
        crit(
            "tap_the.truc_tuyen",
            "collective",
            ge("online_rate", ONLINE_MIN),
            applies_if={"attribute": "unit_type", "in": list(GUARDED_UNIT_TYPES)},
        ),
        crit(
            "tap_the.ty_le_ldtt",
            "collective",
            {"members": {"award": "ldtt"}, "measure": "share", "op": ">=", "value": SHARE_MIN},
        ),
        crit(
            "tap_the.co_xuat_sac",
            "collective",
            {"members": true("i_excellent"), "measure": "count", "op": ">=", "value": 1},
        ),
    ]
    assert len(individual) == 30 and len(collective) == 30

    def award(aid: str, kind: str, requires: list[str]) -> dict[str, Any]:
        return {
            "id": aid,
            "label": aid,
            "form": "bang_khen"
            if aid == "bk_ca_nhan"
            else {"ldtt": "lao_dong_tien_tien", "cstdcs": "chien_si_thi_dua_co_so"}.get(
                aid, "tap_the_lao_dong_xuat_sac"
            ),
            "authority": "Chủ tịch UBND tỉnh Thử nghiệm",
            "kind": kind,
            "requires": requires,
            "citation": _cite(aid),
        }

    i_ids = [c["id"] for c in individual]
    awards = [
        award("ldtt", "individual", [f"ca_nhan.{f}" for f in I_NUM[:10]] + ["ca_nhan.xep_loai"]),
        award(
            "cstdcs",
            "individual",
            ["ca_nhan.dat_ldtt"] + [f"ca_nhan.{f}" for f in I_NUM[10:]] + ["ca_nhan.xuat_sac"],
        ),
        award("tt_xuat_sac", "collective", [c["id"] for c in collective]),
        award(
            "bk_ca_nhan",
            "individual",
            ["ca_nhan.don_vi_xuat_sac"]
            + [f"ca_nhan.{f}" for f in I_BOOL]
            + ["ca_nhan.mot_trong_hai"],
        ),
    ]
    assert set(i_ids) >= {r for a in awards if a["kind"] == "individual" for r in a["requires"]}
    return {
        "id": CAMPAIGN_ID,
        "title": "Chiến dịch 60 tiêu chí dùng để đo hiệu năng (không phải kế hoạch thật)",
        "jurisdiction": {"id": "bench", "name": "tỉnh Thử nghiệm", "level": "province"},
        "sources": {
            "synthetic": {
                "kind": "Kế hoạch",
                "number": "60/KH-BENCH",
                "date": dt.date(2025, 1, 1),
                "issuer": "emulation-rules benchmarks",
            }
        },
        "legal_basis": ["synthetic"],
        "period": {"start": dt.date(2025, 1, 1), "end": AS_OF, "citation": _cite("thời gian")},
        "participants": [
            {"unit_type": u, "label": u, "citation": _cite("đối tượng")} for u in UNIT_TYPES
        ],
        "scales": [
            {"id": "grade", "label": "Xếp loại", "levels": list(GRADES), "citation": _cite("thang")}
        ],
        "facts": facts,
        "criteria": individual + collective,
        "awards": awards,
    }


def build_campaign() -> Campaign:
    return campaign_from_mapping(campaign_mapping(), origin="benchmarks/sixty.py")


@dataclass(frozen=True)
class Columns:
    """Candidates as normalised columns (NaN = missing): collectives first, then individuals."""

    n_units: int
    unit_type: IntArray  # per unit
    unit_of: IntArray  # per individual: its unit's index
    units: dict[str, FloatArray]
    people: dict[str, FloatArray]

    def __len__(self) -> int:
        return self.n_units + len(self.unit_of)


def generate_columns(n: int, seed: int = 2025) -> Columns:
    """``n`` candidates: one collective for every ``MEMBERS_PER_UNIT`` individuals."""
    rng = np.random.default_rng(seed)
    n_units = max(1, n // (MEMBERS_PER_UNIT + 1))
    n_people = n - n_units

    def numbers(count: int, low: float) -> FloatArray:
        # holds for about 97 % of those who report it
        passing = rng.random(count) < 0.97
        values = np.where(passing, rng.uniform(low, 100.0, count), rng.uniform(0.0, low, count))
        out: FloatArray = np.round(values, 2).astype(np.float64)
        return out

    def booleans(count: int, p: float = 0.97) -> FloatArray:
        return (rng.random(count) < p).astype(np.float64)

    people: dict[str, FloatArray] = {f: numbers(n_people, NUM_MIN) for f in I_NUM}
    people.update({f: booleans(n_people) for f in I_BOOL})
    people["i_excellent"] = booleans(n_people, 0.5)
    people["i_grade"] = rng.choice(5, size=n_people, p=[0.01, 0.02, 0.27, 0.4, 0.3]).astype(
        np.float64
    )
    units: dict[str, FloatArray] = {f: numbers(n_units, NUM_MIN) for f in C_NUM}
    units.update({f: booleans(n_units) for f in C_BOOL})
    units.update({f: np.round(rng.uniform(0.0, 100.0, n_units), 1) for f in K7 + K15})
    units["c_grade"] = rng.choice(5, size=n_units, p=[0.01, 0.02, 0.27, 0.4, 0.3]).astype(
        np.float64
    )
    total = rng.integers(0, 500, n_units).astype(np.float64)
    total[rng.random(n_units) < 0.05] = 0.0
    units["dossiers_total"] = total
    units["dossiers_on_time"] = np.floor(total * rng.uniform(0.9, 1.0, n_units))
    units["online_rate"] = np.round(100.0 * rng.random(n_units) ** 0.3, 1)
    for col in list(people.values()) + list(units.values()):
        col[rng.random(len(col)) < MISSING_SHARE] = np.nan
    unit_type = rng.choice(len(UNIT_TYPES), size=n_units, p=(0.1, 0.2, 0.7)).astype(np.int32)
    unit_of = rng.integers(0, n_units, n_people).astype(np.int32)
    return Columns(n_units, unit_type, unit_of, units, people)


_BOOLEAN = set(I_BOOL) | set(C_BOOL) | {"i_excellent"}
_INTEGER = {"dossiers_on_time", "dossiers_total"}
_ORDINAL = {"i_grade", "c_grade"}


def _decode(columns: dict[str, FloatArray]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for fid, col in columns.items():
        raw = col.tolist()
        if fid in _BOOLEAN:
            out[fid] = [None if v != v else v == 1.0 for v in raw]
        elif fid in _INTEGER:
            out[fid] = [None if v != v else int(v) for v in raw]
        elif fid in _ORDINAL:
            out[fid] = [None if v != v else GRADES[int(v)] for v in raw]
        else:
            out[fid] = [None if v != v else v for v in raw]
    return out


def to_candidates(cols: Columns) -> list[dict[str, Any]]:
    """The same candidates as ``evaluate`` input mappings (missing facts are left out)."""
    out: list[dict[str, Any]] = []
    units = _decode(cols.units)
    for i in range(cols.n_units):
        facts = {k: v[i] for k, v in units.items() if v[i] is not None}
        out.append(
            {
                "id": f"u{i}",
                "name": f"Đơn vị {i}",
                "kind": "collective",
                "unit_type": UNIT_TYPES[int(cols.unit_type[i])],
                "facts": facts,
            }
        )
    people = _decode(cols.people)
    unit_of = cols.unit_of.tolist()
    for j in range(len(unit_of)):
        facts = {k: v[j] for k, v in people.items() if v[j] is not None}
        out.append(
            {
                "id": f"p{j}",
                "name": f"Cá nhân {j}",
                "kind": "individual",
                "unit_id": f"u{unit_of[j]}",
                "facts": facts,
            }
        )
    return out
