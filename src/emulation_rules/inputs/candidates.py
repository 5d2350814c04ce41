"""Candidate input: the document envelope, the facts a campaign accepts, and validation.

Every value is validated and normalised once, before either engine sees it (by columns:
:mod:`.validate`). Every problem is reported at once as
:class:`~emulation_rules.errors.InputError` naming the candidate (or row/cell), the field and
the rule broken; nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, ValidationError
from typing_extensions import TypedDict

from emulation_rules.errors import InputError, Problem, shorten
from emulation_rules.inputs.columns import RawInput, from_mappings
from emulation_rules.inputs.envelope import CandidateIn, InputDocument
from emulation_rules.inputs.validate import OnInvalid, validate_raw
from emulation_rules.inputs.validated import ValidatedInput
from emulation_rules.inputs.values import DATE_RULE, parse_date_text
from emulation_rules.limits import Limits
from emulation_rules.plan.campaign import Campaign, Fact

__all__ = [
    "CandidateIn",
    "InputDocument",
    "ValidatedInput",
    "facts_typeddict",
    "parse_as_of",
    "parse_document",
    "read_document",
    "validate_input",
]


def parse_document(raw: Any, *, origin: str = "input") -> InputDocument:
    """Validate an input document into models (one :class:`CandidateIn` per candidate).

    Kept for callers that want the models; evaluation reads documents by columns
    (:func:`read_document`) and never builds them."""
    as_of, candidates = _envelope(raw, origin)
    try:
        models = [CandidateIn.model_validate(c) for c in candidates]
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "candidate"
        raise InputError(f"{origin}: field '{field}': {err['msg']}") from None
    return InputDocument.model_construct(as_of=as_of, candidates=tuple(models))


def read_document(
    campaign: Campaign,
    raw: Any,
    *,
    origin: str = "input",
    labels: Callable[[int], str] | None = None,
) -> tuple[dt.date | None, RawInput]:
    """An input document (parsed JSON or a mapping) as its ``as_of`` and raw columns."""
    as_of, candidates = _envelope(raw, origin)
    if labels is None:
        prefix = "" if origin == "input" else f"{origin}: "

        def labels(i: int) -> str:
            return f"{prefix}candidates[{i}]"

    return as_of, from_mappings(campaign, candidates, origin=origin, labels=labels)


def _envelope(raw: Any, origin: str) -> tuple[dt.date | None, list[Any]]:
    if not isinstance(raw, Mapping):
        raise InputError(f"{origin}: the input document is a JSON object with 'candidates'")
    problems = []
    extra = sorted(set(raw) - {"as_of", "candidates"}, key=str)
    for key in extra:
        problems.append(Problem(origin, f"field {shorten(key)}", "Extra inputs are not permitted"))
    candidates = raw.get("candidates")
    if "candidates" not in raw:
        problems.append(Problem(origin, "field 'candidates'", "Field required"))
    elif not isinstance(candidates, list | tuple):
        problems.append(
            Problem(origin, "field 'candidates'", "Input should be a list", shorten(candidates))
        )
    elif not candidates:
        problems.append(Problem(origin, "", "'candidates' is empty: there is nothing to evaluate"))
    as_of = None
    if raw.get("as_of") is not None:
        day = parse_as_of(raw["as_of"])
        if isinstance(day, str):
            problems.append(Problem(origin, "field 'as_of'", day, shorten(raw["as_of"])))
        else:
            as_of = day
    if problems:
        raise InputError(problems)
    return as_of, list(candidates)  # type: ignore[arg-type]


def parse_as_of(value: Any) -> dt.date | str:
    """A document's ``as_of``: a plain ``YYYY-MM-DD`` date, as strict as the targets document
    (no timestamps, no time of day, no time zone). Returns the date or the rule broken."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        return (
            DATE_RULE + "; a number (a timestamp?) is not a date"
            if isinstance(value, int | float) and not isinstance(value, bool)
            else DATE_RULE
        )
    if "T" in value or ":" in value:
        return DATE_RULE + "; a date has no time of day or time zone"
    return parse_date_text(value, None)


def facts_typeddict(campaign: Campaign, kind: str, strict: bool) -> Any:
    """The facts a ``kind`` of candidate may carry in ``campaign``, as a TypedDict: validated in
    bulk without building a model per candidate, and the source of the input's JSON Schema."""
    fields = {
        fact.id: Annotated[_python_type(campaign, fact) | None, _field(fact)]
        for fact in campaign.facts_for(kind)  # type: ignore[arg-type]
    }
    typed = TypedDict(f"Facts_{kind}", fields, total=False)  # type: ignore[misc]
    typed.__pydantic_config__ = ConfigDict(  # type: ignore[attr-defined]
        extra="forbid", strict=strict, allow_inf_nan=False
    )
    return typed


def _python_type(campaign: Campaign, fact: Fact) -> Any:
    if fact.type == "series":
        return _series_type(campaign, fact)
    return _value_type(campaign, fact, fact.type)


def _value_type(campaign: Campaign, fact: Fact, vtype: str) -> Any:
    if vtype == "boolean":
        return bool
    if vtype == "integer":
        return int
    if vtype == "number":
        return float
    if vtype == "date":
        return _ISO_DATE
    if vtype == "ids":
        return list[Annotated[str, StringConstraints(min_length=1)]]
    assert fact.scale is not None
    return Literal[campaign.scale(fact.scale).levels]


def _real_date(text: str) -> str:
    dt.date.fromisoformat(text)  # raises ValueError (a message) for 2023-02-30
    return text


#: a date fact's value: strict ISO YYYY-MM-DD text (no timestamps, no time zones)
_ISO_DATE = Annotated[
    str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_date)
]


def _series_type(campaign: Campaign, fact: Fact) -> Any:
    """A yearly series: an object whose keys are years (within the fact's years) and whose
    values are of the element type, or null (not known)."""
    first, last = fact.first_year, fact.last_year

    def in_range(values: dict[str, Any]) -> dict[str, Any]:
        outside = [y for y in values if not (first or 0) <= int(y) <= (last or 0)]
        if outside:
            raise ValueError(f"year {outside[0]} is outside the series' years {first}–{last}")
        return values

    element = _value_type(campaign, fact, fact.value_type)
    year = Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
    return Annotated[dict[year, element | None], AfterValidator(in_range)]  # type: ignore[valid-type]


def _field(fact: Fact) -> Any:
    extra: dict[str, Any] = {"x-label": fact.label}
    if fact.unit:
        extra["x-unit"] = fact.unit
    if fact.type == "date":
        extra["format"] = "date"
    if fact.type == "series":
        extra["x-years"] = [fact.first_year, fact.last_year]
    numeric = fact.type in ("integer", "number")
    return Field(
        None,
        ge=fact.minimum if numeric else None,
        le=fact.maximum if numeric else None,
        title=fact.label,
        description=fact.description,
        json_schema_extra=extra,
    )


def validate_input(
    campaign: Campaign,
    candidates: Sequence[CandidateIn | Mapping[str, Any]],
    *,
    where: Sequence[str] | None = None,
    strict: bool = True,
    on_invalid: OnInvalid = "refuse",
    limits: Limits | None = None,
) -> ValidatedInput:
    """Validate every candidate against the campaign and build the fact table.

    ``where`` labels each candidate in messages (default ``candidates[i]``); ``strict=False``
    reads string cells as text written in the default locale (as a spreadsheet's), instead of
    refusing a string where a number is declared. Every problem is reported at once
    (:class:`~emulation_rules.errors.InputError` ``.problems``); with ``on_invalid="report"``
    the candidates with problems are set aside in ``.rejected`` and the others validated.
    """
    if not candidates:
        raise InputError("no candidates: there is nothing to evaluate")
    labels = list(where) if where is not None else None
    raw = from_mappings(
        campaign,
        list(candidates),
        labels=(lambda i: labels[i]) if labels is not None else None,
    )
    raw.spreadsheet = not strict
    return validate_raw(campaign, raw, on_invalid=on_invalid, limits=limits)
