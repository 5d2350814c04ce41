"""The library's operations as the service runs them: plain functions of data, run in a worker
thread (:mod:`.jobs`), sharing nothing between requests but the registry (immutable) and the
library's cache of compiled plans."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import platform
from collections.abc import Mapping
from typing import Any

from emulation_rules.errors import RegistryError
from emulation_rules.evaluation.evaluate import evaluate_validated, library_version, resolve_as_of
from emulation_rules.evaluation.result import Result
from emulation_rules.evaluation.targets import evaluate_targets
from emulation_rules.inputs.files import parse_json, read_input
from emulation_rules.limits import Limits
from emulation_rules.plan.citing import citation_dict
from emulation_rules.plugins.registry import RegisteredCampaign, Registry
from emulation_rules.service.problems import ServiceProblem
from emulation_rules.service.requests import Options, Upload

#: the version of the HTTP API (its paths start with /api/v1)
API_VERSION = "v1"


def entry_of(registry: Registry, campaign_id: str) -> RegisteredCampaign:
    """The registered campaign, or a 404 problem saying which exist (or why it is missing)."""
    try:
        return registry.entry(campaign_id)
    except RegistryError as exc:
        raise ServiceProblem("unknown-campaign", str(exc)) from None


def evaluate_upload(
    entry: RegisteredCampaign,
    registry: Registry,
    upload: Upload,
    options: Options,
    limits: Limits,
) -> Result:
    """Read, validate and evaluate an upload as ``emulation-rules evaluate`` does a file (a
    work plan, which has targets but no criteria, is refused before its input is read)."""
    campaign = entry.campaign
    if not campaign.criteria:
        raise ServiceProblem(
            "unprocessable",
            f"{campaign.id} has no criteria or awards (a work plan): report its targets "
            "instead (POST …/targets)",
        )
    doc_as_of, validated = read_input(
        campaign,
        upload.data,
        upload.label,
        fmt=upload.fmt,
        locale=options.locale,
        on_invalid=options.on_invalid,
        limits=limits,
    )
    day = options.as_of or doc_as_of
    return evaluate_validated(
        campaign,
        validated,
        as_of=resolve_as_of(campaign, day),
        overrides=dict(options.overrides),
        engine=options.engine,
        registry=registry,
    )


def targets_report(
    entry: RegisteredCampaign, data: bytes, as_of: dt.date | None, limits: Limits
) -> dict[str, Any]:
    """``emulation-rules targets`` on a measures document sent as the body."""
    document = parse_json(data, "request body", limits)
    report = evaluate_targets(entry.campaign, document, as_of=as_of, origin="request body")
    return report.to_dict()


def positions(result: Result, candidate_id: str) -> list[dict[str, Any]]:
    """Where one candidate stands in every allocation that lists it: the award, the group, its
    status (the first list holding it, as the table and ``explain`` say it), its shared rank,
    why a provisional seat is not firm (``threats``) and what its place waits for
    (``depends_on``)."""
    out = []
    for alloc in result.allocations:
        status = alloc.status(candidate_id)
        if status is None:
            continue
        threat = alloc.threats.get(candidate_id)
        out.append(
            {
                "award": alloc.award,
                "group": alloc.group,
                "status": status,
                "rank": alloc.ranks.get(candidate_id),
                "threats": threat.to_dict() if threat is not None else None,
                "depends_on": result.depends_on(alloc).get(candidate_id),
            }
        )
    return out


def campaign_document(entry: RegisteredCampaign) -> dict[str, Any]:
    """A campaign as data (its plan, as validated) with every citation resolved."""
    campaign = entry.campaign
    return {
        "id": campaign.id,
        "plugin": entry.plugin,
        "plugin_version": entry.plugin_version,
        "has_sample": entry.sample is not None,
        "plan": campaign.model_dump(mode="json", by_alias=True),
        "citations": [
            {"element": element, **citation_dict(campaign, citation)}
            for element, citation in campaign.citations()
        ],
    }


def campaign_summary(entry: RegisteredCampaign) -> dict[str, Any]:
    campaign = entry.campaign
    return {
        "id": campaign.id,
        "title": campaign.title,
        "jurisdiction": campaign.jurisdiction.name,
        "period": {
            "start": campaign.period.start.isoformat(),
            "end": campaign.period.end.isoformat(),
        },
        "legal_basis": [campaign.sources[k].label() for k in campaign.legal_basis],
        "plugin": entry.plugin,
        "plugin_version": entry.plugin_version,
        "criteria": len(campaign.criteria),
        "awards": [a.id for a in campaign.awards],
        "targets": len(campaign.targets),
        "has_sample": entry.sample is not None,
    }


def plugins_document(registry: Registry) -> dict[str, Any]:
    return {
        "plugins": [
            {
                "name": info.name,
                "distribution": info.distribution,
                "version": info.version,
                "hooks": list(info.hooks),
                "campaigns": [c.id for c in registry.campaigns_of(info.name)],
            }
            for info in registry.plugins()
        ],
        "broken": [
            {
                "plugin": f.plugin,
                "distribution": f.distribution,
                "version": f.version,
                "hook": f.hook,
                "summary": f.summary,
                "message": f.message,
            }
            for f in registry.failures
        ],
    }


def version_document(registry: Registry) -> dict[str, Any]:
    def version(name: str) -> str | None:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return None

    plugins: Mapping[str, str | None] = {i.name: i.version for i in registry.plugins()}
    return {
        "emulation-rules": library_version(),
        "api": API_VERSION,
        "python": platform.python_version(),
        "plugins": dict(sorted(plugins.items())),
        "fastapi": version("fastapi"),
        "uvicorn": version("uvicorn"),
    }
