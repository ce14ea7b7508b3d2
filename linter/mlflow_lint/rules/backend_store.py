"""MLF1xx: the backend store (database URI, upgrades, SQLite)."""

from __future__ import annotations

from mlflow_lint.rules.base import Rule

RULES: tuple[Rule, ...] = ()
