"""Plugins: the hook specifications (:mod:`.spec`, the plugin author's reference), the plugin
manager and its typed facade (:mod:`.manager`), and the registry of campaigns they register
(:mod:`.registry`).

May import: :mod:`emulation_rules.plan` and the base modules (errors, text).
"""
