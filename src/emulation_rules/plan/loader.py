"""Load a campaign YAML document into a validated :class:`~emulation_rules.plan.campaign.Campaign`.

Errors name the file, the key path and the line: ``plan.yaml: criteria[2].rule.op (line 41):
Input should be '>=', '>', …``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from emulation_rules.errors import PlanError
from emulation_rules.plan.campaign import Campaign, deep_criteria_problems
from emulation_rules.text import nfc_deep


def load_campaign(path: str | Path) -> Campaign:
    """Read, NFC-normalise and validate one campaign YAML file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanError(f"{path}: cannot read the campaign file ({exc.strerror})") from exc
    try:
        raw = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise PlanError(f"{path}: not valid YAML: {exc}") from exc
    except RecursionError:
        raise PlanError(f"{path}: the YAML document is nested too deeply to read") from None
    if not isinstance(raw, dict):
        raise PlanError(
            f"{path}: a campaign document is a mapping of keys, not {type(raw).__name__}"
        )
    return campaign_from_mapping(raw, origin=str(path), node=root)


def campaign_from_mapping(
    raw: Mapping[str, Any], *, origin: str = "<mapping>", node: yaml.Node | None = None
) -> Campaign:
    """Validate an already-parsed campaign document (used for plans built in Python)."""
    deep = deep_criteria_problems(raw)  # before anything walks the tree recursively
    if deep:
        raise PlanError("\n".join(f"{origin}: {problem}" for problem in deep))
    try:
        return Campaign.model_validate(nfc_deep(dict(raw)))
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = _loc_text(err["loc"])
            line = _line_of(node, err["loc"]) if node is not None else None
            at = f" (line {line})" if line else ""
            where = f"{loc}{at}" if loc else "document"
            lines.append(f"{origin}: {where}: {err['msg']}")
        raise PlanError("\n".join(lines)) from None


def _loc_text(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("all", "any", "cmp", "attr", "not") and out and not out.endswith("."):
            # discriminator tags of the criteria tree are not keys of the document
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the deepest YAML node along ``loc`` that exists."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            nxt = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            if nxt is None:
                continue
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
        else:
            continue
        line = node.start_mark.line + 1
    return line
