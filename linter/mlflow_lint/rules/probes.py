"""MLF9xx: live probes (findings made from probe results)."""

from __future__ import annotations

from mlflow_lint.rules.base import Rule

RULES: tuple[Rule, ...] = ()
