"""The values of one release, merged as Helm merges them, with the origin of each value.

Helm starts from the chart's values.yaml, then coalesces each `-f` file in order and the
`--set` flags last: maps merge key by key, lists and scalars replace, and a `null` deletes
the key (helm/pkg/chartutil `coalesce`). Every value remembers which layer set it, so a
finding points at the user's line, not at the chart's defaults.
"""

from __future__ import annotations

from mlflow_lint.document import Position
from mlflow_lint.finding import Location
from mlflow_lint.paths import Path
from mlflow_lint.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Layer(NamedTuple):
    """One source of values: a file given to the linter, or the `--set` flags."""

    file: str
    data: dict[str, Any]
    positions: dict[Path, Position]


def coalesce(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Helm's merge of `overlay` onto `base` (neither is modified)."""
    out = dict(base)
    for key, value in overlay.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = coalesce(out[key], value)
        else:
            out[key] = _without_nulls(value)
    return out


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    return value


def _copy(value: Any) -> Any:
    """A deep copy of JSON-shaped data (cheaper than importing and running `copy.deepcopy`)."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


class Values:
    """The merged values plus `locate()`, which maps a path back to a layer's line."""

    def __init__(self, defaults: dict[str, Any], layers: list[Layer]) -> None:
        self.layers = layers
        merged = _copy(defaults)
        for layer in layers:
            merged = coalesce(merged, layer.data)
        self.data = merged

    def get(self, path: Path, default: Any = None) -> Any:
        """The merged value at `path`, or `default` when absent (or null)."""
        node: Any = self.data
        for part in path:
            if isinstance(part, int):
                if not isinstance(node, list) or not -len(node) <= part < len(node):
                    return default
            elif not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return default if node is None else node

    def text(self, path: Path) -> str:
        """The value at `path` if it is a non-empty string, else ``""``."""
        value = self.get(path)
        return value if isinstance(value, str) else ""

    def is_set_by_user(self, path: Path) -> bool:
        """True if some layer (not the chart defaults) sets exactly `path`."""
        return any(path in layer.positions for layer in self.layers)

    def locate(self, path: Path, at_key: bool = False) -> Location:
        """Where `path` (or its nearest ancestor) was set; the last layer wins."""
        for depth in range(len(path), -1, -1):
            prefix = path[:depth]
            for layer in reversed(self.layers):
                pos = layer.positions.get(prefix)
                if pos is None:
                    continue
                if at_key and pos.key_line and depth == len(path):
                    return Location(layer.file, pos.key_line, pos.key_column)
                if depth < len(path) and pos.key_line:
                    return Location(layer.file, pos.key_line, pos.key_column)
                return Location(layer.file, pos.line, pos.column)
        first = self.layers[0].file if self.layers else ""
        return Location(first, 1, 1)
