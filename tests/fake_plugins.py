"""Plugins installed for a test only: a distribution's metadata with its entry point, and its
module, in a directory put first on ``sys.path`` (or on ``PYTHONPATH`` of a subprocess), so that
the core finds them exactly as it finds an installed plugin."""

from __future__ import annotations

import copy
import json
import textwrap
from pathlib import Path
from typing import Any

import yaml
from conftest import mini_plan

SAMPLE = {
    "as_of": "2024-06-01",
    "candidates": [
        {
            "id": "u1",
            "name": "Đơn vị 1",
            "kind": "collective",
            "unit_type": "so",
            "facts": {"par": 95.0, "sipas": 92.0, "ddci_assessed": False, "initiatives": 1},
        }
    ],
}


def plan_for(slug: str, edit: Any = None) -> dict[str, Any]:
    """The synthetic test campaign as plugin ``slug``'s (id ``slug.mini_2024``)."""
    plan = copy.deepcopy(mini_plan())
    plan["id"] = f"{slug}.mini_2024"
    plan["jurisdiction"]["id"] = slug
    if edit is not None:
        edit(plan)
    return plan


def install_plugin(
    site: Path,
    slug: str,
    *,
    plan: dict[str, Any] | str | None = None,
    body: str = "",
    top: str = "",
    sample: dict[str, Any] | None = None,
) -> Path:
    """Install plugin ``slug`` into ``site``: its module registers ``plan`` (a mapping written
    as YAML, or YAML text; default: the test campaign) with a sample, after running ``body``
    (Python, at the top of the hook) and ``top`` (at the module's import). Returns the module's
    directory."""
    module = site / f"emulation_rules_{slug}"
    module.mkdir(parents=True)
    text = (
        plan
        if isinstance(plan, str)
        else yaml.safe_dump(
            plan if plan is not None else plan_for(slug), allow_unicode=True, sort_keys=False
        )
    )
    (module / "plan.yaml").write_text(text, encoding="utf-8")
    (module / "sample.json").write_text(
        json.dumps(sample if sample is not None else SAMPLE, ensure_ascii=False), encoding="utf-8"
    )
    hook_body = textwrap.indent(textwrap.dedent(body), "    ") if body.strip() else ""
    (module / "__init__.py").write_text(
        "from pathlib import Path\n"
        "from emulation_rules import hookimpl\n\n"
        f"{textwrap.dedent(top)}\n"
        "HERE = Path(__file__).parent\n\n\n"
        "@hookimpl\n"
        "def register_campaigns(register):\n"
        f"{hook_body}\n"
        '    register(HERE / "plan.yaml", sample=HERE / "sample.json")\n',
        encoding="utf-8",
    )
    dist = site / f"emulation_rules_{slug}-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: emulation-rules-{slug.replace('_', '-')}\nVersion: 0.1.0\n",
        encoding="utf-8",
    )
    (dist / "entry_points.txt").write_text(
        f"[emulation_rules]\n{slug} = emulation_rules_{slug}\n", encoding="utf-8"
    )
    return module
