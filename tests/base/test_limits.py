"""Limits as data: defaults, the environment variable, and malformed settings refused."""

from __future__ import annotations

import pytest

from emulation_rules.limits import LimitError, Limits, current_limits, parse_limits


def test_defaults_hold_without_the_variable() -> None:
    assert current_limits({}) == Limits()


def test_the_variable_changes_named_limits_only() -> None:
    limits = current_limits({"EMULATION_RULES_LIMITS": "max_candidates=10, max_json_depth=8"})
    assert (limits.max_candidates, limits.max_json_depth) == (10, 8)
    assert limits.max_string_length == Limits().max_string_length


@pytest.mark.parametrize(
    "text",
    ["max_candidates", "nope=3", "max_candidates=-1", "max_candidates=0", "max_json_depth=x"],
)
def test_a_malformed_setting_is_refused_by_name(text: str) -> None:
    with pytest.raises(LimitError, match=r"EMULATION_RULES_LIMITS|positive integer"):
        parse_limits(text)
