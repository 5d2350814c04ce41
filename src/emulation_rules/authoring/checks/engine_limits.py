"""Engine limits: whether durable-rules can take the plan, said before anyone runs ``evaluate``.

The campaign is compiled with the parameter values in force on each date a value changes (the
network's shape can follow a parameter, e.g. the window of a yearly series), and its
forward-chaining network is built (:func:`emulation_rules.engine.network.build_network`), which
checks the C core's limits: atoms per decision, fields per message, children of ``at_least``,
decisions per ruleset. A plan beyond them is an ``error``: ``evaluate`` would refuse it with the
same message, and only ``engine="columnar"`` could run it. A network close to a limit (within a
fifth of it) is a ``warning``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from emulation_rules.authoring.checks.findings import Finding
from emulation_rules.engine.compiler import compile_plan
from emulation_rules.engine.network import (
    MAX_ALPHA,
    MAX_DECISIONS,
    MAX_FIELDS,
    Network,
    build_network,
)
from emulation_rules.errors import EngineError
from emulation_rules.plan.campaign import Campaign


def _dates(campaign: Campaign) -> list[dt.date]:
    days = {campaign.period.start}
    for p in campaign.parameters:
        days |= {d for d in (p.values or {}) if campaign.period.start <= d <= campaign.period.end}
    return sorted(days)


def check_engine_limits(campaign: Campaign) -> Iterator[Finding]:
    if not campaign.criteria or not campaign.awards:
        return
    reported: set[str] = set()
    for day in _dates(campaign):
        try:
            plan = compile_plan(campaign, day)
        except Exception:  # a plan that does not compile is reported by the other checks
            continue
        try:
            network = build_network(plan)
        except EngineError as exc:
            message = (
                f"beyond what durable-rules can take: {exc} (evaluate refuses it with "
                "engine='both'; split the criterion or write it with fewer children)"
            )
            if message not in reported:
                reported.add(message)
                yield "campaign", "error", message
            continue
        except Exception:  # an inconsistent plan: reported by the other checks
            continue
        for message in _close_to_limits(network):
            if message not in reported:
                reported.add(message)
                yield "campaign", "warning", message


def _close_to_limits(network: Network) -> Iterator[str]:
    if len(network.decisions) > 0.8 * MAX_DECISIONS:
        yield (
            f"the durable-rules network has {len(network.decisions)} decisions, close to its "
            f"limit of {MAX_DECISIONS}"
        )
    for d in network.decisions:
        atoms = len({(f, op, str(r)) for _, _, t in d.rules for f, op, r in t})
        if atoms > 0.8 * MAX_ALPHA or len(d.fields) > 0.8 * MAX_FIELDS:
            yield (
                f"{d.label} is close to durable-rules' limits ({atoms} of {MAX_ALPHA} atoms, "
                f"{len(d.fields)} of {MAX_FIELDS} fields)"
            )
