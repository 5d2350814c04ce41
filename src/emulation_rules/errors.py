"""The exceptions the library raises. Every message names what is wrong and where."""

from __future__ import annotations


class EmulationRulesError(Exception):
    """Base class of every error this library raises on purpose."""


class PlanError(EmulationRulesError):
    """A campaign document (YAML plan) is malformed: the message names the file and the key."""


class PluginError(EmulationRulesError):
    """A plugin failed to load or raised in a hook: the message names the plugin and the hook."""


class RegistryError(EmulationRulesError):
    """Two campaigns share an id, or a campaign id is unknown."""


class InputError(EmulationRulesError):
    """Candidate input is invalid: the message names the row or candidate, field and rule."""


class OverrideError(EmulationRulesError):
    """An override names no parameter of the campaign or gives a value of the wrong type."""


class OutputError(EmulationRulesError):
    """An output file cannot be written; nothing is left behind."""


class EvaluationError(EmulationRulesError):
    """An evaluation cannot run as asked (for example an as_of date before the campaign starts)."""


class EngineError(EmulationRulesError):
    """The rule engine lost, duplicated or corrupted a verdict: the run is refused whole."""


class EngineDisagreement(EngineError):
    """The columnar evaluator and the durable-rules ruleset disagree on some candidates."""

    def __init__(self, award_candidates: list[tuple[str, str, str, str]]) -> None:
        self.disagreements = award_candidates
        shown = "; ".join(
            f"{cid} on {award}: columnar={a}, rete={b}"
            for cid, award, a, b in award_candidates[:10]
        )
        more = "" if len(award_candidates) <= 10 else f" (+{len(award_candidates) - 10} more)"
        super().__init__(
            f"the two engines disagree for {len(award_candidates)} verdict(s): {shown}{more}"
        )
