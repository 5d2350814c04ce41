"""Output for people and programs: results as a table or CSV (:mod:`.results`), one candidate
explained (:mod:`.explain`), a campaign shown (:mod:`.campaign`), targets (:mod:`.targets`), their
shared helpers (:mod:`.common`) and atomic files (:mod:`.files`).

May import: :mod:`emulation_rules.evaluation` and every layer below it.
"""
