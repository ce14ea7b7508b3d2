"""The INI interpolation bomb (nested `%(x)s`, ten levels of ten references: about 600 bytes
that configparser expands to 10^10 characters) from every source where configparser's
semantics apply: a basic_auth.ini file, the ini the chart renders from values, and a
basic_auth.ini inside a --secrets manifest, linted and with --probe-plan. Each finishes in
well under a second of CPU time with bounded memory, and reports the bomb (MLF504)."""

from __future__ import annotations

import configparser
import json
import time
import tracemalloc
from pathlib import Path

import pytest

from mlflow_lint import ini_parse

pytestmark = pytest.mark.services  # (offline; the marker lets the audit recorder run)

CPU_SECONDS = 1.0
PEAK_BYTES = 64 << 20


def bomb_lines() -> list[str]:
    lines = ["a = AAAAAAAAAA"]
    for level in range(1, 10):
        below = chr(ord("a") + level - 1)
        lines.append(f"{chr(ord('a') + level)} = " + f"%({below})s" * 10)
    return lines


BOMB = "[mlflow]\n" + "\n".join(bomb_lines()) + "\ndatabase_uri = sqlite:////tmp/%(j)s.db\n"


def test_the_bomb_is_small_and_configparser_alone_would_expand_it():
    assert len(BOMB) < 650
    parser = configparser.ConfigParser()
    parser.read_string(BOMB)
    assert len(parser.get("mlflow", "c")) == 1000  # 10^(level+1): 10^10 characters for database_uri


def _measured(run):
    tracemalloc.start()
    cpu = time.process_time()
    try:
        result = run()
    finally:
        spent = time.process_time() - cpu
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert spent < CPU_SECONDS, spent
    assert peak < PEAK_BYTES, peak
    return result


def _codes(out: str) -> set[str]:
    return {f["code"] for f in json.loads(out)["findings"]}


def test_bomb_in_a_basic_auth_ini_file(run_cli, tmp_path: Path):
    ini = tmp_path / "basic_auth.ini"
    ini.write_text(BOMB)
    code, out, _ = _measured(lambda: run_cli("--isolated", "--format", "json", str(ini)))
    assert code == 1 and "MLF504" in _codes(out)
    assert "expand beyond" in out


def _rendered_values(tmp_path: Path) -> Path:
    values = tmp_path / "values.yaml"
    uri = "sqlite:////tmp/%(j)s.db\n" + "\n".join(bomb_lines())  # newlines become ini lines when rendered
    values.write_text(
        json.dumps(
            {
                "image": {"tag": "v2.14.1"},
                "trackingServer": {
                    "basicAuth": {
                        "enabled": True,
                        "createSecret": {"databaseUri": uri, "adminPassword": "a-long-admin-password"},
                    }
                },
            }
        )
    )
    return values


def test_bomb_in_the_ini_rendered_from_values(run_cli, tmp_path: Path):
    values = _rendered_values(tmp_path)
    code, out, _ = _measured(lambda: run_cli("--isolated", "--format", "json", str(values)))
    assert code == 1 and "MLF504" in _codes(out), out
    _measured(lambda: run_cli("--isolated", "--format", "json", "--probe-plan", str(values)))


def test_bomb_in_a_secrets_manifest(run_cli, tmp_path: Path):
    manifest = tmp_path / "secret.yaml"
    manifest.write_text(
        json.dumps(
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "auth"}, "stringData": {"basic_auth.ini": BOMB}}
        )
    )
    values = tmp_path / "values.yaml"
    values.write_text(
        json.dumps(
            {"image": {"tag": "v2.14.1"}, "trackingServer": {"basicAuth": {"enabled": True, "existingSecret": "auth"}}}
        )
    )
    code, out, _ = _measured(lambda: run_cli("--isolated", "--format", "json", "--secrets", str(manifest), str(values)))
    assert code == 1 and "MLF504" in _codes(out), out
    code, out, _ = _measured(
        lambda: run_cli(
            "--isolated", "--format", "json", "--secrets", str(manifest), "--probe-plan", "--probe", "auth", str(values)
        )
    )
    probes = json.loads(out)["probes"]
    assert probes and "cannot be read as MLflow reads it" in probes[0]["reason"]


def test_bounded_interpolation_matches_configparser_on_ordinary_values():
    text = "[DEFAULT]\nhost = db\n[mlflow]\nuser = Admin\nuri = postgresql://%(user)s@%(host)s/x?p=100%%\n"
    parsed = ini_parse.parse(text)
    options = parsed.section("mlflow")
    parser = configparser.ConfigParser()
    parser.read_string(text)
    assert ini_parse.interpolated(options["uri"], options) == parser.get("mlflow", "uri")
    loop = ini_parse.parse("[mlflow]\na = %(b)s\nb = %(a)s\n").section("mlflow")
    problem = ini_parse.interpolation_problem(loop["a"], loop)
    assert problem is not None and "InterpolationDepthError" in problem.message
