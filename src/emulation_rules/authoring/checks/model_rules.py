"""The model's own rules, reported as findings: a campaign validated again from its data (it may
have been built without validation)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import ValidationError

from emulation_rules.plan.campaign import Campaign

# --- the model's own rules ------------------------------------------------------------------
_MODEL_ELEMENT = re.compile(
    r"^(scale|fact|parameter|criterion|award|target|content area|participant)(?: id)? "
    r"'?([^':]+?)'?(?::| is | requires | names |$)"
)


def model_errors(campaign: Campaign) -> Iterator[tuple[str, str]]:
    """Validate the campaign again from its data (it may have been built without validation)."""
    try:
        Campaign.model_validate(campaign.model_dump(by_alias=True))
    except ValidationError as exc:
        for err in exc.errors():
            loc = err["loc"]
            text = str(err["msg"]).removeprefix("Value error, ")
            if loc:
                element = _element_at(campaign, loc)
                rest = loc[2:] if ":" in element else loc[1:] if element != "campaign" else loc
                yield element, f"{_loc_text(rest)}: {text}" if rest else text
                continue
            for part in text.split("; "):
                element = _element_of_message(part)
                what, _, name = element.partition(":")
                yield element, part.removeprefix(f"{what.replace('_', ' ')} '{name}': ")


def _element_at(campaign: Campaign, loc: tuple[int | str, ...]) -> str:
    groups: dict[str, tuple[str, tuple[object, ...]]] = {
        "scales": ("scale", campaign.scales),
        "facts": ("fact", campaign.facts),
        "parameters": ("parameter", campaign.parameters),
        "criteria": ("criterion", campaign.criteria),
        "awards": ("award", campaign.awards),
        "targets": ("target", campaign.targets),
        "content_areas": ("content_area", campaign.content_areas),
        "participants": ("participant", campaign.participants),
    }
    head = str(loc[0])
    if head in groups and len(loc) > 1 and isinstance(loc[1], int):
        what, items = groups[head]
        if loc[1] < len(items):
            item = items[loc[1]]
            return f"{what}:{getattr(item, 'id', None) or getattr(item, 'unit_type', loc[1])}"
    return head if head in ("period", "jurisdiction", "legal_basis") else "campaign"


def _element_of_message(message: str) -> str:
    match = _MODEL_ELEMENT.match(message)
    if match:
        return f"{match.group(1).replace(' ', '_')}:{match.group(2)}"
    for head in ("legal_basis", "period", "jurisdiction"):
        if message.startswith(head):
            return head
    return "campaign"


def _loc_text(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
