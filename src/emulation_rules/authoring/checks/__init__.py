"""``emulation-rules check``: what a plugin author should fix before anyone relies on a campaign.

:func:`check_campaign` runs every check below on one campaign and returns :class:`Problem` s,
each printed as one line ``PLUGIN CAMPAIGN ELEMENT: SEVERITY: message``. An ``error`` makes
``emulation-rules check`` exit with status 1; a ``warning`` does not.

* ``citations`` — every citation names a declared source and has a clause or a quote; an
  interpretation has a note; a citation or source still holding the scaffold's ``TODO``;
* ``usage`` — a parameter no criterion, margin or quota uses, a fact no criterion or ranking
  reads, a scale no fact or parameter names (warnings);
* ``references`` — every fact, parameter and unit type a criterion names is declared and fits
  (the model's own rules, reported through the same channel);
* ``scales`` — every ordinal fact and parameter names a declared scale of at least two distinct
  levels, and every ordinal parameter value is one of its levels;
* ``dates`` — a dated parameter has a value in force when the campaign starts;
* ``awards`` — awards require existing criteria of their kind, quotas are non-negative integer
  parameters, ``after`` names existing awards without a cycle, rankings read declared facts;
* ``reachability`` — a criterion no award requires; a guard (``applies_if``) that can never hold
  or always holds; a rule that can never be met (on its own, or whenever its guard holds); an
  award none of whose criteria can be met;
* ``conflicts`` (in the spirit of Catala's conflict check) — two definitions with one id; an
  award repeating another (same commendation, same criteria); an award requiring two criteria
  whose comparisons of one fact with constants contradict each other (``x >= 90`` and
  ``x < 80``), so that no candidate to which both apply can ever be eligible;
* ``quantities`` — a computed comparison (``compute``) that the declared ranges of its facts
  decide in advance: never met (error) or met whenever its facts are known (warning);
* ``engine_limits`` — whether durable-rules can take the plan: its forward-chaining network is
  built for every date a parameter changes, and a decision beyond the C core's limits (atoms per
  decision, fields per message, children of ``at_least``, decisions per ruleset) is an error
  (``evaluate`` would refuse it; only ``engine="columnar"`` could run it), one close to them a
  warning;
* ``notes`` — a citation note that points to a file the plugin does not hold (``plans.md``): a
  note must stand on its own (warning).

The satisfiability reasoning is an interval / finite-set abstraction of the criteria tree over
comparisons with constants (literals and parameters, every dated value of a parameter counted);
comparisons of two facts are treated as able to hold either way, so a problem is only reported
when it is certain. The conflict check compares the rules of an award's criteria and ignores
their guards, except to skip two criteria whose guards can never hold together.
"""

from emulation_rules.authoring.checks.citations import cited_elements
from emulation_rules.authoring.checks.domain import abstract
from emulation_rules.authoring.checks.findings import Problem
from emulation_rules.authoring.checks.reachability import never_met
from emulation_rules.authoring.checks.runner import CHECKS, check_campaign, check_registry

__all__ = [
    "CHECKS",
    "Problem",
    "abstract",
    "check_campaign",
    "check_registry",
    "cited_elements",
    "never_met",
]
