"""The test kit for plugin authors: YAML cases run by pytest (see :mod:`.cases`)."""

from .cases import Case, CaseFailure, CaseFormatError, load_cases, run_case

__all__ = ["Case", "CaseFailure", "CaseFormatError", "load_cases", "run_case"]
