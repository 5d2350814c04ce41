"""emulation-rules: Vietnamese administrative-reform emulation plans as executable, explainable,
cited rules.

>>> import emulation_rules as er
>>> registry = er.load_registry()
>>> campaign = registry.campaign("an_giang.papi_2021")
>>> result = er.evaluate(campaign, registry.entry(campaign.id).sample_document())
>>> result.allocation("bang_khen_tap_the").awarded   # doctest: +SKIP
"""

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
    "evaluate_targets",
    "hookimpl",
    "load_campaign",
    "load_input",
    "load_registry",
    "parse_document",
    "validate_input",
    "write_template",
]
