"""The input document's envelope as models: :class:`CandidateIn` and :class:`InputDocument`.

Validation does not build these per candidate (it works on columns, :mod:`.validate`); they are
the documented shape of a candidate, what the Python API accepts besides plain mappings, and
the per-candidate view a result gives back (built on demand).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from emulation_rules.inputs.scores import ScoreEntry
from emulation_rules.text import nfc


class CandidateIn(BaseModel):
    """One candidate as the input gives it (design.md, 'Input document')."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    kind: Literal["collective", "individual"]
    unit_type: str | None = None
    unit_id: str | None = None
    active_from: dt.date | None = None
    active_until: dt.date | None = None
    facts: dict[str, Any] = Field(default_factory=dict)
    scores: dict[str, ScoreEntry] | None = None
    # None rather than an empty dict by default: a default_factory made parsing 100,000
    # candidates about 20 % slower
    attributes: dict[str, str] | None = Field(
        None, description="the plan's candidate attributes, e.g. a cluster"
    )

    @model_validator(mode="after")
    def _nfc(self) -> CandidateIn:
        """NFC-normalise the candidate's own strings (one call per candidate, ASCII skipped)."""
        for key in ("id", "name", "unit_type", "unit_id"):
            value = getattr(self, key)
            if value is not None and not value.isascii():
                object.__setattr__(self, key, nfc(value))
        if self.attributes:
            object.__setattr__(
                self, "attributes", {nfc(k): nfc(v.strip()) for k, v in self.attributes.items()}
            )
        return self


class InputDocument(BaseModel):
    """An input document: the day to judge on (optional) and the candidates."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: dt.date | None = None
    candidates: tuple[CandidateIn, ...]
