"""What a rule sees: the merged values of one release and what is known around them."""

from __future__ import annotations

from mlflow_lint.charts import Chart
from mlflow_lint.config import Settings
from mlflow_lint.release import Values
from mlflow_lint.versions import MlflowVersion

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.deployment import Deployment


class Context:
    """Inputs of every rule; rules read it and never change it (the engine fills `extras`)."""

    __slots__ = ("_deployment", "chart", "extras", "mlflow", "settings", "values")

    def __init__(
        self,
        values: Values,
        chart: Chart,
        mlflow: MlflowVersion,
        settings: Settings,
        extras: dict[str, Any] | None = None,
        deployment: Deployment | None = None,
    ) -> None:
        self.values = values
        self.chart = chart
        self.mlflow = mlflow
        self.settings = settings
        self.extras: dict[str, Any] = {} if extras is None else extras  # e.g. "secrets": manifests
        self._deployment = deployment

    @property
    def deployment(self) -> Deployment:
        """What `mlflow server` gets: built by the chart's adapter on first use, with the
        Secrets given by `--secrets` filled in (see deployment.py)."""
        if self._deployment is None:
            from mlflow_lint.charts import build_deployment

            self._deployment = build_deployment(self.values, self.chart, self.extras.get("secrets"))
        return self._deployment

    @property
    def has_deployment(self) -> bool:
        """A model exists or an adapter can build one (not so for manifests with no `mlflow server`)."""
        from mlflow_lint.charts import BY_NAME

        return self._deployment is not None or self.chart.name in BY_NAME

    @property
    def revision(self) -> str:
        return self.chart.name

    @property
    def is_v1(self) -> bool:
        return self.chart.name == "seed-v1"
