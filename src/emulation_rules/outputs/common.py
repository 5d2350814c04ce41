"""What the human-readable writers share: a plain console, values shown as text, and each
candidate's place in the allocations."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from rich.console import Console

from emulation_rules.evaluation.result import Result


def allocation_status(result: Result) -> dict[tuple[str, str], str]:
    status: dict[tuple[str, str], str] = {}
    for alloc in result.allocations:
        for rank, cid in enumerate(alloc.awarded, start=1):
            status[(alloc.award, cid)] = f"awarded #{rank}"
        for cid in alloc.tied_at_cutoff:
            status[(alloc.award, cid)] = "tied at cut-off"
        for rank, cid in enumerate(alloc.reserve, start=1):
            status[(alloc.award, cid)] = f"reserve #{rank}"
        for cid in alloc.unranked:
            status[(alloc.award, cid)] = "unranked (ranking fact missing)"
        for cid in alloc.pending:
            status[(alloc.award, cid)] = "pending (tied for an earlier award)"
    return status


def plain_console(buffer: io.StringIO) -> Console:
    return Console(
        file=buffer,
        width=120,
        color_system=None,
        force_terminal=False,
        markup=False,
        soft_wrap=True,
    )


def provenance_line(info: Mapping[str, Any]) -> str:
    """Where a value comes from, as one line: year, source, publication date, scale, address."""
    parts = []
    if "year" in info:
        parts.append(f"figure of {info['year']}")
    if "source" in info:
        parts.append(str(info["source"]))
    if "published" in info:
        parts.append(f"published {info['published']}")
    if "scale" in info:
        scale = info["scale"]
        parts.append(
            f"published as {show_value(info.get('published_value'))} on {scale['label']}, "
            f"×{scale['factor']:g}"
        )
    if "url" in info:
        parts.append(str(info["url"]))
    if info.get("not_yet_published"):
        parts.append("not yet published on the as_of date: read as unknown")
    return "; ".join(parts)


def show_value(value: Any) -> str:
    if value is None:
        return "— (missing)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return ", ".join(f"{k}={show_value(v)}" for k, v in value.items())
    return str(value)
