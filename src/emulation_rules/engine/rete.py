"""The durable-rules engine: the only module that imports ``durable``.

durable-rules decides award eligibility here by **forward chaining** over the network of
:mod:`emulation_rules.engine.network`, never by expanding conditions into disjunctive normal
form:

* every node of a criteria tree that is more than a single comparison (an ``all``, an ``any``,
  ``at_least``, a member aggregate, an interval), every guarded criterion and every award is a
  *decision*: a handful of rules, each a conjunction of atoms, tried in priority order (a
  decision list: the first rule that matches a message consumes it). A decision's rules read
  the candidate's facts and the verdicts of the decisions below it;
* a decision's verdicts are asserted as fields of the messages of the decisions above it
  (``s<k>`` = the verdict of decision k, copied from the unit's row for ``of: unit``), so the
  network runs in strata, lowest first: the verdicts of one stratum are the facts of the next.
  Awards join on their criteria's verdicts, member aggregates on their members' verdicts,
  an individual gated by its unit's award on the unit's verdict;
* a comparison is never a decision of its own: its three states are single atoms
  (``v OP c``, ``v NEG c``, ``$nex v``) written into its parent's rules. Nested ``all``/``all``
  and ``any``/``any`` are flattened, ``not`` is pushed into the leaves (De Morgan); where a
  conjunction would meet a disjunction the inner node becomes a decision of its own. So the
  number of rules and atoms grows linearly with the plan: a decision over n children has at
  most 2n + 3 rules of at most two atoms each (``at_least`` k of n: three rules, the count an
  arithmetic expression over the children's 0/1 fields, ``$add``/``$sub``).

The traps of ``shared/research/durable-rules.md`` and how they are closed (see docs/engine.md):

1. global registry — durable's Python ``Host`` is not used at all: the ruleset is created on the
   C core directly (``durable_rules_engine.create_ruleset``) under a name namespaced by plan
   digest and a counter, and deleted when the engine is garbage-collected;
2. no replace / delete — a changed plan is a new compiled plan and a new ruleset;
3. background thread — no host, so no timer thread; dispatch is synchronous and every message
   must produce exactly one verdict, or :class:`EngineError`;
4. not handled = exception — every decision ends with a rule that matches all its messages;
5. 32-bit hashes — candidates never become session or message ids: messages carry the row
   index ``c`` and ids whose FNV-1a hashes differ within a batch; an observed-message result is
   an :class:`EngineError`, never a dropped candidate;
6. 1024 live sessions — one session per batch, deleted after it;
7. silent semantics — values arrive validated and normalised; numbers are written in a form the
   C parser reads exactly (never exponent notation without a decimal point: ``1e-05`` makes the
   core fail and the process crash; it is written ``1.0e-05``); an unknown fact is absent from
   the message and tested with ``$nex``; rules are conjunctions built as data;
8. swallowed errors — no Python action runs inside durable-rules: the wrapper reads the matched
   messages from the core's results, and any error of the core becomes an :class:`EngineError`
   naming the candidate whose message the core refused;
9. no explanation — explanations come from :mod:`emulation_rules.engine.columnar`;
10. capacity — the C core's limits are respected by construction and checked before a ruleset
    is built: at most ``network.MAX_ALPHA`` atoms per decision (its alpha stack holds 64), at most
    ``network.MAX_FIELDS`` fields per message (255), decisions numbered on two levels (``g``, ``h``)
    so that no alpha node has more than 256 successors (a node with more than 512 makes the core
    loop forever). A plan beyond them raises :class:`EngineError` when compiled, and
    ``emulation-rules check`` says so before ``evaluate``.
"""

from __future__ import annotations

import itertools
import re
import threading
import weakref
from collections.abc import Callable, Mapping
from typing import Any

import durable_rules_engine as dre
import numpy as np

from emulation_rules.engine.columnar import (
    MET,
    NOT_MET,
    OTHER_KIND,
    Int8Array,
    SeatReader,
    member_counts,
    member_interval,
    prepare_table,
)
from emulation_rules.engine.compiler import CMembers, CNode, CompiledPlan
from emulation_rules.engine.fact_table import FactTable
from emulation_rules.engine.network import (
    BATCH,
    Decision,
    Network,
    Source,
    build_network,
    build_ruleset,
    number_text,
    to_json,
)
from emulation_rules.errors import EngineError
from emulation_rules.plan.digest import campaign_digest

__all__ = [
    "BATCH",
    "ReteEngine",
    "build_network",
    "build_ruleset",
    "fnv1a32",
    "message_ids",
    "number_text",
    "to_json",
]

_NAMES = itertools.count()
_ROW = re.compile(r'"c":(\d+)')


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


class ReteEngine:
    """One compiled plan's ruleset on the durable-rules core; :meth:`decide` gives award
    eligibility."""

    SESSION = "run"

    def __init__(self, plan: CompiledPlan, *, action_hook: Callable[[str], None] | None = None):
        self.plan = plan
        self.network = build_network(plan)
        self.definition = self.network.definition
        self.name = f"er_{campaign_digest(plan.campaign)[:12]}_{next(_NAMES)}"
        self._lock = threading.Lock()
        self._action_hook = action_hook
        self._ids = message_ids(BATCH, {fnv1a32(self.SESSION)})
        self._tail = [f',"id":"{mid}","sid":"{self.SESSION}"}}' for mid in self._ids]
        try:
            self._handle = dre.create_ruleset(self.name, to_json(self.definition))
        except dre.error as exc:
            raise EngineError(
                f"durable-rules refused the ruleset of {plan.campaign.id} ({exc}); evaluate "
                "with engine='columnar'"
            ) from None
        self._finalizer = weakref.finalize(self, dre.delete_ruleset, self._handle)
        by_name = {name: src for name, src in _field_sources(self.network).items()}
        self._sources = by_name

    # --- the run ----------------------------------------------------------------------------
    def decide(self, table: FactTable, *, seats: SeatReader | None = None) -> list[Int8Array]:
        """Eligibility codes per award (``OTHER_KIND`` for rows of the other kind)."""
        table = prepare_table(self.plan, table)  # a no-op on a table evaluate prepared
        outcomes: dict[int, Int8Array] = {}
        seat_codes: dict[int, Int8Array] = {}
        strata = sorted({d.stratum for d in self.network.decisions})
        with self._lock:
            for stratum in strata:
                for j, at in sorted(self.network.seat_strata.items()):
                    if at == stratum and j not in seat_codes:
                        if seats is None:
                            raise EngineError(
                                "a criterion reads an allocation: give decide() the seats"
                            )
                        done = {
                            a: outcomes[d]
                            for a, d in enumerate(self.network.award_decisions)
                            if d in outcomes
                        }
                        seat_codes[j] = seats(j, done)
                layer = [d for d in self.network.decisions if d.stratum == stratum]
                self._run_stratum(layer, table, outcomes, seat_codes)
        out = []
        for j, award in enumerate(self.plan.awards):
            codes = outcomes[self.network.award_decisions[j]].copy()
            codes[table.kind != award.kind] = OTHER_KIND
            out.append(codes)
        return out

    def _run_stratum(
        self,
        layer: list[Decision],
        table: FactTable,
        outcomes: dict[int, Int8Array],
        seat_codes: Mapping[int, Int8Array],
    ) -> None:
        n = len(table)
        messages: list[tuple[int, int, str]] = []  # (decision, row, body)
        for d in layer:
            outcomes[d.index] = np.full(n, -1, dtype=np.int8)
            rows = np.flatnonzero(table.kind == d.kind)
            if rows.size == 0:
                continue
            bodies = self._bodies(d, rows, table, outcomes, seat_codes)
            messages.extend(zip(itertools.repeat(d.index), rows.tolist(), bodies, strict=False))
        for start in range(0, len(messages), BATCH):
            self._post(messages[start : start + BATCH], table, outcomes)
        for d in layer:
            missing = np.flatnonzero((table.kind == d.kind) & (outcomes[d.index] < 0))
            if missing.size:
                raise EngineError(
                    f"durable-rules gave no verdict on {d.label} for {missing.size} "
                    f"candidate(s), e.g. {table.ids[int(missing[0])]}"
                )

    def _bodies(
        self,
        d: Decision,
        rows: Any,
        table: FactTable,
        outcomes: Mapping[int, Int8Array],
        seat_codes: Mapping[int, Int8Array],
    ) -> list[str]:
        head = f'{{"g":{d.index >> 8},"h":{d.index & 255},"c":'
        columns = [
            _fragments(name, *self._values(src, table, outcomes, seat_codes), rows)
            for name, src in d.fields.items()
        ]
        rows_list = rows.tolist()
        if not columns:
            return [f"{head}{r}" for r in rows_list]
        return [
            f"{head}{r}{''.join(parts)}"
            for r, parts in zip(rows_list, zip(*columns, strict=False), strict=True)
        ]

    def _values(
        self,
        src: Source,
        table: FactTable,
        outcomes: Mapping[int, Int8Array],
        seat_codes: Mapping[int, Int8Array],
    ) -> tuple[Any, Any, bool]:
        """(values, known, integer?) of one field over every row of the table."""
        n = len(table)
        if src.what == "column":
            return table.values[src.key], table.known[src.key], False
        if src.what == "difference":
            diff, known = table.difference(*src.key)
            return diff, known, False
        if src.what == "attribute":
            attr = table.kind if src.key == "kind" else table.attributes[src.key]
            return attr, np.ones(n, dtype=bool), True
        if src.what == "range":
            values = table.values[f"{src.key}.{src.part}"]
            return values, table.known[f"{src.key}.{src.part}"], False
        if src.what == "members":
            index, negated = src.key
            test = outcomes[self.network.member_tests[index]]
            met_mask = test == (NOT_MET if negated else MET)
            not_mask = test == (MET if negated else NOT_MET)
            met, unknown, members = member_counts(met_mask, not_mask, table)
            node = _find_members(self.plan, index)
            lo, hi = member_interval(node, met, unknown, members)
            if src.part == "none":
                return (members == 0).astype(np.int64), np.ones(n, dtype=bool), True
            return (lo if src.part == "lo" else hi), members > 0, False
        codes: Any
        if src.what in ("state", "indicator"):
            codes = outcomes[src.key]
        else:  # seat, seat_indicator
            key = src.key if src.what == "seat" else self._sources[src.key].key
            codes = seat_codes[key]
        if src.scope == "unit":
            units = table.units()
            codes = np.where(units >= 0, codes[np.where(units >= 0, units, 0)], -1)
        known = codes >= 0
        if src.what in ("indicator", "seat_indicator"):
            values = np.isin(codes, np.asarray(src.codes, dtype=np.int8)).astype(np.int64)
            return values, known, True
        return codes.astype(np.int64), known, True

    def _post(
        self,
        batch: list[tuple[int, int, str]],
        table: FactTable,
        outcomes: dict[int, Int8Array],
    ) -> None:
        text = (
            "["
            + ",".join(body + tail for (_, _, body), tail in zip(batch, self._tail, strict=False))
            + "]"
        )
        try:
            delivered = self._dispatch(text)
        except (dre.error, EngineError) as exc:
            raise self._culprit(batch, table, exc) from None
        seen = 0
        rows_of = self.network.rule_outcomes
        for rule, rows in delivered:
            decision, outcome = rows_of[rule]
            codes = outcomes[decision]
            for row in rows:
                if codes[row] >= 0:
                    raise EngineError(
                        f"durable-rules gave two verdicts for {table.ids[row]} on "
                        f"{self.network.decisions[decision].label}"
                    )
                codes[row] = outcome
                seen += 1
        if seen != len(batch):
            raise EngineError(f"durable-rules decided {seen} of {len(batch)} messages in a batch")

    def _dispatch(self, text: str) -> list[tuple[str, list[int]]]:
        """Post one batch; return (rule, rows) of every result; the session is deleted after."""
        out: list[tuple[str, list[int]]] = []
        try:
            code, state = dre.assert_events(self._handle, text)
            if code == 1:
                raise EngineError("a message matched no rule (incomplete ruleset)")
            if code == 2:
                raise EngineError("durable-rules refused a message as already seen")
            result = dre.start_action_for_state(self._handle, state)
            while result:
                message = result[1] if isinstance(result, tuple) else result
                if self._action_hook is not None:
                    try:
                        self._action_hook(message)
                    except Exception as exc:
                        raise EngineError(
                            f"a rule action raised: {type(exc).__name__}: {exc}"
                        ) from None
                rule = message[2 : message.index('"', 2)]
                out.append((rule, [int(r) for r in _ROW.findall(message)]))
                result = dre.complete_and_start_action(self._handle, state)
        finally:
            _delete_session(self._handle, self.SESSION)
        return out

    def _culprit(
        self, batch: list[tuple[int, int, str]], table: FactTable, exc: Exception
    ) -> EngineError:
        """The error of a refused batch, naming the candidate whose message the core refuses
        (each message is posted again on its own to find it)."""
        for (decision, row, body), tail in zip(batch, self._tail, strict=False):
            try:
                self._dispatch("[" + body + tail + "]")
            except (dre.error, EngineError) as single:
                label = self.network.decisions[decision].label
                return EngineError(
                    f"durable-rules refused the message of candidate {table.ids[row]!r} "
                    f"({label}): {single}"
                )
        return EngineError(f"durable-rules refused a batch of {len(batch)} messages: {exc}")


def _delete_session(handle: Any, sid: str) -> None:
    """Delete the batch's session; a session the core never created (it refused the batch
    before storing anything, error 309) has nothing to delete."""
    try:
        dre.delete_state(handle, sid)
    except dre.error as exc:
        if "309" not in str(exc):
            raise


def _find_members(plan: CompiledPlan, index: int) -> CMembers:
    stack: list[CNode] = []
    for c in plan.criteria:
        stack += [c.rule] + ([c.guard] if c.guard is not None else [])
    while stack:
        node = stack.pop()
        if isinstance(node, CMembers) and node.index == index:
            return node
        stack.extend(getattr(node, "children", ()))
        for attr in ("child", "test"):
            child = getattr(node, attr, None)
            if child is not None:
                stack.append(child)
    raise EngineError(f"member aggregate {index} is not in the plan")


def _field_sources(network: Network) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for d in network.decisions:
        out.update(d.fields)
    return out


def _fragments(name: str, values: Any, known: Any, integer: bool, rows: Any) -> list[str]:
    """``,"name":value`` per row (an empty string where the value is unknown)."""
    vals = values[rows].tolist()
    kn = known[rows].tolist()
    prefix = f',"{name}":'
    if integer:
        return [prefix + str(int(v)) if k else "" for v, k in zip(vals, kn, strict=True)]
    out = []
    for v, k in zip(vals, kn, strict=True):
        if not k:
            out.append("")
            continue
        text = repr(v)
        if "e" in text or "n" in text:
            text = number_text(v)
        out.append(prefix + text)
    return out
