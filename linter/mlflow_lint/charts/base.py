"""The adapter interface: what one chart family gives the linter.

An adapter is one module under `charts/` that exports `ADAPTERS`, a tuple of `Adapter`
records (one per chart revision it knows). Each record says:
- `name`: what `--chart` and the `chart` config key take (`seed-v2`, `community` ...);
- `detect(data) -> Detection`: how sure it is that a values mapping targets this chart
  (0 = not at all), and the marker keys that made it sure (for messages);
- `schema`: the file name of its JSON Schema under `schemas/` (defaults come from the
  schema's `default`s), or "" when the chart has no schema here yet;
- `build(values, chart) -> Deployment`: the values rendered as the chart renders them, or
  None when the chart is recognised but not modelled yet (the engine then says so instead
  of linting it against another chart's keys).
The rules about the chart's own templates live next to it (`seed_rules.py` for the seed
chart) and are listed in their family's `RULES` like any rule.
"""

from __future__ import annotations

from collections.abc import Callable

from mlflow_lint.paths import Path
from mlflow_lint.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.charts import Chart
    from mlflow_lint.deployment import Deployment
    from mlflow_lint.release import Values


class Detection(NamedTuple):
    """How sure an adapter is (0..1) and the keys that told it."""

    confidence: float
    markers: tuple[Path, ...] = ()


class Adapter(NamedTuple):
    """One chart (revision) the linter knows."""

    name: str
    family: str
    title: str  # how messages and `--help` name it
    detect: Callable[[dict[str, Any]], Detection]
    schema: str = ""
    build: Callable[[Values, Chart], Deployment] | None = None
    app_version: str = ""  # the MLflow version of the chart's default image
    chart_version: str = ""  # the chart version its facts describe

    @property
    def modelled(self) -> bool:
        return self.build is not None and bool(self.schema)


def has(data: Any, path: Path) -> bool:
    """Whether `path` exists in nested mappings `data`."""
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def markers_found(data: dict[str, Any], markers: tuple[Path, ...]) -> tuple[Path, ...]:
    return tuple(path for path in markers if has(data, path))
