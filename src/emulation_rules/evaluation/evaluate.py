"""``evaluate``: candidates in, verdicts, eligibility and allocation out.

validate once -> columnar verdicts (the explanation) -> durable-rules eligibility -> the two must
agree -> allocation -> :class:`~emulation_rules.result.Result`.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from emulation_rules.engine.columnar import (
    AWARD_NOT_APPLICABLE,
    ELIGIBILITY,
    OTHER_KIND,
    ColumnarVerdicts,
    evaluate_columns,
    prepare_table,
)
from emulation_rules.engine.compiler import CompiledPlan, compile_resolved, resolve_parameters
from emulation_rules.engine.fact_table import FactTable
from emulation_rules.errors import EngineDisagreement, EvaluationError, shorten
from emulation_rules.evaluation.activity import inactive_rows
from emulation_rules.evaluation.allocation.allocate import allocate
from emulation_rules.evaluation.allocation.model import Allocation
from emulation_rules.evaluation.result import Result
from emulation_rules.evaluation.seats import seat_reader
from emulation_rules.inputs.candidates import (
    CandidateIn,
    InputDocument,
    ValidatedInput,
    parse_as_of,
    read_document,
    validate_input,
)
from emulation_rules.inputs.validate import OnInvalid, validate_raw
from emulation_rules.limits import Limits
from emulation_rules.plan.campaign import Campaign
from emulation_rules.plan.citing import citation_dict
from emulation_rules.plan.digest import campaign_digest, rules_fingerprint
from emulation_rules.plugins.registry import Registry, load_registry
from emulation_rules.text import nfc

Engine = Literal["both", "columnar"]
_CACHE_SIZE = 32
_PLANS: OrderedDict[tuple[str, str, str], tuple[CompiledPlan, Any]] = OrderedDict()
_PLANS_LOCK = threading.Lock()


def library_version() -> str:
    try:
        return importlib.metadata.version("emulation-rules")
    except importlib.metadata.PackageNotFoundError:  # running from a source tree
        return "0+unknown"


@cache
def default_registry() -> Registry:
    """The registry of the installed plugins, loaded once per process on first use."""
    return load_registry()


def evaluate(
    campaign: Campaign | str,
    candidates: Sequence[CandidateIn | Mapping[str, Any]] | InputDocument | Mapping[str, Any],
    *,
    as_of: dt.date | str | None = None,
    overrides: Mapping[str, Any] | None = None,
    engine: Engine = "both",
    registry: Registry | None = None,
    on_invalid: OnInvalid = "refuse",
    limits: Limits | None = None,
) -> Result:
    """Evaluate candidates against a campaign.

    ``campaign`` is a :class:`Campaign` or a campaign id; ``candidates`` a list of candidate
    mappings (or models), or a whole input document ``{"as_of", "candidates"}``. ``as_of``
    defaults to the document's ``as_of``, else the campaign's last day; a date before the
    campaign starts is an :class:`EvaluationError`. ``overrides`` replaces named parameters for
    this run only (the registered plan is untouched; the fingerprint changes). ``engine="both"``
    runs the columnar evaluator and durable-rules and fails if they disagree; ``"columnar"``
    skips durable-rules for bulk what-if runs. Bad input raises
    :class:`~emulation_rules.errors.InputError` with every problem (``.problems``); with
    ``on_invalid="report"`` the candidates with problems are listed in ``result.rejected`` and
    the others are evaluated. ``limits`` bounds what is accepted (default :class:`Limits`).
    """
    reg = registry
    if isinstance(campaign, str):
        reg = reg or default_registry()
        campaign = reg.campaign(campaign)
    _require_criteria(campaign)
    doc_as_of: dt.date | None = None
    if isinstance(candidates, Mapping):
        doc_as_of, raw = read_document(campaign, candidates)
        day = resolve_as_of(campaign, as_of if as_of is not None else doc_as_of)
        validated = validate_raw(campaign, raw, on_invalid=on_invalid, limits=limits)
    else:
        rows: list[CandidateIn | Mapping[str, Any]]
        if isinstance(candidates, InputDocument):
            doc_as_of, rows = candidates.as_of, list(candidates.candidates)
        else:
            rows = list(candidates)
        day = resolve_as_of(campaign, as_of if as_of is not None else doc_as_of)
        validated = validate_input(campaign, rows, on_invalid=on_invalid, limits=limits)
    return evaluate_validated(
        campaign, validated, as_of=day, overrides=overrides, engine=engine, registry=reg
    )


def evaluate_validated(
    campaign: Campaign,
    validated: ValidatedInput,
    *,
    as_of: dt.date,
    overrides: Mapping[str, Any] | None = None,
    engine: Engine = "both",
    registry: Registry | None = None,
) -> Result:
    """:func:`evaluate` on input that :func:`validate_input` already checked."""
    _require_criteria(campaign)
    if engine not in ("both", "columnar"):
        raise EvaluationError(f"engine must be 'both' or 'columnar', not {engine!r}")
    plan, rete = _compiled(campaign, as_of, overrides, with_rete=engine == "both")
    # a value published after as_of is not yet known; derived columns both engines read, and
    # which awards a criterion reads do not apply to whom (the candidate did not exist)
    inactive = inactive_awards(campaign, plan, validated)
    by_award = {plan.awards[j].id: mask for j, mask in inactive.items()}
    table = prepare_table(plan, validated.table_on(as_of), by_award)
    seats = seat_reader(plan, table, validated.records, inactive) if plan.needs_seats() else None
    verdicts = evaluate_columns(plan, table, seats=seats)
    if rete is not None:
        decided = rete.decide(table, seats=seats)
        _check_agreement(plan, table.ids, verdicts, decided)
    verdicts = _not_applicable_when_inactive(verdicts, inactive)
    allocations = allocate(plan, table, verdicts, validated.records)
    return finish_result(
        campaign, plan, validated, table, verdicts, allocations, engine=engine, registry=registry
    )


def finish_result(
    campaign: Campaign,
    plan: CompiledPlan,
    validated: ValidatedInput,
    table: FactTable,
    verdicts: ColumnarVerdicts,
    allocations: tuple[Allocation, ...],
    *,
    engine: Engine,
    registry: Registry | None,
) -> Result:
    """The :class:`Result` of decided and allocated arrays: the rules' fingerprint and the
    jurisdiction's successor on ``as_of`` added."""
    as_of = plan.as_of
    versions = {"emulation-rules": library_version(), **_plugin_version(campaign, registry)}
    fingerprint = rules_fingerprint(campaign, plan.parameters, versions)
    successor = campaign.jurisdiction.carried_on_by(as_of)
    carried_on_by = None
    if successor is not None:
        carried_on_by = {
            "id": successor.id,
            "name": successor.name,
            "since": successor.since.isoformat(),
            "note": successor.note,
            "citation": citation_dict(campaign, successor.citation),
        }
    return Result(
        plan=plan,
        fingerprint=fingerprint,
        engine=engine,
        inputs=validated.candidates,
        table=table,
        verdicts=verdicts,
        allocations=allocations,
        carried_on_by=carried_on_by,
        validated=validated,
    )


def inactive_awards(
    campaign: Campaign, plan: CompiledPlan, validated: ValidatedInput
) -> dict[int, npt.NDArray[np.bool_]]:
    """Award index -> the rows to which the award does not apply because the candidate did not
    exist during its span (only awards with such rows)."""
    rec = validated.records
    if rec.active_from is None and rec.active_until is None:
        return {}
    out = {}
    for j, award in enumerate(plan.awards):
        mask = inactive_rows(
            campaign, award, plan.parameters, rec.active_from, rec.active_until, len(rec)
        )
        if mask.any():
            out[j] = mask
    return out


def _not_applicable_when_inactive(
    verdicts: ColumnarVerdicts, inactive: Mapping[int, npt.NDArray[np.bool_]]
) -> ColumnarVerdicts:
    """Awards for a time a candidate did not exist become not applicable to it."""
    if not inactive:
        return verdicts
    awards = []
    for j, codes in enumerate(verdicts.awards):
        mask = inactive.get(j)
        if mask is not None:
            codes = codes.copy()
            codes[mask & (codes != OTHER_KIND)] = AWARD_NOT_APPLICABLE
        awards.append(codes)
    return attrs.evolve(verdicts, awards=tuple(awards))


def _require_criteria(campaign: Campaign) -> None:
    if not campaign.criteria:
        raise EvaluationError(
            f"{campaign.id} has no criteria or awards (a work plan): report its targets instead"
        )


def resolve_as_of(campaign: Campaign, value: dt.date | str | None) -> dt.date:
    if value is None:
        return campaign.period.end
    if isinstance(value, dt.datetime):
        raise EvaluationError(f"as_of {value.isoformat()!r} is a date and time: give the date")
    if isinstance(value, str):
        day = parse_as_of(nfc(value))
        if isinstance(day, str):
            raise EvaluationError(f"as_of {shorten(value)}: {day}")
        value = day
    if value < campaign.period.start:
        raise EvaluationError(
            f"as_of {value.isoformat()} is before {campaign.id} starts "
            f"({campaign.period.start.isoformat()})"
        )
    return value


def _compiled(
    campaign: Campaign, as_of: dt.date, overrides: Mapping[str, Any] | None, *, with_rete: bool
) -> tuple[CompiledPlan, Any]:
    """Compiled plan (and durable-rules engine) for these parameters, from a small LRU cache."""
    params = resolve_parameters(campaign, as_of, overrides)
    key = (campaign_digest(campaign), as_of.isoformat(), repr(sorted(params.items())))
    with _PLANS_LOCK:  # evaluate may be called from several threads
        plan, rete = _PLANS.get(key) or (compile_resolved(campaign, as_of, params), None)
        if with_rete and rete is None:
            from emulation_rules.engine.rete import (
                ReteEngine,  # durable-rules loads only when the engine is wanted
            )

            rete = ReteEngine(plan)
        _PLANS[key] = (plan, rete)
        _PLANS.move_to_end(key)
        while len(_PLANS) > _CACHE_SIZE:
            _PLANS.popitem(last=False)
    return plan, rete if with_rete else None


def _check_agreement(
    plan: CompiledPlan, ids: Sequence[str], verdicts: ColumnarVerdicts, decided: Sequence[Any]
) -> None:
    wrong: list[tuple[str, str, str, str]] = []
    for j, award in enumerate(plan.awards):
        a, b = verdicts.awards[j], decided[j]
        for i in (a != b).nonzero()[0].tolist():
            wrong.append((ids[i], award.id, _name(int(a[i])), _name(int(b[i]))))
    if wrong:
        raise EngineDisagreement(wrong)


def _name(code: int) -> str:
    return ELIGIBILITY[code] if code >= 0 else "other-kind"


def _plugin_version(campaign: Campaign, registry: Registry | None) -> dict[str, str | None]:
    reg = registry
    if reg is None:
        try:
            reg = default_registry()
        except Exception:  # a broken plugin must not stop evaluating a plan given directly
            return {}
    digest = campaign_digest(campaign)
    for entry in reg.entries:
        if entry.campaign.id == campaign.id and campaign_digest(entry.campaign) == digest:
            return {f"plugin:{entry.plugin}": entry.plugin_version}
    return {}
