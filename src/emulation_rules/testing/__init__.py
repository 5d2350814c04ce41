"""The test kit for plugin authors: YAML cases run by pytest (see :mod:`.cases`)."""

from emulation_rules.testing.cases import Case, CaseFailure, CaseFormatError, load_cases, run_case

__all__ = ["Case", "CaseFailure", "CaseFormatError", "load_cases", "run_case"]
