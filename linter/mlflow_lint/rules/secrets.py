"""MLF3xx: the secret auditor (plaintext credentials, weak passwords, placeholders)."""

from __future__ import annotations

from mlflow_lint.rules.base import Rule

RULES: tuple[Rule, ...] = ()
