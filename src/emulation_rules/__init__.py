"""emulation-rules: Vietnamese administrative-reform emulation plans as executable, explainable,
cited rules.

>>> import emulation_rules as er
>>> registry = er.load_registry()
>>> campaign = registry.campaign("an_giang.papi_2021")
>>> result = er.evaluate(campaign, registry.entry(campaign.id).sample_document())
>>> result.allocation("bang_khen_tap_the").awarded   # doctest: +SKIP
"""

# Nothing heavy is imported here: each public name is imported from its module when it is first
# read (PEP 562), so that `import emulation_rules` and the CLI start fast and a program pays only
# for what it uses (numpy, polars, pydantic models, durable-rules, openpyxl, docx, Babel, FastAPI).

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from emulation_rules.errors import (
        EmulationRulesError,
        EngineDisagreement,
        EngineError,
        EvaluationError,
        InputError,
        OutputError,
        OverrideError,
        PlanError,
        PluginError,
        Problem,
        RegistryError,
    )
    from emulation_rules.evaluation.allocation.model import Allocation
    from emulation_rules.evaluation.diff import ResultDiff
    from emulation_rules.evaluation.evaluate import evaluate
    from emulation_rules.evaluation.partitions import evaluate_partitions
    from emulation_rules.evaluation.result import CandidateResult, CriterionVerdict, Result
    from emulation_rules.evaluation.targets import evaluate_targets
    from emulation_rules.inputs.candidates import (
        CandidateIn,
        InputDocument,
        ValidatedInput,
        parse_document,
        validate_input,
    )
    from emulation_rules.inputs.files import load_input
    from emulation_rules.inputs.template import write_template
    from emulation_rules.plan.campaign import (
        Award,
        Campaign,
        Citation,
        Criterion,
        Fact,
        Parameter,
        Scale,
        Source,
    )
    from emulation_rules.plan.loader import campaign_from_mapping, load_campaign
    from emulation_rules.plugins.manager import PluginFailure, PluginInfo
    from emulation_rules.plugins.registry import RegisteredCampaign, Registry, load_registry
    from emulation_rules.plugins.spec import hookimpl

#: public name -> the module that defines it
_LAZY: dict[str, str] = {
    "Allocation": "emulation_rules.evaluation.allocation.model",
    "Award": "emulation_rules.plan.campaign",
    "Campaign": "emulation_rules.plan.campaign",
    "CandidateIn": "emulation_rules.inputs.candidates",
    "CandidateResult": "emulation_rules.evaluation.result",
    "Citation": "emulation_rules.plan.campaign",
    "Criterion": "emulation_rules.plan.campaign",
    "CriterionVerdict": "emulation_rules.evaluation.result",
    "EmulationRulesError": "emulation_rules.errors",
    "EngineDisagreement": "emulation_rules.errors",
    "EngineError": "emulation_rules.errors",
    "EvaluationError": "emulation_rules.errors",
    "Fact": "emulation_rules.plan.campaign",
    "InputDocument": "emulation_rules.inputs.candidates",
    "InputError": "emulation_rules.errors",
    "OutputError": "emulation_rules.errors",
    "OverrideError": "emulation_rules.errors",
    "Parameter": "emulation_rules.plan.campaign",
    "PlanError": "emulation_rules.errors",
    "PluginError": "emulation_rules.errors",
    "PluginFailure": "emulation_rules.plugins.manager",
    "PluginInfo": "emulation_rules.plugins.manager",
    "Problem": "emulation_rules.errors",
    "RegisteredCampaign": "emulation_rules.plugins.registry",
    "Registry": "emulation_rules.plugins.registry",
    "RegistryError": "emulation_rules.errors",
    "Result": "emulation_rules.evaluation.result",
    "ResultDiff": "emulation_rules.evaluation.diff",
    "Scale": "emulation_rules.plan.campaign",
    "Source": "emulation_rules.plan.campaign",
    "ValidatedInput": "emulation_rules.inputs.candidates",
    "campaign_from_mapping": "emulation_rules.plan.loader",
    "evaluate": "emulation_rules.evaluation.evaluate",
    "evaluate_partitions": "emulation_rules.evaluation.partitions",
    "evaluate_targets": "emulation_rules.evaluation.targets",
    "hookimpl": "emulation_rules.plugins.spec",
    "load_campaign": "emulation_rules.plan.loader",
    "load_input": "emulation_rules.inputs.files",
    "load_registry": "emulation_rules.plugins.registry",
    "parse_document": "emulation_rules.inputs.candidates",
    "validate_input": "emulation_rules.inputs.candidates",
    "write_template": "emulation_rules.inputs.template",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'emulation_rules' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later reads find it directly
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "Allocation",
    "Award",
    "Campaign",
    "CandidateIn",
    "CandidateResult",
    "Citation",
    "Criterion",
    "CriterionVerdict",
    "EmulationRulesError",
    "EngineDisagreement",
    "EngineError",
    "EvaluationError",
    "Fact",
    "InputDocument",
    "InputError",
    "OutputError",
    "OverrideError",
    "Parameter",
    "PlanError",
    "PluginError",
    "PluginFailure",
    "PluginInfo",
    "Problem",
    "RegisteredCampaign",
    "Registry",
    "RegistryError",
    "Result",
    "ResultDiff",
    "Scale",
    "Source",
    "ValidatedInput",
    "campaign_from_mapping",
    "evaluate",
    "evaluate_partitions",
    "evaluate_targets",
    "hookimpl",
    "load_campaign",
    "load_input",
    "load_registry",
    "parse_document",
    "validate_input",
    "write_template",
]
