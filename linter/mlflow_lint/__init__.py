"""mlflow-lint: a linter and secret auditor for the values of the MLflow Helm chart."""

from __future__ import annotations

__version__ = "0.1.0"
