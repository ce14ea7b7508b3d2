"""MLF6xx: `extraEnv` and `trackingServer.extraArgs`."""

from __future__ import annotations

from mlflow_lint.rules.base import Rule

RULES: tuple[Rule, ...] = ()
