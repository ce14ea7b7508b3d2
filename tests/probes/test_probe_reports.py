"""Probe results in every format, and suppression directives that name probe codes.

Three real probes in one release: the PostgreSQL backend (`ok`), the auth database on a
server that accepts and closes (`error`), and an S3 root whose Secret was not given
(`skipped`); a fourth release points the backend at PostgreSQL with a wrong password (`fail`).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.formatters.test_sarif import assert_valid

from .conftest import v2

DIRECTIVE = "  # mlflow-lint: disable=MLF901 -- proven by the deploy job"


def release(postgres, blackhole, password: str | None = None) -> dict[str, Any]:
    closing = f"postgresql+psycopg://u:p@{blackhole.host}:{blackhole.closing_port}/auth"
    return v2(
        backendStore={"createSecret": {"backendStoreUri": postgres.url(password=password)}},
        trackingServer={
            "defaultArtifactRoot": "s3://bucket/exp",
            "basicAuth": {"enabled": True, "createSecret": {"databaseUri": closing, "authorizationFunction": ""}},
        },
        artifactStore={"s3": {"enabled": True, "existingSecret": "not-given"}},
    )


@pytest.fixture
def rendered(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """rendered(values, fmt, *flags) -> (exit code, output) from tmp_path (relative file names)."""
    monkeypatch.chdir(tmp_path)

    def run(values: dict[str, Any], fmt: str, *flags: str) -> tuple[int, str]:
        Path("values.yaml").write_text(json.dumps(values, indent=2), encoding="utf-8")
        code, out, _ = run_cli("--isolated", "--format", fmt, "--select", "MLF9", "--probe", *flags, "values.yaml")
        return code, out

    return run


@pytest.mark.services
def test_sarif_lists_every_probe_as_a_notification(rendered, postgres_server, blackhole_server):
    _, out = rendered(release(postgres_server, blackhole_server), "sarif")
    log = json.loads(out)
    assert_valid(log)
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    by_name = {n["properties"]["probe"]["name"]: n for n in notes}
    assert {k: (n["properties"]["probe"]["status"], n["level"]) for k, n in by_name.items()} == {
        "database": ("ok", "note"),
        "auth_db": ("error", "warning"),
        "s3": ("skipped", "note"),
    }
    db = by_name["database"]
    assert db["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "values.yaml"
    assert db["locations"][0]["physicalLocation"]["region"]["startLine"] > 1
    assert postgres_server.password[:8] not in out
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["MLF902"]  # findings unchanged


@pytest.mark.services
def test_sarif_failed_probe_is_an_error_notification_and_a_result(rendered, postgres_server, blackhole_server):
    _, out = rendered(release(postgres_server, blackhole_server, password="wrong-password-1"), "sarif", "db")
    log = json.loads(out)
    assert_valid(log)
    [note] = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert (note["level"], note["properties"]["probe"]["status"]) == ("error", "fail")
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["MLF901"]
    assert "wrong-pas" not in out


@pytest.mark.services
def test_github_notices_and_a_group(rendered, postgres_server, blackhole_server):
    _, out = rendered(release(postgres_server, blackhole_server), "github")
    lines = out.splitlines()
    notices = [line for line in lines if line.startswith("::notice ")]
    assert len(notices) == 2  # ok and skipped; the error is an MLF902 annotation
    assert any("title=probe database ok" in n and "file=values.yaml,line=" in n for n in notices)
    assert any("title=probe s3 skipped" in n and "--secrets" in n for n in notices)
    assert [line.split(" ", 1)[0] for line in lines if "MLF902" in line] == ["::warning"]
    start, end = lines.index("::group::mlflow-lint probes"), lines.index("::endgroup::")
    assert len(lines[start + 1 : end]) == 4 and lines[end - 1].strip() == "1 ok, 0 fail, 1 error, 1 skipped"
    assert all(not line.startswith("::") for line in lines[start + 1 : end])
    assert postgres_server.password[:8] not in out


@pytest.mark.services
def test_junit_probe_suite(rendered, postgres_server, blackhole_server):
    _, out = rendered(release(postgres_server, blackhole_server), "junit")
    suite = ET.fromstring(out).find("testsuite[@name='mlflow-lint probes']")
    assert suite is not None
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"database (backend store)", "auth_db (auth database)", "s3 (default artifact root)"}
    assert [child.tag for child in cases["database (backend store)"]] == ["system-out"]
    assert [child.tag for child in cases["auth_db (auth database)"]] == ["error"]
    assert [child.tag for child in cases["s3 (default artifact root)"]] == ["skipped"]
    counts = [suite.get(key) for key in ("tests", "errors", "failures", "skipped")]
    assert counts == ["3", "1", "0", "1"]
    assert cases["database (backend store)"].get("file") == "values.yaml"
    _, out = rendered(release(postgres_server, blackhole_server, password="wrong-password-1"), "junit", "db")
    suite = ET.fromstring(out).find("testsuite[@name='mlflow-lint probes']")
    assert suite is not None and [c.tag for c in suite.findall("testcase/*")] == ["failure"]
    assert "wrong-pas" not in out


def test_no_probe_suite_notification_or_group_without_probe(run_cli, tmp_path):
    path = tmp_path / "values.yaml"
    path.write_text("image:\n  tag: v2.14.1\n", encoding="utf-8")
    outs = {fmt: run_cli("--isolated", "--format", fmt, str(path))[1] for fmt in ("sarif", "github", "junit")}
    assert "toolExecutionNotifications" not in outs["sarif"]
    assert "::group::" not in outs["github"] and "::notice" not in outs["github"]
    assert "mlflow-lint probes" not in outs["junit"]


def _values_with_directive() -> str:
    return (
        "image:\n  tag: v2.14.1\nbackendStore:\n  createSecret:\n"
        "    backendStoreUri: postgresql+psycopg://u:p@db.example:5432/mlflow" + DIRECTIVE + "\n"
    )


@pytest.mark.parametrize("flags", [(), ("--probe-plan",)])
def test_probe_directive_is_not_unused_when_probes_did_not_run(lint_text, flags):
    report = lint_text(_values_with_directive(), "--select", "MLF003,MLF9", *flags)
    assert [f["code"] for f in report["findings"]] == []


@pytest.mark.services
def test_probe_directive_unused_or_used_when_probes_ran(lint_text, blackhole_server):
    closing = f"{blackhole_server.host}:{blackhole_server.closing_port}"
    text = _values_with_directive().replace("db.example:5432", closing)
    report = lint_text(text, "--select", "MLF003,MLF9", "--probe", "db")
    assert [(f["code"], f["suppressed"]) for f in report["findings"]] == [("MLF003", False), ("MLF902", False)]
    report = lint_text(text.replace("MLF901", "MLF902"), "--select", "MLF003,MLF9", "--probe", "db")
    assert [(f["code"], f["suppressed"]) for f in report["findings"]] == [("MLF902", True)]
