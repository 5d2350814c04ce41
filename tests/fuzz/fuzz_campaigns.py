"""The campaigns the fuzz suite runs on: every campaign of the installed plugins, and the test
suite's synthetic campaign (every construct of the criteria language, individuals reading their
unit), given to the command line as a YAML file."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import attrs
import yaml
from conftest import mini_plan

from emulation_rules import Campaign, load_registry
from emulation_rules.plan.loader import campaign_from_mapping


@attrs.frozen
class Target:
    ref: str  # what the command line is given: a campaign id or a YAML path
    campaign: Campaign

    @property
    def id(self) -> str:
        return self.campaign.id


def _targets() -> list[Target]:
    registry = load_registry()
    out = [Target(c.id, c) for c in registry.campaigns() if c.criteria]
    folder = Path(tempfile.mkdtemp(prefix="fuzz-plans-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "mini.yaml"
    plan = mini_plan()
    path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out.append(Target(str(path), campaign_from_mapping(plan)))
    return out


TARGETS = _targets()
IDS = [t.id for t in TARGETS]
