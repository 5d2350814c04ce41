"""The exceptions the library raises. Every message names what is wrong and where.

Bad candidate input is reported whole: :class:`InputError` carries every :class:`Problem` found
(the candidate or the row/cell, the field, the rule broken and the value, shortened), so a form
that feeds the library can mark every bad cell at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

#: longest rendering of a bad value inside a message (a million-element list is never echoed)
VALUE_ECHO_CHARS = 60


class EmulationRulesError(Exception):
    """Base class of every error this library raises on purpose."""


class PlanError(EmulationRulesError):
    """A campaign document (YAML plan) is malformed: the message names the file and the key."""


class PluginError(EmulationRulesError):
    """A plugin failed to load or raised in a hook: the message names the plugin and the hook."""


class RegistryError(EmulationRulesError):
    """Two campaigns share an id, or a campaign id is unknown."""


def shorten(value: Any, limit: int = VALUE_ECHO_CHARS) -> str:
    """``repr(value)`` cut to ``limit`` characters; a long list or mapping is summarised."""
    if isinstance(value, list | tuple | dict | set) and len(value) > 8:
        what = "an object" if isinstance(value, dict) else "a list"
        return f"{what} of {len(value):,} items"
    if isinstance(value, str) and len(value) > limit:
        return repr(value[:limit]) + f"… ({len(value):,} characters)"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit:
        return f"an integer of {len(str(abs(value))):,} digits"
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


class Problem:
    """One thing wrong with the input.

    ``where`` names the place as a person reads it (``candidate 'x' (in.json: candidates[3])``,
    ``in.xlsx: Tập thể!D7``); ``candidate`` is the candidate id when known, ``row`` the 0-based
    candidate row and ``cell`` a spreadsheet reference when the input is a sheet; ``field`` is
    the field or fact (``fact 'par_index'``, ``field 'unit_id'``); ``rule`` says what is
    required; ``value`` is the offending value, already shortened (``None``: nothing to show).
    """

    __slots__ = ("candidate", "cell", "field", "row", "rule", "value", "where")

    def __init__(
        self,
        where: str,
        field: str,
        rule: str,
        value: str | None = None,
        *,
        candidate: str | None = None,
        row: int | None = None,
        cell: str | None = None,
    ) -> None:
        self.where = where
        self.field = field
        self.rule = rule
        self.value = value
        self.candidate = candidate
        self.row = row
        self.cell = cell

    def __str__(self) -> str:
        got = f" (got {self.value})" if self.value is not None else ""
        return ": ".join(p for p in (self.where, self.field, self.rule) if p) + got

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash(str(self))

    def to_dict(self) -> dict[str, Any]:
        """The problem as JSON (``--errors json``): every key always present."""
        return {
            "where": self.where,
            "candidate": self.candidate,
            "row": self.row,
            "cell": self.cell,
            "field": self.field,
            "rule": self.rule,
            "value": self.value,
            "message": str(self),
        }


class InputError(EmulationRulesError):
    """Candidate input is invalid: every problem found, each naming the row or candidate (or
    cell), the field and the rule. ``str()`` gives one line per problem."""

    def __init__(self, message: str | Sequence[Problem] | Iterable[Problem]) -> None:
        if isinstance(message, str):
            self.problems: tuple[Problem, ...] = (Problem(message, "", ""),)
            text = message
        else:
            self.problems = tuple(message)
            text = "\n".join(str(p) for p in self.problems)
        super().__init__(text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "error": "input",
            "count": len(self.problems),
            "problems": [p.to_dict() for p in self.problems],
        }


class InputTooLarge(InputError):
    """Input past a size limit (``max_document_bytes``, ``max_candidates``): the message names
    the limit and its value. A service answers it with 413, other bad input with 400."""


class OverrideError(EmulationRulesError):
    """An override names no parameter of the campaign or gives a value of the wrong type."""


class OutputError(EmulationRulesError):
    """An output file cannot be written; nothing is left behind."""


class EvaluationError(EmulationRulesError):
    """An evaluation cannot run as asked (for example an as_of date before the campaign starts)."""


class EngineError(EmulationRulesError):
    """The rule engine lost, duplicated or corrupted a verdict: the run is refused whole."""


class EngineDisagreement(EngineError):
    """The columnar evaluator and the durable-rules ruleset disagree on some candidates."""

    def __init__(self, award_candidates: list[tuple[str, str, str, str]]) -> None:
        self.disagreements = award_candidates
        shown = "; ".join(
            f"{cid} on {award}: columnar={a}, rete={b}"
            for cid, award, a, b in award_candidates[:10]
        )
        more = "" if len(award_candidates) <= 10 else f" (+{len(award_candidates) - 10} more)"
        super().__init__(
            f"the two engines disagree for {len(award_candidates)} verdict(s): {shown}{more}"
        )
