"""A hand-written durable-rules ruleset for the sixty-criterion campaign of ``sixty.py``.

It computes the *eligible* candidates of the four awards only, as someone writing durable-rules
by hand for these rules would: a missing fact is sent as a sentinel that fails every comparison
it takes part in (two-valued logic is enough for the eligible set), rules are written with the
durable-rules JSON API (``$and``, ``$or``, ``$add``, ``$sub``, ``$mul``), messages go through the
Python host's ``post_batch`` in chunks of 1,000 with ``"cap"`` on every rule (one action per
rule and chunk), and the stages chain through the host's results:

1. ``ldtt`` for every individual; the 22 children of the two k-of-n nodes (one message per
   collective and child: met or not);
2. ``cstdcs`` for every individual (reading its ``ldtt`` result); ``tt_xuat_sac`` for every
   collective (reading the 22 children's results through ``$add``, and the share of its members
   eligible for ``ldtt`` and its "excellent" members, counted in Python from stage 1 and the
   members' facts);
3. ``bk_ca_nhan`` for every individual (reading its unit's ``tt_xuat_sac`` result).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import durable.engine as durable_engine
from sixty import (
    ANY_MIN,
    C_BOOL,
    C_NUM,
    GRADE_MIN_RANK,
    GRADES,
    GUARDED_UNIT_TYPES,
    I_BOOL,
    I_NUM,
    K7,
    K7_MIN,
    K15,
    K15_MIN,
    NUM_MIN,
    ON_TIME_MIN,
    ONLINE_MIN,
    SHARE_MIN,
    UNIT_TYPES,
)

CHUNK = 1000
SID = "bench"
MISSING = -1.0
_RULESET = "bench_sixty"
_CHILD = 10_000_000  # row numbers of the k-of-n children's messages, apart from the individuals'

_GUARDED = [UNIT_TYPES.index(u) for u in GUARDED_UNIT_TYPES]


def _sum(fields: Sequence[str]) -> Any:
    total: Any = {"$m": fields[-1]}
    for name in reversed(fields[:-1]):
        total = {"$add": {"$l": {"$m": name}, "$r": total}}
    return total


def _k_of_n(fields: Sequence[str], k: int) -> dict[str, Any]:
    return {"$gte": {fields[0]: {"$sub": {"$l": k, "$r": _sum(fields[1:])}}}}


def _rules() -> dict[str, dict[str, Any]]:
    m7 = [f"m{k}" for k in range(len(K7))]
    m15 = [f"m{len(K7) + k}" for k in range(len(K15))]
    eligible_ldtt = [
        {"s": 1},
        *({"$gte": {f: NUM_MIN}} for f in I_NUM[:10]),
        {"$gte": {"i_grade": GRADE_MIN_RANK}},
    ]
    eligible_cstdcs = [
        {"s": 3},
        {"ldtt": 1},
        *({"$gte": {f: NUM_MIN}} for f in I_NUM[10:]),
        {"i_excellent": 1},
    ]
    eligible_tt = [
        {"s": 4},
        *({"$gte": {f: NUM_MIN}} for f in C_NUM),
        *({f: 1} for f in C_BOOL),
        {"$gte": {"c_grade": GRADE_MIN_RANK}},
        _k_of_n(m7, 5),
        _k_of_n(m15, 10),
        {
            "$or": [
                {"dossiers_total": 0.0},
                {
                    "$and": [
                        {"$gte": {"dossiers_on_time": 0}},
                        {"$gte": {"on_time100": {"$m": "total95"}}},
                    ]
                },
            ]
        },
        {
            "$or": [
                *({"ut": u} for u in range(len(UNIT_TYPES)) if u not in _GUARDED),
                {"$gte": {"online_rate": ONLINE_MIN}},
            ]
        },
        {"$gt": {"members": 0}},
        {"$gte": {"ldtt100": {"$m": "members70"}}},
        {"$gte": {"excellent_members": 1}},
    ]
    eligible_bk = [
        {"s": 5},
        {"unit_tt": 1},
        *({f: 1} for f in I_BOOL),
        {"$or": [{"$gte": {"i_num_01": ANY_MIN}}, {"i_excellent": 1}]},
    ]
    rules: dict[str, dict[str, Any]] = {}
    for stage, condition in (
        (1, eligible_ldtt),
        (3, eligible_cstdcs),
        (4, eligible_tt),
        (5, eligible_bk),
    ):
        rules[f"yes_{stage}"] = {"pri": 1, "cap": CHUNK, "all": [{"m": {"$and": condition}}]}
        rules[f"no_{stage}"] = {"pri": 2, "cap": CHUNK, "all": [{"m": {"s": stage}}]}
    # the k-of-n children: met or not, one message per (collective, child)
    rules["yes_2a"] = {
        "pri": 1,
        "cap": CHUNK,
        "all": [{"m": {"$and": [{"s": 2}, {"$lt": {"ch": len(K7)}}, {"$gte": {"v": K7_MIN}}]}}],
    }
    rules["yes_2b"] = {
        "pri": 1,
        "cap": CHUNK,
        "all": [{"m": {"$and": [{"s": 2}, {"$gte": {"ch": len(K7)}}, {"$gte": {"v": K15_MIN}}]}}],
    }
    rules["no_2"] = {"pri": 2, "cap": CHUNK, "all": [{"m": {"s": 2}}]}
    return rules


class _SyncHost(durable_engine.Host):  # type: ignore[misc]
    def _run(self) -> None:
        return None


def fnv1a32(text: str) -> int:
    h = 0x811C9DC5
    for byte in text.encode():
        h ^= byte
        h = (h * 16777619) & 0xFFFFFFFF
    return h


class SixtyBaseline:
    """The hand-written ruleset on a private synchronous host."""

    def __init__(self) -> None:
        self.actions = 0
        self.deliveries = 0
        self._hits: dict[str, set[int]] = {}
        self._ids: list[str] = []
        seen = {fnv1a32(SID)}
        k = 0
        while len(self._ids) < CHUNK:
            mid = f"i{k}"
            k += 1
            if fnv1a32(mid) not in seen:
                seen.add(fnv1a32(mid))
                self._ids.append(mid)
        rules = _rules()
        for name, rule in rules.items():
            rule["run"] = self._recorder(name)
        self._host = _SyncHost()
        self._host.set_rulesets({_RULESET: rules})

    def _recorder(self, name: str) -> Any:
        def run(c: Any) -> None:
            matched = c.m if isinstance(c.m, list) else [c.m]
            self.actions += 1
            self.deliveries += len(matched)
            # a message satisfying two alternatives of a rule's $or is delivered once for each
            # (durable-rules expands $or into branches): count each message once
            self._hits.setdefault(name, set()).update(content._d["r"] for content in matched)

        return run

    def _post(self, messages: list[dict[str, Any]]) -> dict[str, set[int]]:
        self._hits = {}
        for start in range(0, len(messages), CHUNK):
            chunk = messages[start : start + CHUNK]
            for msg, mid in zip(chunk, self._ids, strict=False):
                msg["id"] = mid
                msg["sid"] = SID
            self._host.post_batch(_RULESET, chunk)
            self._host.delete_state(_RULESET, SID)
        handled = sum(len(v) for v in self._hits.values())
        clash = any(
            self._hits.get(f"yes_{s}", set()) & self._hits.get(f"no_{s}", set())
            for s in range(1, 6)
        ) or (self._hits.get("yes_2a", set()) | self._hits.get("yes_2b", set())) & self._hits.get(
            "no_2", set()
        )
        if handled != len(messages) or clash:
            raise RuntimeError(f"durable-rules handled {handled} of {len(messages)} messages")
        return self._hits

    def run(self, candidates: Sequence[dict[str, Any]]) -> int:
        """The number of eligible (candidate, award) pairs over the four awards."""
        self.actions = 0
        self.deliveries = 0
        units = [c for c in candidates if c["kind"] == "collective"]
        people = [c for c in candidates if c["kind"] == "individual"]
        unit_row = {c["id"]: k for k, c in enumerate(units)}
        ranks = {g: float(i) for i, g in enumerate(GRADES)}

        def num(facts: dict[str, Any], key: str) -> float:
            v = facts.get(key)
            return MISSING if v is None else float(v)

        def grade(facts: dict[str, Any], key: str) -> float:
            v = facts.get(key)
            return MISSING if v is None else ranks[v]

        # stage 1: ldtt, and the k-of-n children
        stage: list[dict[str, Any]] = []
        for r, c in enumerate(people):
            f = c["facts"]
            msg = {"s": 1, "r": r, "i_grade": grade(f, "i_grade")}
            msg.update({k: num(f, k) for k in I_NUM[:10]})
            stage.append(msg)
        for u, c in enumerate(units):
            f = c["facts"]
            for ch, key in enumerate(K7 + K15):
                stage.append({"s": 2, "r": _CHILD + u * 100 + ch, "ch": ch, "v": num(f, key)})
        hits = self._post(stage)
        ldtt = hits.get("yes_1", set())
        met = hits.get("yes_2a", set()) | hits.get("yes_2b", set())
        children = {((r - _CHILD) // 100, (r - _CHILD) % 100) for r in met}

        # stage 2: cstdcs, tt_xuat_sac
        members = [0] * len(units)
        ldtt_members = [0] * len(units)
        excellent = [0] * len(units)
        for r, c in enumerate(people):
            u = unit_row[c["unit_id"]]
            members[u] += 1
            ldtt_members[u] += r in ldtt
            excellent[u] += c["facts"].get("i_excellent") is True
        stage = []
        for r, c in enumerate(people):
            f = c["facts"]
            msg = {
                "s": 3,
                "r": r,
                "ldtt": int(r in ldtt),
                "i_excellent": int(f.get("i_excellent") is True),
            }
            msg.update({k: num(f, k) for k in I_NUM[10:]})
            stage.append(msg)
        for u, c in enumerate(units):
            f = c["facts"]
            msg = {
                "s": 4,
                "r": u,
                "c_grade": grade(f, "c_grade"),
                "ut": UNIT_TYPES.index(c["unit_type"]),
            }
            msg.update({k: num(f, k) for k in C_NUM})
            msg.update({k: int(f.get(k) is True) for k in C_BOOL})
            msg.update({f"m{ch}": int((u, ch) in children) for ch in range(len(K7) + len(K15))})
            on_time, total = f.get("dossiers_on_time"), f.get("dossiers_total")
            msg["dossiers_total"] = MISSING if total is None else float(total)
            msg["dossiers_on_time"] = MISSING if on_time is None else float(on_time)
            msg["on_time100"] = MISSING if on_time is None else 100.0 * on_time
            msg["total95"] = 1e15 if total is None else ON_TIME_MIN * total
            msg["online_rate"] = num(f, "online_rate")
            msg["members"] = members[u]
            msg["ldtt100"] = 100 * ldtt_members[u]
            msg["members70"] = SHARE_MIN * members[u]
            msg["excellent_members"] = excellent[u]
            stage.append(msg)
        hits = self._post(stage)
        cstdcs = hits.get("yes_3", set())
        flagged = hits.get("yes_4", set())

        # stage 3: bk_ca_nhan
        stage = []
        for r, c in enumerate(people):
            f = c["facts"]
            msg = {
                "s": 5,
                "r": r,
                "unit_tt": int(unit_row[c["unit_id"]] in flagged),
                "i_num_01": num(f, "i_num_01"),
                "i_excellent": int(f.get("i_excellent") is True),
            }
            msg.update({k: int(f.get(k) is True) for k in I_BOOL})
            stage.append(msg)
        hits = self._post(stage)
        bk = hits.get("yes_5", set())
        self.counts = {
            "ldtt": len(ldtt),
            "cstdcs": len(cstdcs),
            "tt_xuat_sac": len(flagged),
            "bk_ca_nhan": len(bk),
        }
        return len(ldtt) + len(cstdcs) + len(flagged) + len(bk)
