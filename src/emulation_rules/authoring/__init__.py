"""For plugin authors: the scaffold of a new plugin and its templates (:mod:`.scaffold`) and
the load-time checks of ``emulation-rules check`` (:mod:`.checks`, one module per kind).

May import: :mod:`emulation_rules.testing` and every layer below it. The command line sits above.
"""
