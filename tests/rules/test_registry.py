"""The catalogue is consistent: unique codes and names, documented, covered by cases."""

from __future__ import annotations

import re

import pytest

from mlflow_lint.rules import ALL_RULES, BY_CODE
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


def test_rule_functions_are_named_after_their_rules() -> None:
    """`def plaintext_credential` is the rule `plaintext-credential`: a traceback or a grep finds the rule."""
    named = {r.code: r.check.__name__ for r in ALL_RULES if r.check is not None}
    assert {code: name for code, name in named.items() if name != BY_CODE[code].name.replace("-", "_")} == {}


def test_rule_modules_are_named_after_their_families() -> None:
    """Each family's rules live in modules named for it (the catalogue in rules/__init__.py lists them)."""
    families = {
        "0": {"file"},
        "1": {"backend_store", "server_startup"},
        "2": {"artifact_store", "seed_rules"},
        "3": {"secrets"},
        "4": {"server", "server_startup", "seed_rules"},
        "5": {"basic_auth_ini", "basic_auth_ini_values"},
        "6": {"environment", "environment_values", "server_options", "server_option_values", "server_startup"},
        "7": {"secret_manifests"},
        "8": {"published_rules"},
        "9": {"probe_results"},
    }
    for rule in (r for r in ALL_RULES if r.check is not None):  # the others are the engine's own findings
        module = rule.check.__module__.rsplit(".", 1)[-1]
        assert module in families[rule.code[3]], f"{rule.code} lives in {module}"
