"""Evaluation: ``evaluate`` (:mod:`.evaluate`: validate, compile, run the engines, check they
agree), the allocation under quotas (:mod:`.allocation`), the immutable result (:mod:`.result`)
and target attainment (:mod:`.targets`).

May import: :mod:`emulation_rules.inputs`, :mod:`emulation_rules.engine`,
:mod:`emulation_rules.plugins`, :mod:`emulation_rules.plan` and the base modules. Never output.
"""
