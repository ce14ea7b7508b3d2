"""MLF4xx: the server and what the chart renders for it (modes, basic auth, host, ingress)."""

from __future__ import annotations

from mlflow_lint.rules.base import Rule

RULES: tuple[Rule, ...] = ()
