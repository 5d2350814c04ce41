"""An Giang's plugin: the 2021 PAPI emulation plan (Kế hoạch 1078/KH-SNV, 21/6/2021)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from emulation_rules import hookimpl

HERE = Path(__file__).parent


@hookimpl
def register_campaigns(register: Callable[..., None]) -> None:
    register(HERE / "papi_2021.yaml", sample=HERE / "sample_2021.json")
