"""What the human-readable writers share: a plain console, values shown as text, and each
candidate's place in the allocations."""

from __future__ import annotations

import io
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


def show_value(value: Any, *, nested: bool = False) -> str:
    if value is None:
        return "—" if nested else "— (missing)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        inner = ", ".join(
            f"{k}={show_value(v, nested=nested or isinstance(v, dict))}" for k, v in value.items()
        )
        return f"{{{inner}}}" if nested else inner
    return str(value)
