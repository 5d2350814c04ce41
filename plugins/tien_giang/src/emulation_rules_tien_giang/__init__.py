"""Tiền Giang's plugin: the province's 2023 thematic emulation "Đẩy mạnh cải cách hành chính"
(Kế hoạch 55/KH-CCHC, 24/02/2023, UBND tỉnh Tiền Giang), scored on the provincial CCHC index."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from emulation_rules import hookimpl

HERE = Path(__file__).parent


@hookimpl
def register_campaigns(register: Callable[..., None]) -> None:
    register(HERE / "par_2023.yaml", sample=HERE / "sample_2020.json")
