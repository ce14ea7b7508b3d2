"""MLF7xx: Kubernetes Secret manifests and the existingSecret references they resolve."""

from __future__ import annotations

from mlflow_lint.rules.base import Rule

RULES: tuple[Rule, ...] = ()
