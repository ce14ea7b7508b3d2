"""Reading merged values the way templates do: missing keys and nil read as empty."""

from __future__ import annotations

from mlflow_lint.paths import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def get(values: Any, path: Path, default: Any = None) -> Any:
    node = values
    for part in path:
        if isinstance(node, dict):
            if part not in node:
                return default
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return default
    return default if node is None else node


def mapping(values: Any, path: Path) -> dict[Any, Any]:
    """A map the template ranges over; anything else (a schema error, MLF002) as empty, with string
    keys sorted as Go's `range` visits them."""
    found = get(values, path)
    return dict(sorted((str(k), v) for k, v in found.items())) if isinstance(found, dict) else {}


def items(values: Any, path: Path) -> list[Any]:
    """A list the template ranges over; anything else (a schema error, MLF002) as empty."""
    found = get(values, path)
    return found if isinstance(found, list) else []


def text(values: Any, path: Path) -> str:
    """A value inserted with `{{ }}` where the chart expects a string."""
    from mlflow_lint.chart_templates.gotmpl import go_value

    value = get(values, path)
    return "" if value is None else go_value(value)


def merge(base: Any, over: Any) -> Any:
    """Helm's coalescing of user values over chart defaults: maps merge, a user null deletes."""
    if not isinstance(base, dict) or not isinstance(over, dict):
        return over
    out = dict(base)
    for key, value in over.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out
