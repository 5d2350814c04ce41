"""The building blocks every plan element shares: ids, frozen models, sources and citations,
the issuing jurisdiction, the period, participants and content areas."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
DOTTED_ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(Frozen):
    """A document a plan cites: a legal document with its number and symbol (số/ký hiệu), date
    and issuer — or a document without a number (a guidance page, a news report of a ministry's
    answer), which says so with ``number: null`` and a ``number_note``. Either may carry the web
    address where it was read (``url``)."""

    kind: str = Field(description="Kế hoạch, Quyết định, Chỉ thị, Luật, Nghị định, Trang tin …")
    number: str | None = Field(description="số/ký hiệu, e.g. 1078/KH-SNV; null when it has none")
    number_note: str | None = Field(
        None, description="why the document has no number (required when number is null)"
    )
    date: dt.date | None = Field(description="null when the date could not be found")
    date_note: str | None = Field(None, description="why the date is unknown (required then)")
    issuer: str
    title: str | None = None
    url: str | None = Field(
        None, pattern=r"^https?://[^\s]+$", description="the web address the text was read at"
    )
    seed: str | None = Field(None, description="the file under shared/seeds holding the text")

    @model_validator(mode="after")
    def _dated(self) -> Self:
        if self.number is not None and not self.number.strip():
            raise ValueError("a source's number is text or null (with a 'number_note'), not empty")
        if self.number is None and not (self.number_note or "").strip():
            raise ValueError(
                f"source {self.title or self.kind}: a source without a number says why in "
                "'number_note'"
            )
        if self.date is None and not self.date_note:
            raise ValueError(f"source {self.number}: an unknown date needs a 'date_note'")
        return self

    def date_text(self) -> str:
        return f"{self.date:%d/%m/%Y}" if self.date else "không rõ ngày (date unknown)"

    def document(self) -> str:
        """The kind and number (số/ký hiệu), or the kind and a word that it has none."""
        return f"{self.kind} {self.number}" if self.number else f"{self.kind} (không số)"

    def label(self) -> str:
        out = f"{self.document()}, {self.date_text()}, {self.issuer}"
        return f"{out} — {self.url}" if self.url else out


class Citation(Frozen):
    """Where a rule comes from; ``interpretation`` marks a value the plan does not state, and
    ``unconfirmed`` a legal fact read only second hand (a sectoral copy, a press report) or
    inferred: such a value is always an interpretation too, a named parameter the user may
    override, never presented as the law's own text."""

    source: str = Field(description="key of the document in the campaign's sources")
    clause: str | None = None
    quote: str | None = None
    interpretation: bool = False
    unconfirmed: bool = Field(
        False,
        description="the legal fact was not read in the instrument itself (implies "
        "interpretation; the note says what is unconfirmed)",
    )
    note: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if not ((self.clause or "").strip() or (self.quote or "").strip()):
            raise ValueError("a citation needs a 'clause' or a 'quote'")
        if self.interpretation and not (self.note or "").strip():
            raise ValueError("an interpretation needs a 'note' saying what the plan leaves open")
        if self.unconfirmed and not self.interpretation:
            raise ValueError(
                "an unconfirmed legal fact is encoded as an interpretation: say "
                "'interpretation: true' too, with a 'note' saying what is unconfirmed"
            )
        return self


class Successor(Frozen):
    """Who carries a jurisdiction's plans on after a reorganisation (e.g. from 1/7/2025)."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    since: dt.date
    note: str | None = None
    citation: Citation


class Jurisdiction(Frozen):
    """The jurisdiction that issued the plan. A plan stays the legal act of its issuer; a
    ``successor`` records who carries it on after the issuer ceased to exist."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    level: Literal["province", "district", "commune"]
    parent: str | None = Field(None, description="the province of a district, for instance")
    valid_until: dt.date | None = Field(None, description="last day it existed on its own")
    successor: Successor | None = None

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.successor and self.valid_until and self.successor.since <= self.valid_until:
            raise ValueError("the successor takes over after valid_until, not before")
        return self

    def carried_on_by(self, day: dt.date) -> Successor | None:
        """The successor carrying this jurisdiction's plans on ``day`` (None: itself)."""
        if self.successor is not None and day >= self.successor.since:
            return self.successor
        return None


class Period(Frozen):
    start: dt.date
    end: dt.date
    citation: Citation

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        return self


class Participant(Frozen):
    """A type of unit that takes part (its candidates use ``unit_type: id``)."""

    unit_type: str = Field(pattern=ID_PATTERN)
    label: str
    citation: Citation


class ContentArea(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    label: str
    citation: Citation
