"""Helpers for the probe tests: write values, run `mlflow-lint --probe --format json`, pick results."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

DEADLINE = 2.0  # the --probe-timeout of the never-answering-server tests
# What the deadline may be exceeded by: thread start and SDK imports, on a 2-core machine other
# test runs load as well. Generous on purpose: a deadline that is not enforced shows as a run
# that waits on the never-answering server far longer (the OS gives up after minutes).
MARGIN = 8.0


@pytest.fixture
def probe_run(tmp_path: Path, run_cli):
    """probe_run(values_dict, *flags) -> (exit code, report dict, seconds)."""

    def run(values: dict[str, Any], *flags: str) -> tuple[int, dict[str, Any], float]:
        path = tmp_path / "values.yaml"
        path.write_text(json.dumps(values, indent=2), encoding="utf-8")  # JSON is YAML
        start = time.monotonic()
        code, out, err = run_cli("--isolated", "--format", "json", *flags, str(path))
        seconds = time.monotonic() - start
        assert out, err
        return code, json.loads(out), seconds

    return run


def only(report: dict[str, Any], name: str) -> dict[str, Any]:
    """The single probe result called `name`."""
    found = [p for p in report.get("probes", []) if p["name"] == name]
    assert len(found) == 1, report.get("probes")
    return found[0]


def v2(**sections: Any) -> dict[str, Any]:
    """A seed-chart v2 values dict (image v2.14.1) with the given top-level sections."""
    values: dict[str, Any] = {"image": {"tag": "v2.14.1"}, "trackingServer": {"mode": "no-serve-artifacts"}}
    for key, value in sections.items():
        if isinstance(value, dict) and isinstance(values.get(key), dict):
            values[key] = {**values[key], **value}
        else:
            values[key] = value
    return values


def env(**pairs: str) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in pairs.items()]
