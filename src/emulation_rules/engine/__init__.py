"""The engines: the criteria compiler (:mod:`.compiler`), the columnar fact table both engines
read (:mod:`.fact_table`), the columnar evaluator that gives every verdict and the explanation
(:mod:`.columnar`), the forward-chaining network of decisions durable-rules runs
(:mod:`.network`), and the durable-rules wrapper that decides eligibility with it (:mod:`.rete`,
the only module that imports ``durable``).

May import: :mod:`emulation_rules.plan` and the base modules. Not input files, results or output.
"""
