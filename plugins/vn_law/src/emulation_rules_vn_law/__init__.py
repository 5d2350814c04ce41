"""The national baseline: the yearly emulation titles and the Bằng khen of the Law on Emulation
and Commendation (Luật Thi đua, khen thưởng), one campaign per year assessed —
``vn_law.danh_hieu_2021`` … ``vn_law.danh_hieu_2023`` under the 2003 Law and Nghị định
91/2017 (achievements up to 31/12/2023), ``vn_law.danh_hieu_2024`` and ``vn_law.danh_hieu_2025``
under the 2022 Law, Nghị định 98/2023 and Thông tư 01/2024 (from 1/1/2024).

Provincial plans build on these rules with ``builds_on`` (see the core's
``docs/writing-a-province-plugin.md``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from emulation_rules import hookimpl

HERE = Path(__file__).parent

#: the years with a campaign (each is danh_hieu_YYYY.yaml); samples ship for these years
SAMPLES = {2024: "sample_2024.json"}
YEARS = (2021, 2022, 2023, 2024, 2025)


@hookimpl
def register_campaigns(register: Callable[..., None]) -> None:
    for year in YEARS:
        sample = SAMPLES.get(year)
        register(HERE / f"danh_hieu_{year}.yaml", sample=HERE / sample if sample else None)
