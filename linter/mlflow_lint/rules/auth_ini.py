"""MLF5xx: basic_auth.ini, as a file or rendered from the values."""

from __future__ import annotations

from mlflow_lint.rules.base import Rule

RULES: tuple[Rule, ...] = ()
