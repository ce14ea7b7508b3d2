"""What a rule sees: the merged values of one release and what is known around them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlflow_lint.charts import Chart
from mlflow_lint.config import Settings
from mlflow_lint.release import Values
from mlflow_lint.versions import MlflowVersion


@dataclass
class Context:
    """Inputs of every rule; rules read it and never change it."""

    values: Values
    chart: Chart
    mlflow: MlflowVersion
    settings: Settings
    extras: dict[str, Any] = field(default_factory=dict)  # e.g. "secrets": resolved manifests

    @property
    def revision(self) -> str:
        return self.chart.name

    @property
    def is_v1(self) -> bool:
        return self.chart.name == "seed-v1"
