"""What a rule sees: the merged values of one release and what is known around them."""

from __future__ import annotations

from mlflow_lint.charts import Chart
from mlflow_lint.config import Settings
from mlflow_lint.release import Values
from mlflow_lint.versions import MlflowVersion

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Context:
    """Inputs of every rule; rules read it and never change it (the engine fills `extras`)."""

    __slots__ = ("chart", "extras", "mlflow", "settings", "values")

    def __init__(self, values: Values, chart: Chart, mlflow: MlflowVersion, settings: Settings,
                 extras: dict[str, Any] | None = None) -> None:
        self.values = values
        self.chart = chart
        self.mlflow = mlflow
        self.settings = settings
        self.extras: dict[str, Any] = {} if extras is None else extras  # e.g. "secrets": manifests

    @property
    def revision(self) -> str:
        return self.chart.name

    @property
    def is_v1(self) -> bool:
        return self.chart.name == "seed-v1"
