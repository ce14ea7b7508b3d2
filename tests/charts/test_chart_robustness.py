"""Values of the wrong type never crash an adapter or a rule (the schema reports them, MLF002).

Every key of each chart's defaults gets, in turn, a list, a map and a string: the adapter must
still build a Deployment; and a lint of each key that holds a map or a list (what templates and
rules range over) must end with a report, never an internal error. A URI made of such a value
(`s3://map[a:[1]]`) once crashed the URI parser: it no longer does.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mlflow_lint.charts import BY_NAME, load_chart
from mlflow_lint.cli import main
from mlflow_lint.release import Layer, Values

CHARTS = ("community", "bitnami", "official")
WRONG: tuple[Any, ...] = ([1, {"a": 1}], {"a": [1]}, "x")  # numbers and booleans: as harmless as "x"


def key_paths(data: dict[str, Any], prefix: tuple[str, ...] = (), depth: int = 99) -> Iterator[tuple[str, ...]]:
    for key, value in data.items():
        yield (*prefix, key)
        if isinstance(value, dict) and len(prefix) + 1 < depth:
            yield from key_paths(value, (*prefix, key), depth)


def replaced(data: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    node = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return out


def _at(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def defaults(name: str) -> dict[str, Any]:
    data = copy.deepcopy(load_chart(name).defaults)
    if name == "official":
        data["mlflow"]["backendStoreUri"] = "postgresql://db.internal/mlflow"  # required by the chart
    return data


@pytest.mark.parametrize("name", CHARTS)
def test_adapter_builds_whatever_the_types(name: str) -> None:
    chart, base = load_chart(name), defaults(name)
    for path in key_paths(base):
        for value in WRONG:
            data = replaced(base, path, value)
            BY_NAME[name].build(Values({}, [Layer("values.yaml", data, {})]), chart)  # must not raise


@pytest.mark.parametrize("name", CHARTS)
def test_lint_reports_whatever_the_types(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "values.yaml"
    base = load_chart(name).defaults
    containers = [k for k in key_paths(base, depth=3) if isinstance(_at(base, k), (dict, list))]  # what is ranged over
    for key in containers:
        for value in WRONG:
            nested: Any = value
            for part in reversed(key):
                nested = {part: nested}
            path.write_text(json.dumps(nested), encoding="utf-8")
            code = main(["--isolated", "--chart", name, "--format", "json", str(path)])
            out, err = capsys.readouterr()
            assert code in (0, 1) and "internal error" not in err, (key, value, err)
            json.loads(out)
