"""Citations: every element cites a declared source with a clause or a quote; an interpretation
has a note; nothing still holds the scaffold's placeholder."""

from __future__ import annotations

from collections.abc import Iterator

from emulation_rules.authoring.checks.findings import PLACEHOLDER, Finding
from emulation_rules.plan.campaign import Campaign, Citation


# --- citations ---------------------------------------------------------------------------------
def cited_elements(campaign: Campaign) -> list[tuple[str, Citation | None]]:
    """Every (element, citation) pair, elements named as in problem lines (``kind:id``)."""
    return list(campaign.citations())


def check_citations(campaign: Campaign) -> Iterator[Finding]:
    if not campaign.legal_basis:
        yield "legal_basis", "error", "names no source: a campaign rests on at least one document"
    for key in campaign.legal_basis:
        if key not in campaign.sources:
            yield "legal_basis", "error", f"names source '{key}', which is not in sources"
    for key, source in campaign.sources.items():
        texts = [source.kind, source.number or "", source.issuer, source.title or ""]
        if any(PLACEHOLDER in t for t in texts):
            yield (
                f"source:{key}",
                "warning",
                f"still holds a placeholder ({PLACEHOLDER}): write the document's number, "
                "issuer and title as printed",
            )
    for element, citation in cited_elements(campaign):
        if citation is None:
            yield element, "error", "has no citation"
            continue
        if citation.source not in campaign.sources:
            yield element, "error", f"citation names source '{citation.source}', not in sources"
        if not (_filled(citation.clause) or _filled(citation.quote)):
            yield element, "error", "citation has neither a clause nor a quote"
        if citation.interpretation and not _filled(citation.note):
            yield (
                element,
                "error",
                "citation is an interpretation without a note saying what the plan leaves open",
            )
        if any(PLACEHOLDER in (t or "") for t in (citation.clause, citation.quote, citation.note)):
            yield (
                element,
                "warning",
                f"citation still holds a placeholder ({PLACEHOLDER}): cite the plan's clause "
                "or quote its words",
            )


def _filled(text: str | None) -> bool:
    return text is not None and bool(text.strip())
