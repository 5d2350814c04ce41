"""What the service accepts and whom it answers: its settings, each with a safe default.

The defaults are for one office's server: a request body of at most 16 MiB, 50,000 candidates,
60 seconds of evaluation, two evaluations at a time, CORS off. A host passes its own
:class:`ServiceSettings` to :func:`emulation_rules.service.create_app`; ``emulation-rules serve``
builds one from its options (and ``EMULATION_RULES_LIMITS`` for the library's other limits).

Every limit is enforced before the work it bounds: the body size while the body is received
(``Content-Length`` first, then byte by byte), the number of candidates and the other input limits
of :class:`~emulation_rules.limits.Limits` while the input is read, the evaluation time around the
whole evaluation (reading, validating, evaluating, writing the answer).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import attrs

from emulation_rules.limits import LimitError, Limits

#: the service's default limits of the library: smaller than a command line's, as a server
#: answers whoever reaches it
SERVICE_LIMITS = Limits(max_document_bytes=16 * 1024 * 1024, max_candidates=50_000)


def _positive_number(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise LimitError(f"setting '{attribute.name}' must be a positive number, not {value!r}")


def _positive_int(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise LimitError(f"setting '{attribute.name}' must be a positive integer, not {value!r}")


def _origins(values: Iterable[str]) -> tuple[str, ...]:
    origins = tuple(values)
    for origin in origins:
        if not isinstance(origin, str) or not origin.startswith(("http://", "https://")):
            raise LimitError(
                f"setting 'cors_origins': {origin!r} is not an origin such as https://office.example"
            )
    return origins


@attrs.frozen
class ServiceSettings:
    """The service's settings.

    ``limits.max_document_bytes`` is the largest request body (any endpoint, any content type);
    ``limits.max_candidates`` the most candidates in one evaluation; the other fields of
    :class:`~emulation_rules.limits.Limits` bound the input as they do on the command line.
    """

    #: what the library accepts (body size, candidates, JSON depth, text and number lengths)
    limits: Limits = SERVICE_LIMITS
    #: longest evaluation (read, validate, evaluate, write), in seconds; past it the client gets
    #: a 503 problem document and the work is dropped if it has not started
    evaluation_timeout_seconds: float = attrs.field(default=60.0, validator=_positive_number)
    #: evaluations run at once (each in a worker thread); the others wait their turn, within
    #: their own time limit
    max_concurrent_evaluations: int = attrs.field(default=2, validator=_positive_int)
    #: origins allowed by CORS (e.g. ``https://office.example``); empty: CORS off
    cors_origins: tuple[str, ...] = attrs.field(default=(), converter=_origins)

    @property
    def max_body_bytes(self) -> int:
        """The largest request body, in bytes (``limits.max_document_bytes``)."""
        return self.limits.max_document_bytes
