"""emulation-rules: Vietnamese administrative-reform emulation plans as executable, explainable,
cited rules.

>>> import emulation_rules as er
>>> registry = er.load_registry()
>>> campaign = registry.campaign("an_giang.papi_2021")
>>> result = er.evaluate(campaign, registry.entry(campaign.id).sample_document())
>>> result.allocation("bang_khen_tap_the").awarded   # doctest: +SKIP
"""

from .candidates import CandidateIn, InputDocument, parse_document, validate_input
from .errors import (
    EmulationRulesError,
    EngineDisagreement,
    EngineError,
    EvaluationError,
    InputError,
    OverrideError,
    PlanError,
    PluginError,
    RegistryError,
)
from .evaluate import evaluate
from .hookspecs import hookimpl
from .plan_loader import load_campaign
from .plan_model import Award, Campaign, Citation, Criterion, Fact, Parameter, Scale, Source
from .registry import Registry, load_registry
from .result import CandidateResult, CriterionVerdict, Result

__all__ = [
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
    "OverrideError",
    "Parameter",
    "PlanError",
    "PluginError",
    "Registry",
    "RegistryError",
    "Result",
    "Scale",
    "Source",
    "evaluate",
    "hookimpl",
    "load_campaign",
    "load_registry",
    "parse_document",
    "validate_input",
]
