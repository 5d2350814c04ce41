"""A citation resolved against its campaign's sources, as data and as one line of text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulation_rules.plan.campaign import Campaign, Citation
from emulation_rules.plan.forms import CATALOGUE, CATEGORY_WORDS, SOURCES


def citation_dict(campaign: Campaign, citation: Citation) -> dict[str, Any]:
    """A citation with its document resolved: number (or that it has none), date, issuer, web
    address, clause, quote, flag."""
    src = campaign.sources[citation.source]
    return {
        "document": src.document(),
        "date": src.date.isoformat() if src.date else None,
        "issuer": src.issuer,
        "url": src.url,
        "clause": citation.clause,
        "quote": citation.quote,
        "interpretation": citation.interpretation,
        "note": citation.note,
    }


def citation_line(cite: Mapping[str, Any]) -> str:
    """A citation dict (see :func:`citation_dict`) as one line of text."""
    date = cite["date"] or "date unknown"
    where = cite["clause"] or f"“{cite['quote']}”"
    url = f" ({cite['url']})" if cite.get("url") else ""
    return f"{cite['document']}, {date}, {cite['issuer']}{url} — {where}"


def form_line(campaign: Campaign, form_id: str) -> str:
    """A form of award as one line: its name, category and where the law (or the campaign,
    for a form it declares) provides for it."""
    local = next((f for f in campaign.forms if f.id == form_id), None)
    if local is not None:
        cite = citation_line(citation_dict(campaign, local.citation))
        return f"{local.label} ({CATEGORY_WORDS[local.category]}, declared by the plan) · {cite}"
    form = CATALOGUE[form_id]
    provisions = "; ".join(
        f"{p.regime}: {SOURCES[p.source].document()} {p.clause}"
        + ("" if p.confirmed else " (unconfirmed)")
        for p in form.provisions
    )
    return f"{form.label} ({CATEGORY_WORDS[form.category]}) · {provisions}"
