"""The rule catalogue.

How to add a rule:
1. Pick the next free code in the family (`MLF0xx` the file itself, `1xx` backend store,
   `2xx` artifact store, `3xx` secrets, `4xx` server and chart, `5xx` basic_auth.ini,
   `6xx` extraEnv and extraArgs, `7xx` Secret manifests, `8xx` the published charts'
   own templates (charts/published_rules.py), `9xx` probes) and a
   kebab-case name that names the bad pattern (`plaintext-db-password`, not
   `no-plaintext-password`). Codes are never reused: a retired code goes to REDIRECTS.
2. Write a generator `def check(ctx: Context) -> Iterator[Hit]` in the family's module,
   decorated with `@rule(code=..., name=..., severity=...)`. Its docstring is the user
   documentation: a one-line summary, then `Why it matters:`, `Example:` and `Fix:`.
   It reads `ctx.deployment` (what `mlflow server` gets, any chart; docs/design.md), never
   a chart key: a rule about one chart's templates lives with its adapter in `charts/`.
3. Add it to the module's `RULES` tuple (the modules are listed below, explicitly).
4. Add `tests/rules/cases/<CODE>/` with at least one failing file (offending lines end
   with `# expect: <CODE>`) and one passing file. `tests/rules/test_registry.py` fails
   until all four steps are done.
"""

from __future__ import annotations

from mlflow_lint.charts import published_rules
from mlflow_lint.rules import (
    artifact_store,
    backend_store,
    basic_auth_ini,
    environment,
    file,
    probe_results,
    secret_manifests,
    secrets,
    server,
)
from mlflow_lint.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (
    *file.RULES,
    *backend_store.RULES,
    *artifact_store.RULES,
    *secrets.RULES,
    *server.RULES,
    *basic_auth_ini.RULES,
    *environment.RULES,
    *secret_manifests.RULES,
    *published_rules.RULES,
    *probe_results.RULES,
)

REDIRECTS: dict[str, str] = {}  # retired code -> current code

BY_CODE = {r.code: r for r in ALL_RULES}
BY_NAME = {r.name: r for r in ALL_RULES}


def lookup(code_or_name: str) -> Rule | None:
    """The rule with this code or name (case-insensitive), following redirects."""
    key = code_or_name.strip()
    key = REDIRECTS.get(key.upper(), key)
    return BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())


def selects(selector: str, code: str, name: str) -> int:
    """How specifically a selector (a name, a code or a code prefix) picks a rule.

    0: not at all; otherwise the prefix length, and a name beats any prefix, so that the
    longest match decides between `select` and `ignore` (flake8's rule).
    """
    if selector.lower() == name:
        return 1000
    return len(selector) if selector and code.startswith(selector.upper()) else 0


def is_selector(selector: str) -> bool:
    """A rule name, a code, or a prefix of `MLF` codes that picks at least one rule."""
    text = selector.strip()
    if lookup(text) is not None:
        return True
    return text.upper().startswith("MLF") and any(selects(text, r.code, r.name) for r in ALL_RULES)
