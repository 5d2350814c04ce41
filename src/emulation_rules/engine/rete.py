"""The durable-rules wrapper: the only module that imports ``durable``.

It turns a :class:`~emulation_rules.compiler.CompiledPlan` into one durable-rules ruleset that
decides award eligibility, and runs it synchronously. Every trap of
``shared/research/durable-rules.md`` is closed here:

1. global registry — a private :class:`durable.engine.Host` per compiled plan, ruleset names
   namespaced by plan digest and a counter; ``durable.lang`` is never used;
2. no replace / delete — a changed plan (overrides, another ``as_of``) is a new compiled plan and
   a new host;
3. background thread — the host's timer threads are never started; dispatch is synchronous and
   every message must produce exactly one verdict, or :class:`EngineError`;
4. not handled = exception — every award's last rule matches all its messages, and rules of
   higher priority decide first (see :func:`build_ruleset`), so every message is handled once;
5. 32-bit hashes — candidates never become session or message ids: a run uses one session id
   and message ids chosen so that their FNV-1a hashes differ within a batch; an observed-message
   error is an :class:`EngineError`, never a dropped candidate;
6. 1024 live sessions — one session per batch, deleted after it;
7. silent semantics — values arrive validated and normalised (numbers as floats, booleans 0/1,
   ordinals as ranks, differences of two facts rounded once); an unknown fact is left out of the
   message and tested with ``$nex``, so a missing field is "unknown" by an explicit rule; every
   rule is a conjunction built as data, never with Python ``and``/``or``;
8. swallowed errors — the action records its own exceptions and the state's ``exception`` is
   read after every batch; either raises :class:`EngineError`;
9. no explanation — explanations come from :mod:`emulation_rules.columnar`; this engine only
   decides eligibility, and :func:`emulation_rules.evaluate` checks that the two agree;
10. capacity — one ruleset per plan; conditions in DNF, one small conjunction per rule.

Every rule carries ``cap`` so that one action receives all the messages it matched in a batch.
That is safe only because no rule contains ``$or``: durable-rules turns each ``$or`` alternative
into its own match path, and under ``cap`` a message satisfying two alternatives of one rule
reaches the action twice. :func:`build_ruleset` asserts the invariant, and every batch is checked
for exactly one verdict per message.
"""

from __future__ import annotations

import copy
import itertools
import json
import threading
from collections.abc import Callable, Sequence
from typing import Any

import durable.engine as durable_engine
import numpy as np

from emulation_rules.engine.columnar import (
    ELIGIBLE,
    INELIGIBLE,
    OTHER_KIND,
    UNDETERMINED,
    Int8Array,
)
from emulation_rules.engine.compiler import CAll, CAttr, CCmp, CNode, CNot, CompiledPlan
from emulation_rules.engine.fact_table import FactTable
from emulation_rules.errors import EngineError
from emulation_rules.plan.digest import campaign_digest

BATCH = 1000
_OPS = {">=": "$gte", ">": "$gt", "<=": "$lte", "<": "$lt", "==": "$eq", "!=": "$neq"}
_NEGATED = {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "!=", "!=": "=="}
_NAMES = itertools.count()


# --- conditions in disjunctive normal form ------------------------------------------------
# durable-rules expands every ``$or`` nested in an ``$and`` into its own network branches and
# refuses a rule once the expansion grows past a small limit (error 113). So conditions are kept
# here as a DNF — a set of terms, each a conjunction of atoms — and every term becomes a rule of
# its own: rules have no ``$or`` at all. Absorption and contradictions keep the set small.
Atom = tuple[str, str, str]  # (field, durable operator, JSON of the right-hand side)
Term = frozenset[Atom]
DNF = frozenset[Term]
TRUE: DNF = frozenset({frozenset()})
FALSE: DNF = frozenset()
MAX_TERMS = 256


def _atom(field: str, op: str, right: Any) -> DNF:
    return frozenset({frozenset({(field, op, json.dumps(right, sort_keys=True))})})


def _consistent(term: Term) -> bool:
    """False where the term asks a field to be absent and to compare, to equal two constants,
    or to equal and differ."""
    absent = {field for field, op, _ in term if op == "$nex"}
    equal: dict[str, str] = {}
    for field, op, right in term:
        if op == "$nex":
            continue
        if field in absent:
            return False
        if op == "$eq" and equal.setdefault(field, right) != right:
            return False
    return not any(op == "$neq" and equal.get(field) == right for field, op, right in term)


def _absorb(terms: set[Term]) -> DNF:
    kept = [t for t in terms if _consistent(t)]
    kept.sort(key=len)
    out: list[Term] = []
    for t in kept:
        if not any(o <= t for o in out):
            out.append(t)
    return frozenset(out)


def _and(parts: Sequence[DNF]) -> DNF:
    acc: set[Term] = set(TRUE)
    for p in parts:
        acc = {a | b for a in acc for b in p}
        acc = set(_absorb(acc))
        if len(acc) > MAX_TERMS:
            raise EngineError(
                f"a condition expands to more than {MAX_TERMS} rule terms for durable-rules; "
                "evaluate this campaign with engine='columnar'"
            )
    return frozenset(acc)


def _or(parts: Sequence[DNF]) -> DNF:
    return _absorb(set().union(*parts)) if parts else FALSE


class _Fields:
    """Message fields: ``v<i>`` for a column a plan reads, ``d<i>`` for the difference of two
    columns (``FactTable.difference``). A field is in a message only when its value is known,
    so ``$nex`` (absent) is "unknown", and every comparison fails on an absent field."""

    def __init__(self) -> None:
        self.columns: dict[str, str] = {}
        self.differences: dict[tuple[str, str], str] = {}

    def operand(self, node: CCmp) -> str:
        if node.other is None:
            return self.columns.setdefault(node.column, f"v{len(self.columns)}")
        key = (node.column, node.other)
        return self.differences.setdefault(key, f"d{len(self.differences)}")


_ATTRS = {"kind": "kd", "unit_type": "ut", "unit.unit_type": "uut"}
_FIELDS = frozenset(_ATTRS.values())


def _compare(fields: _Fields, node: CCmp, op: str) -> DNF:
    constant = node.constant if node.other is None else node.margin
    return _atom(fields.operand(node), _OPS[op], constant)


def _unknown(fields: _Fields, node: CCmp) -> DNF:
    return _atom(fields.operand(node), "$nex", 1)


def _attr_in(node: CAttr, universe: int, inside: bool) -> DNF:
    """Membership as a conjunction: the code differs from every code outside the set."""
    field = _ATTRS[node.attribute]
    excluded = [c for c in range(universe) if (c in node.codes) != inside]
    if not excluded:
        return TRUE
    return _and([_atom(field, "$neq", c) for c in excluded])


class _Compiler:
    def __init__(self, fields: _Fields, universe: dict[str, int]) -> None:
        self.fields = fields
        self.universe = universe

    def met(self, node: CNode) -> DNF:
        if isinstance(node, CCmp):
            return _compare(self.fields, node, node.op)
        if isinstance(node, CAttr):
            return _attr_in(node, self.universe[node.attribute], inside=True)
        if isinstance(node, CNot):
            return self.not_met(node.child)
        if isinstance(node, CAll):
            return _and([self.met(c) for c in node.children])
        return _or([self.met(c) for c in node.children])

    def not_met(self, node: CNode) -> DNF:
        if isinstance(node, CCmp):
            return _compare(self.fields, node, _NEGATED[node.op])
        if isinstance(node, CAttr):
            return _attr_in(node, self.universe[node.attribute], inside=False)
        if isinstance(node, CNot):
            return self.met(node.child)
        if isinstance(node, CAll):
            return _or([self.not_met(c) for c in node.children])
        return _and([self.not_met(c) for c in node.children])

    def unknown(self, node: CNode) -> DNF:
        if isinstance(node, CCmp):
            return _unknown(self.fields, node)
        if isinstance(node, CAttr):
            return FALSE
        if isinstance(node, CNot):
            return self.unknown(node.child)
        kids = node.children
        settled = self.met if isinstance(node, CAll) else self.not_met
        # all: nothing not met and something unknown; any: nothing met and something unknown
        return _and(
            [_or([settled(c), self.unknown(c)]) for c in kids]
            + [_or([self.unknown(c) for c in kids])]
        )


def _criterion_states(plan: CompiledPlan, index: int, comp: _Compiler) -> dict[str, DNF]:
    """met / not_met / unknown / not_applicable conditions of one criterion."""
    c = plan.criteria[index]
    r_met, r_not, r_unk = comp.met(c.rule), comp.not_met(c.rule), comp.unknown(c.rule)
    if c.guard is None:
        return {"met": r_met, "not_met": r_not, "unknown": r_unk, "not_applicable": FALSE}
    g_met, g_not, g_unk = comp.met(c.guard), comp.not_met(c.guard), comp.unknown(c.guard)
    return {
        "met": _and([g_met, r_met]),
        "not_met": _and([g_met, r_not]),
        "unknown": _or([g_unk, _and([g_met, r_unk])]),
        "not_applicable": g_not,
    }


def _term_condition(term: Term) -> dict[str, Any]:
    atoms = []
    for field, op, right in sorted(term):
        value = json.loads(right)
        atoms.append({field: value} if op == "$eq" else {op: {field: value}})
    return atoms[0] if len(atoms) == 1 else {"$and": atoms}


def build_ruleset(plan: CompiledPlan) -> tuple[dict[str, dict[str, Any]], _Fields]:
    """The ruleset definition (durable-rules JSON, without actions) and its field names.

    Each award is a decision with a priority hit policy (an event is consumed by the matching
    rule of highest priority, the lowest ``pri``):

    1. ineligible   — some required criterion is not met;
    2. undetermined — some required criterion is unknown;
    3. eligible     — some required criterion is met (the others being met or not applicable);
    4. ineligible   — otherwise: every required criterion is not applicable.

    Rule 4 matches every message of the award, so no message can go unhandled. Each decision's
    condition is a DNF; every term becomes one rule with the decision's priority.
    """
    fields = _Fields()
    comp = _Compiler(
        fields,
        {"kind": 2, "unit_type": len(plan.campaign.unit_types()), "unit.unit_type": 0},
    )
    comp.universe["unit.unit_type"] = comp.universe["unit_type"]
    rules: dict[str, dict[str, Any]] = {}
    for j, award in enumerate(plan.awards):
        states = [_criterion_states(plan, i, comp) for i in award.criteria]
        decisions: list[tuple[int, DNF]] = [
            (INELIGIBLE, _or([s["not_met"] for s in states])),
            (UNDETERMINED, _or([s["unknown"] for s in states])),
            (ELIGIBLE, _or([s["met"] for s in states])),
            (INELIGIBLE, TRUE),
        ]
        for priority, (outcome, dnf) in enumerate(decisions, start=1):
            terms = sorted(dnf, key=lambda t: (len(t), sorted(t)))
            for k, term in enumerate(terms):
                cond = _term_condition(term | {("aw", "$eq", json.dumps(j))})
                assert "$or" not in json.dumps(cond), "a capped rule must be a conjunction"
                rules[f"a{j}_p{priority}_t{k}_{outcome}"] = {
                    "pri": priority,
                    "cap": BATCH,  # one action takes every message the rule matched
                    "all": [{"m": cond}],
                }
    return rules, fields


def _atoms(rule: dict[str, Any]) -> list[tuple[str, Any]]:
    """(field, condition) pairs of one generated rule (a conjunction, see _term_condition)."""
    cond = rule["all"][0]["m"]
    out: list[tuple[str, Any]] = []
    for part in cond.get("$and", [cond]):
        ((key, value),) = part.items()
        if key.startswith("$"):
            ((field, right),) = value.items()
            out.append((field, right))
        else:
            out.append((key, value))
    return out


def fnv1a32(text: str) -> int:
    """The 32-bit FNV-1a hash durable-rules uses for session and message ids."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h ^= byte
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def message_ids(count: int, taken: set[int] | None = None) -> list[str]:
    """``count`` message ids whose FNV-1a hashes are pairwise distinct (and not in ``taken``)."""
    used = set(taken or ())
    out: list[str] = []
    for k in itertools.count():
        if len(out) == count:
            break
        candidate = f"m{k}"
        h = fnv1a32(candidate)
        if h in used:
            continue
        used.add(h)
        out.append(candidate)
    return out


class _SyncHost(durable_engine.Host):  # type: ignore[misc]
    """A durable-rules host whose dispatch threads are never started (trap 3)."""

    def _run(self) -> None:
        return None


class ReteEngine:
    """One compiled plan's ruleset on a private host; :meth:`decide` gives award eligibility."""

    SESSION = "run"

    def __init__(self, plan: CompiledPlan, *, action_hook: Callable[[Any], None] | None = None):
        self.plan = plan
        definition, self.fields = build_ruleset(plan)
        self.definition = definition
        self.name = f"er_{campaign_digest(plan.campaign)[:12]}_{next(_NAMES)}"
        self._lock = threading.Lock()
        self._sink: list[tuple[int, int, int]] = []
        self._errors: list[str] = []
        self._action_hook = action_hook
        self._ids = message_ids(BATCH, {fnv1a32(self.SESSION)})
        host_def = copy.deepcopy(definition)  # registration deletes 'run': keep ours intact
        for rule_name, rule in host_def.items():
            rule["run"] = self._action(int(rule_name.rsplit("_", 1)[1]))
        self._host = _SyncHost()
        self._host.set_rulesets({self.name: host_def})
        self.attributes = {
            atom[0] for rule in definition.values() for atom in _atoms(rule) if atom[0] in _FIELDS
        }

    def _action(self, outcome: int) -> Callable[[Any], None]:
        sink, errors, hook = self._sink, self._errors, self._action_hook

        def run(c: Any) -> None:
            try:
                if hook is not None:
                    hook(c)
                # a rule with a ``cap`` hands its action the list of matched messages, each a
                # Content wrapping the message dict (durable-rules 2.0.28, pinned)
                matched = c.m if isinstance(c.m, list) else [c.m]
                for content in matched:
                    message = content._d
                    sink.append((message["cix"], message["aw"], outcome))
            except BaseException as exc:  # durable would swallow it (trap 8)
                errors.append(f"{type(exc).__name__}: {exc}")

        return run

    def _columns(self, table: FactTable) -> list[tuple[str, list[Any]]]:
        """(field, per-row values with None where unknown) for every field the rules read."""
        out: list[tuple[str, list[Any]]] = []
        pairs = [(f, table.values[c], table.known[c]) for c, f in self.fields.columns.items()]
        for (column, other), field in self.fields.differences.items():
            diff, known = table.difference(column, other)
            pairs.append((field, diff, known))
        for field, values, known in pairs:
            cells = values.astype(object)
            cells[~known] = None
            out.append((field, cells.tolist()))
        for attribute, name in _ATTRS.items():
            if name in self.attributes:
                codes = table.kind if attribute == "kind" else table.attributes[attribute]
                out.append((name, codes.tolist()))
        return out

    def _messages(self, table: FactTable) -> list[dict[str, Any]]:
        columns = self._columns(table)
        rows: list[dict[str, Any]] = []
        for j, award in enumerate(self.plan.awards):
            for i in np.flatnonzero(table.kind == award.kind).tolist():
                msg: dict[str, Any] = {"cix": i, "aw": j}
                for field, cells in columns:
                    value = cells[i]
                    if value is not None:
                        msg[field] = value
                rows.append(msg)
        return rows

    def decide(self, table: FactTable) -> list[Int8Array]:
        """Eligibility codes per award (``OTHER_KIND`` for rows of the other kind)."""
        n = len(table)
        out = [np.full(n, OTHER_KIND, dtype=np.int8) for _ in self.plan.awards]
        messages = self._messages(table)
        with self._lock:
            for start in range(0, len(messages), BATCH):
                batch = messages[start : start + BATCH]
                self._run_batch(batch, out)
        for j, award in enumerate(self.plan.awards):
            missing = np.flatnonzero((table.kind == award.kind) & (out[j] == OTHER_KIND))
            if missing.size:
                raise EngineError(
                    f"durable-rules gave no verdict on award '{award.id}' for "
                    f"{missing.size} candidate(s), e.g. {table.ids[int(missing[0])]}"
                )
        return out

    def _run_batch(self, batch: list[dict[str, Any]], out: list[Int8Array]) -> None:
        self._sink.clear()
        self._errors.clear()
        for msg, mid in zip(batch, self._ids, strict=False):
            msg["id"] = mid
            msg["sid"] = self.SESSION
        try:
            self._host.post_batch(self.name, batch)
        except durable_engine.MessageNotHandledException as exc:
            raise EngineError(f"a candidate matched no rule (incomplete ruleset): {exc}") from exc
        except durable_engine.MessageObservedException as exc:
            raise EngineError(f"durable-rules refused a message as already seen: {exc}") from exc
        finally:
            state = self._host.get_state(self.name, self.SESSION)
            self._host.delete_state(self.name, self.SESSION)
        if self._errors:
            raise EngineError(f"a rule action raised: {self._errors[0]}")
        if isinstance(state, dict) and state.get("exception"):
            raise EngineError(f"durable-rules recorded an exception: {state['exception']}")
        seen: dict[tuple[int, int], int] = {}
        for cix, aw, outcome in self._sink:
            if (cix, aw) in seen:
                raise EngineError(f"two verdicts for candidate row {cix} on award {aw}")
            seen[(cix, aw)] = outcome
            out[aw][cix] = outcome
        if len(seen) != len(batch):
            raise EngineError(
                f"durable-rules decided {len(seen)} of {len(batch)} messages in a batch"
            )
