"""Errors as RFC 9457 problem documents (``application/problem+json``).

Every error the API answers is one JSON object::

    {"type": "tag:emulation-rules,2025:problems/bad-input", "title": "Bad input",
     "status": 400, "detail": "2 problems in the input", "instance": "/api/v1/…",
     "count": 2, "problems": [{"where", "candidate", "row", "cell", "field", "rule", "value",
                               "message"}, …]}

``problems`` is the same structured list as :attr:`emulation_rules.errors.InputError.problems`
(:meth:`emulation_rules.errors.Problem.to_dict`): one entry per problem, each naming the
candidate (or row, or cell), the field and the rule; an error that is not about the input
carries one entry saying what is wrong. The ``type`` URIs are tag URIs: identifiers, not
addresses (RFC 9457 §3.1.1); docs/service.md lists them.

=====================  ======  ================================================================
type (after ``problems/``)  status  when
=====================  ======  ================================================================
``bad-input``          400     the input, a query parameter or the request is malformed
``unknown-campaign``   404     no installed campaign has that id (or its plugin did not load)
``not-found``          404     no such endpoint, or no such candidate in the input
``method-not-allowed`` 405     the endpoint exists for another HTTP method
``too-large``          413     the body or the number of candidates is past a limit
``unsupported-media-type`` 415 the body's ``Content-Type`` is none the endpoint reads
``unprocessable``      422     well-formed, but the evaluation cannot run as asked (an ``as_of``
                               before the campaign starts, an unknown parameter override, …)
``timeout``            503     the evaluation took longer than ``evaluation_timeout_seconds``
``internal``           500     anything unexpected: logged on the server, never a traceback
=====================  ======  ================================================================
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from emulation_rules.errors import (
    EmulationRulesError,
    EngineError,
    EvaluationError,
    InputError,
    InputTooLarge,
    OverrideError,
    PlanError,
    Problem,
    RegistryError,
)
from emulation_rules.limits import LimitError

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "tag:emulation-rules,2025:problems/"
LOG = logging.getLogger("emulation_rules.service")

#: problem kind -> (status, title)
KINDS: dict[str, tuple[int, str]] = {
    "bad-input": (400, "Bad input"),
    "unknown-campaign": (404, "Unknown campaign"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "too-large": (413, "Too large"),
    "unsupported-media-type": (415, "Unsupported media type"),
    "unprocessable": (422, "Cannot evaluate as asked"),
    "internal": (500, "Internal error"),
    "timeout": (503, "Evaluation took too long"),
}


class ProblemEntry(BaseModel):
    """One problem: the same keys as ``InputError.problems`` in JSON (``--errors json``)."""

    model_config = ConfigDict(extra="forbid")

    where: str = Field(description="the place as a person reads it (candidate, row, cell)")
    candidate: str | None = Field(description="the candidate id, when known")
    row: int | None = Field(description="the 0-based candidate row, when known")
    cell: str | None = Field(description="the spreadsheet cell (XLSX input), when known")
    field: str = Field(description="the field or fact")
    rule: str = Field(description="what is required")
    value: str | None = Field(description="the offending value, shortened")
    message: str = Field(description="the whole problem as one line")


class ProblemDocument(BaseModel):
    """An RFC 9457 problem document with the structured problem list."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(description="a tag URI naming the kind of problem")
    title: str
    status: int
    detail: str
    instance: str = Field(description="the path of the request")
    count: int = Field(description="how many problems are listed")
    problems: list[ProblemEntry]


class ServiceProblem(Exception):
    """An error the service answers with a problem document of ``kind`` (see :data:`KINDS`)."""

    def __init__(
        self,
        kind: str,
        detail: str,
        problems: Sequence[Problem] = (),
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.problems = tuple(problems) or (Problem("request", "", detail),)
        self.headers = headers or {}

    @property
    def status(self) -> int:
        return KINDS[self.kind][0]

    def document(self, instance: str) -> dict[str, Any]:
        status, title = KINDS[self.kind]
        return {
            "type": TYPE_PREFIX + self.kind,
            "title": title,
            "status": status,
            "detail": self.detail,
            "instance": instance,
            "count": len(self.problems),
            "problems": [p.to_dict() for p in self.problems],
        }


def bad_input(where: str, field: str, rule: str, value: str | None = None) -> ServiceProblem:
    """A 400 about one part of the request (a query parameter, the body)."""
    problem = Problem(where, field, rule, value)
    return ServiceProblem("bad-input", str(problem), [problem])


def from_library_error(exc: Exception) -> ServiceProblem:
    """The problem document of an error raised while serving a request."""
    if isinstance(exc, ServiceProblem):
        return exc
    if isinstance(exc, InputTooLarge):
        return ServiceProblem("too-large", _detail(exc), exc.problems)
    if isinstance(exc, InputError):
        return ServiceProblem("bad-input", _detail(exc), exc.problems)
    if isinstance(exc, EvaluationError | OverrideError):
        return ServiceProblem("unprocessable", str(exc))
    if isinstance(exc, EngineError):
        # the two engines disagree, or one lost a verdict: the library's fault, said plainly
        reference = _log(exc)
        return ServiceProblem("internal", f"{exc} (reference {reference})")
    if isinstance(exc, RegistryError | PlanError | LimitError | EmulationRulesError):
        reference = _log(exc)
        return ServiceProblem("internal", f"{_first_line(str(exc))} (reference {reference})")
    reference = _log(exc)
    return ServiceProblem(
        "internal",
        "an unexpected error occurred while answering; it is logged on the server with "
        f"reference {reference}",
    )


def _log(exc: BaseException) -> str:
    reference = secrets.token_hex(6)
    LOG.error("internal error %s", reference, exc_info=exc)
    return reference


def _detail(exc: InputError) -> str:
    n = len(exc.problems)
    if n == 1:
        return _first_line(str(exc.problems[0]))
    return f"{n:,} problems in the input (each is listed in 'problems')"


def _first_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()] or ["(no message)"]
    more = len(lines) - 1
    return lines[0] + (f" (and {more} more line{'s' * (more > 1)})" if more else "")
