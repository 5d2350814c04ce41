"""A citation resolved against its campaign's sources, as data and as one line of text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulation_rules.plan.campaign import Campaign, Citation


def citation_dict(campaign: Campaign, citation: Citation) -> dict[str, Any]:
    """A citation with its document resolved: number (or that it has none), date, issuer, web
    address, clause, quote, flags (interpretation, unconfirmed)."""
    src = campaign.sources[citation.source]
    return {
        "document": src.document(),
        "date": src.date.isoformat() if src.date else None,
        "issuer": src.issuer,
        "url": src.url,
        "clause": citation.clause,
        "quote": citation.quote,
        "interpretation": citation.interpretation,
        "unconfirmed": citation.unconfirmed,
        "note": citation.note,
    }


def citation_line(cite: Mapping[str, Any]) -> str:
    """A citation dict (see :func:`citation_dict`) as one line of text."""
    date = cite["date"] or "date unknown"
    where = cite["clause"] or f"“{cite['quote']}”"
    url = f" ({cite['url']})" if cite.get("url") else ""
    return f"{cite['document']}, {date}, {cite['issuer']}{url} — {where}"
