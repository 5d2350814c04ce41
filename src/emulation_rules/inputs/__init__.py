"""Candidates in: the input document and its validation into a fact table
(:mod:`.candidates`, :mod:`.scores`), the readers of input files (:mod:`.files`) and the JSON
Schema of a campaign's input (:mod:`.schema`).

May import: :mod:`emulation_rules.engine` (the fact table it builds), :mod:`emulation_rules.plan`
and the base modules.
"""
