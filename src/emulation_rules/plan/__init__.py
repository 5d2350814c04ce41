"""The plan: a campaign as validated, immutable, cited data.

Holds the campaign model (:mod:`.campaign` with its parts :mod:`.citations`, :mod:`.facts`,
:mod:`.scoreboard`, :mod:`.targets`), the criteria language (:mod:`.criteria`), the YAML loader
(:mod:`.loader`), citations resolved against sources (:mod:`.citing`) and content digests
(:mod:`.digest`).

May import: :mod:`emulation_rules.errors`, :mod:`emulation_rules.text`. It is the lowest layer:
nothing here knows about plugins, engines, input, results or output.
"""
