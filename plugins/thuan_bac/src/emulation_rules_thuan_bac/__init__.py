"""Thuận Bắc's plugin: the district's 2023 administrative-reform emulation movement
(Kế hoạch 07/KH-UBND, 05/01/2023, UBND huyện Thuận Bắc, tỉnh Ninh Thuận)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from emulation_rules import hookimpl

HERE = Path(__file__).parent


@hookimpl
def register_campaigns(register: Callable[..., None]) -> None:
    register(HERE / "par_2023.yaml", sample=HERE / "sample_2023.json")
