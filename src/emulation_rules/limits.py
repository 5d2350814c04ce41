"""Limits on what the library accepts, as data: each a documented setting with a clear error.

Hostile or runaway input (a million-element list, JSON nested 100,000 deep, a YAML alias bomb, a
400-digit number) must be refused with one message naming the limit, never exhaust memory, hang
or end in a traceback. The defaults are generous for every real plan and province; a host that
needs more (a national run) passes its own :class:`Limits`, and the command line reads the
``EMULATION_RULES_LIMITS`` environment variable (``name=value,name=value``).

Which layer enforces which limit:

* ``max_document_bytes``, ``max_json_depth``, ``max_candidates``, ``max_string_length``,
  ``max_number_digits`` — the readers of candidate input (``emulation_rules.inputs``);
* ``max_plan_bytes``, ``max_plan_nodes``, ``max_criteria_depth`` — the plan loader and the
  criteria language (``emulation_rules.plan``).

A message past a limit names the limit's name and value, so the caller knows what to raise.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

from emulation_rules.errors import EmulationRulesError

ENVIRONMENT_VARIABLE = "EMULATION_RULES_LIMITS"


@attrs.frozen
class Limits:
    """The limits in force. Every field is a positive integer."""

    #: largest candidate input file or request body, in bytes (CSV, JSON, XLSX, Parquet)
    max_document_bytes: int = 512 * 1024 * 1024
    #: deepest nesting of arrays and objects in a JSON document
    max_json_depth: int = 64
    #: most candidates in one evaluation
    max_candidates: int = 5_000_000
    #: longest text value (an id, a name, a cell)
    max_string_length: int = 10_000
    #: most digits in one number written as text (a fact, a cell, an override, a parameter)
    max_number_digits: int = 64
    #: largest campaign YAML file, in bytes
    max_plan_bytes: int = 4 * 1024 * 1024
    #: most YAML nodes a campaign document may expand to (aliases counted each time used)
    max_plan_nodes: int = 200_000
    #: deepest nesting of a criteria tree (all / any / not / at_least …)
    max_criteria_depth: int = 32

    def __attrs_post_init__(self) -> None:
        for field in attrs.fields(Limits):
            value = getattr(self, field.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise LimitError(f"limit '{field.name}' must be a positive integer, not {value!r}")


class LimitError(EmulationRulesError):
    """A limit setting is malformed (not a value past a limit: that is the reader's error)."""


def parse_limits(text: str, base: Limits | None = None) -> Limits:
    """Limits from ``name=value,name=value`` (unknown names and bad values are refused)."""
    known = {f.name for f in attrs.fields(Limits)}
    changes: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or name not in known:
            raise LimitError(
                f"{ENVIRONMENT_VARIABLE}: '{part}' is not NAME=VALUE with NAME one of "
                f"{', '.join(sorted(known))}"
            )
        digits = value.strip().replace("_", "")
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 18:
            raise LimitError(f"{ENVIRONMENT_VARIABLE}: '{name}' needs a positive integer")
        changes[name] = int(digits)
    return attrs.evolve(base or Limits(), **changes)


def current_limits(environ: Mapping[str, str] | None = None) -> Limits:
    """The defaults, changed by ``EMULATION_RULES_LIMITS`` when it is set."""
    env = os.environ if environ is None else environ
    text = env.get(ENVIRONMENT_VARIABLE, "")
    return parse_limits(text) if text.strip() else Limits()
