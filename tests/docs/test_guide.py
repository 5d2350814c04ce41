"""docs/writing-a-province-plugin.md: every hook documented, every example true."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from emulation_rules.cli import main
from emulation_rules.plan.campaign import Campaign, Criterion
from emulation_rules.plan.criteria import AllNode, AnyNode, AttributeTest, Comparison, NotNode, walk
from emulation_rules.plan.loader import campaign_from_mapping
from emulation_rules.plugins import spec as hookspecs

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "writing-a-province-plugin.md"
REFERENCE = "Hook reference"
EXAMPLES = "The criteria language by example"
CITE = {"source": "kh1078", "clause": "illustrative"}  # examples leave their citation out


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def sections(text: str, level: int) -> list[tuple[str, str]]:
    """(heading, body) of every heading of exactly ``level`` (code blocks are not headings)."""
    out: list[tuple[str, str]] = []
    heading, fenced = "", False
    body: list[str] = []
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and re.match(rf"^#{{{level}}} ", line):
            out.append((heading, "\n".join(body)))
            heading, body = line[level + 1 :].strip(), []
        else:
            body.append(line)
    out.append((heading, "\n".join(body)))
    return out[1:]


def section(text: str, title: str) -> str:
    found = [body for heading, body in sections(text, 2) if title in heading]
    assert found, f"the guide has no '## … {title}' section"
    return found[0]


def hooks() -> list[Callable[..., Any]]:
    found: list[Callable[..., Any]] = [
        fn
        for _, fn in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(fn, "emulation_rules_spec")
    ]
    assert found, "no hookspec found in emulation_rules.plugins.spec"
    return found


def undocumented(text: str) -> list[str]:
    """Hooks without a heading in the reference section, and arguments it does not mention."""
    subsections = sections(section(text, REFERENCE), 3)
    problems = []
    for fn in hooks():
        name = fn.__name__
        bodies = [
            f"{heading}\n{body}"
            for heading, body in subsections
            if re.search(rf"\b{name}\b", heading)
        ]
        if not bodies:
            problems.append(f"hook '{name}' has no heading in the reference")
            continue
        for arg in inspect.signature(fn).parameters:
            if not re.search(rf"\b{arg}\b", bodies[0]):
                problems.append(f"hook '{name}': argument '{arg}' is not mentioned")
    return problems


def test_every_hook_is_documented_with_its_arguments() -> None:
    assert undocumented(guide()) == []


def test_an_undocumented_hook_or_argument_is_noticed() -> None:
    text = guide()
    name = hooks()[0].__name__
    without_heading = text.replace(f"### `{name}(", "### `something_else(")
    assert f"hook '{name}' has no heading in the reference" in undocumented(without_heading)
    arg = next(iter(inspect.signature(hooks()[0]).parameters))
    reference = section(text, REFERENCE)
    without_arg = text.replace(reference, re.sub(rf"\b{arg}\b", "callback", reference))
    assert f"hook '{name}': argument '{arg}' is not mentioned" in undocumented(without_arg)


def yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)


def test_every_yaml_block_parses() -> None:
    blocks = yaml_blocks(guide())
    assert len(blocks) >= 10
    for block in blocks:
        yaml.safe_load(block)


def test_the_skeleton_shown_validates() -> None:
    block = yaml_blocks(section(guide(), "field by field"))[0]
    campaign = campaign_from_mapping(yaml.safe_load(block))
    assert campaign.parameters[0].citation.interpretation


def examples() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for heading, body in sections(section(guide(), EXAMPLES), 3):
        for block in yaml_blocks(body):
            out.append((heading, yaml.safe_load(block)))
    return out


def test_an_giang_examples_are_the_plans_own(registry: Any) -> None:
    plan: Campaign = registry.campaign("an_giang.papi_2021")
    real = [(h, ex) for h, ex in examples() if "An Giang" in h]
    assert len(real) >= 4
    for heading, example in real:
        ours = Criterion.model_validate({"label": "-", "citation": CITE, **example})
        theirs = plan.criterion(ours.id)
        for key in ("kind", "applies_if", "rule"):
            assert getattr(ours, key) == getattr(theirs, key), f"{heading}: {key} differs"


def test_illustrative_examples_validate_in_the_an_giang_campaign(registry: Any) -> None:
    plan: Campaign = registry.campaign("an_giang.papi_2021")
    ids = {c.id for c in plan.criteria}
    made_up = [(h, ex) for h, ex in examples() if "An Giang" not in h]
    assert made_up
    for heading, example in made_up:
        assert "illustrative" in heading, f"{heading}: mark it 'An Giang' or 'illustrative'"
        assert example["id"] not in ids
        data = plan.model_dump(by_alias=True)
        data["criteria"] = [*data["criteria"], {"label": "-", "citation": CITE, **example}]
        campaign_from_mapping(data)


def test_one_example_per_construct(registry: Any) -> None:
    plan: Campaign = registry.campaign("an_giang.papi_2021")
    seen: set[str] = set()
    for _, example in examples():
        c = Criterion.model_validate({"label": "-", "citation": CITE, **example})
        if c.applies_if is not None:
            seen.add("applies_if")
        nodes = walk(c.rule) + (walk(c.applies_if) if c.applies_if is not None else [])
        for node in nodes:
            kinds = {AllNode: "all", AnyNode: "any", NotNode: "not", AttributeTest: "attribute"}
            seen |= {word for cls, word in kinds.items() if isinstance(node, cls)}
            if isinstance(node, Comparison):
                seen |= {
                    k for k in ("value", "param", "margin", "margin_param") if getattr(node, k)
                }
                if node.to_fact is not None:
                    seen.add("to_fact")
                if node.of == "unit":
                    seen.add("of: unit")
                if plan.fact(node.fact).type == "ordinal":
                    seen.add("ordinal")
    wanted = {"all", "any", "not", "value", "param", "to_fact", "margin_param", "of: unit"}
    wanted |= {"attribute", "applies_if", "ordinal"}
    assert wanted <= seen, f"no example of {sorted(wanted - seen)}"


@pytest.mark.parametrize("command", ["new-plugin", "check", "show", "sample", "evaluate"])
def test_the_commands_the_guide_uses_exist(command: str) -> None:
    assert f"emulation-rules {command}" in guide()
    assert main.get_command(click.Context(main), command) is not None  # commands load lazily
