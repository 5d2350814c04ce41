"""Digests: a campaign's content, and the fingerprint of the rules a result applied."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from emulation_rules.plan.campaign import Campaign

_DIGESTS: dict[int, tuple[Campaign, str]] = {}


def campaign_digest(campaign: Campaign) -> str:
    """SHA-256 of the campaign's canonical JSON (cached per campaign object)."""
    hit = _DIGESTS.get(id(campaign))
    if hit is not None and hit[0] is campaign:
        return hit[1]
    canonical = json.dumps(
        campaign.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False
    )
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    _DIGESTS[id(campaign)] = (campaign, digest)
    return digest


def rules_fingerprint(
    campaign: Campaign,
    parameters: Mapping[str, Any],
    versions: Mapping[str, str | None],
) -> str:
    """The fingerprint of a run's rules: plan content, resolved parameters, plugin and library
    versions. The same plan, parameters and versions always give the same fingerprint."""
    payload = {
        "campaign": campaign_digest(campaign),
        "parameters": {k: parameters[k] for k in sorted(parameters)},
        "versions": {k: versions[k] for k in sorted(versions)},
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()
