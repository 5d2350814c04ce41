"""Bình Định's plugin: the 2021-2025 movement to push administrative reform
(Kế hoạch 24/KH-UBND, 08/3/2022), with awards each year and for the whole period; and the
individual Bằng khen of 2024 built on the Law's standard (``builds_on`` the vn_law plugin)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from emulation_rules import hookimpl

HERE = Path(__file__).parent


@hookimpl
def register_campaigns(register: Callable[..., None]) -> None:
    register(HERE / "par_2021_2025.yaml", sample=HERE / "sample_2021_2025.json")
    register(HERE / "bang_khen_ca_nhan_2024.yaml")
