"""The catalogue is consistent: unique codes and names, documented, covered by cases."""

from __future__ import annotations

import re

import pytest

from mlflow_lint.rules import ALL_RULES
from mlflow_lint.rules.base import DOC_HEADINGS
from tests.rules.test_cases import CASES, expected

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def test_codes_and_names_are_unique_and_well_formed() -> None:
    codes = [r.code for r in ALL_RULES]
    names = [r.name for r in ALL_RULES]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"MLF\d{3}", c) for c in codes)
    assert all(KEBAB.match(n) and not n.startswith("no-") for n in names)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_is_documented(rule) -> None:
    assert rule.summary, f"{rule.code} has no summary line"
    for heading in DOC_HEADINGS:
        assert heading in rule.doc, f"{rule.code} docs lack {heading!r}"


@pytest.mark.parametrize("rule", [r for r in ALL_RULES if r.check is not None], ids=lambda r: r.code)
def test_rule_has_failing_and_passing_cases(rule) -> None:
    files = [p for p in (CASES / rule.code).glob("*") if p.suffix in (".yaml", ".yml", ".ini")]
    assert any(expected(p, rule.code) for p in files), f"{rule.code} has no failing case"
    assert any(not expected(p, rule.code) for p in files), f"{rule.code} has no passing case"
