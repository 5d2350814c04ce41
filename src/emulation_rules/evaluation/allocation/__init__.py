"""Allocation: who takes an award's seats, and which of those seats the missing facts could still
change.

``allocate.py`` orders the awards and allocates each (per group), ``spec.py`` reads an award's
quota (a count or a share, with its rounding), groups and cap, ``keys.py`` turns ranking keys into
comparable codes (with the best and worst value a missing one could take), ``counting.py`` counts
the competitors at or above a position under a cap, ``model.py`` holds the immutable
:class:`~emulation_rules.evaluation.allocation.model.Allocation`, and ``depends.py`` names the
missing facts a candidate's place depends on.

May import from ``inputs``, ``engine``, ``plan`` and the base modules.
"""
