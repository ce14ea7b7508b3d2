"""MLF2xx: the artifact store (roots, destinations, providers, credentials sources)."""

from __future__ import annotations

from mlflow_lint.rules.base import Rule

RULES: tuple[Rule, ...] = ()
