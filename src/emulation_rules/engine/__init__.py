"""The engines: the criteria compiler (:mod:`.compiler`), the columnar fact table both engines
read (:mod:`.fact_table`), the columnar evaluator that gives every verdict and the explanation
(:mod:`.columnar`), and the durable-rules wrapper that decides eligibility (:mod:`.rete`, the
only module that imports ``durable``).

May import: :mod:`emulation_rules.plan` and the base modules. Not input files, results or output.
"""
