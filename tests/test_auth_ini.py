"""basic_auth.ini: parsing like configparser, and the three sources (file, rendered, Secret)."""

from __future__ import annotations

import configparser
import json
from pathlib import Path

import pytest

from mlflow_lint import ini_parse

TEXT = """\
# comment
[DEFAULT]
default_permission = EDIT
[mlflow]
Database_URI: sqlite:////data/auth.db
admin_username = admin
admin_password = first
  second

  third
"""


def test_values_match_configparser() -> None:
    parsed = ini_parse.parse(TEXT)
    real = configparser.ConfigParser()
    real.read_string(TEXT)
    options = parsed.section("mlflow")
    assert set(options) == set(real["mlflow"])
    for key, option in options.items():
        assert ini_parse.interpolated(option, options) == real["mlflow"][key]


def test_positions_of_keys_values_and_continuations() -> None:
    options = ini_parse.parse(TEXT).section("mlflow")
    assert (options["database_uri"].line, options["database_uri"].column) == (5, 1)
    assert options["database_uri"].value_lines[0][:2] == (5, 15)
    password = options["admin_password"]
    assert password.position_of(password.value.index("third")) == (10, 3)


@pytest.fixture
def lint_ini(tmp_path: Path, run_cli):
    def run(text: str, *flags: str, name: str = "basic_auth.ini") -> tuple[int, list[dict]]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        code, out, _ = run_cli("--isolated", "--format", "json", *flags, str(path))
        return code, json.loads(out)["findings"]

    return run


def test_file_findings_carry_ini_line_column_and_path(lint_ini) -> None:
    _, findings = lint_ini(
        "[mlflow]\ndefault_permission = READ\ndatabase_uri = postgresql://u:p%40ss@db/auth\n"
        "admin_username = admin\nadmin_password = a-long-random-password\n",
        "--select",
        "MLF504",
    )
    [finding] = findings
    assert (finding["line"], finding["column"], finding["path"]) == (3, 32, "mlflow.database_uri")
    assert finding["file"].endswith("basic_auth.ini")


def test_without_a_version_the_versions_the_problem_holds_for_are_said(lint_ini) -> None:
    _, findings = lint_ini("[mlflow]\ndefault_permission = USE\n", "--select", "MLF507")
    assert "`USE` is not valid for MLflow before 3.12;" in findings[0]["message"]
    _, findings = lint_ini("[mlflow]\ndefault_permission = USE\n", "--select", "MLF507", "--mlflow-version", "3.12.0")
    assert findings == []


def test_inline_suppression_in_ini(lint_ini) -> None:
    text = (
        "[mlflow]\n; mlflow-lint: disable=MLF514 -- read by our fork\nextra_option = 1\n"
        "# mlflow-lint: disable=MLF507 -- nothing\ndefault_permission = READ\n"
    )
    _, findings = lint_ini(text, "--select", "MLF514,MLF507,MLF003")
    assert sorted((f["code"], f["line"], f["suppressed"]) for f in findings) == [
        ("MLF003", 4, False),
        ("MLF514", 3, True),
    ]


def test_type_flag_overrides_the_extension(lint_ini) -> None:
    _, findings = lint_ini(
        "[mlflow]\ndefault_permission = read\n", "--type", "ini", "--select", "MLF507", name="auth.conf"
    )
    assert [f["line"] for f in findings] == [2]
    _, findings = lint_ini("image: {tag: v2.14.1}\n", "--type", "yaml", name="values.ini")
    assert not [f for f in findings if f["code"].startswith("MLF5")]


def test_rendered_ini_reports_at_the_values_line(lint_text) -> None:
    report = lint_text(
        "trackingServer:\n  basicAuth:\n    enabled: true\n    createSecret:\n"
        "      databaseUri: postgresql://u:50%off@db/auth\n      defaultPermission: Read\n"
        "      authorizationFunction: my.module.func\n",
        "--select",
        "MLF504,MLF507,MLF511,MLF512,MLF513",
    )
    found = {(f["code"], f["line"], f["path"]) for f in report["findings"]}
    assert found == {
        ("MLF504", 5, "trackingServer.basicAuth.createSecret.databaseUri"),
        ("MLF507", 6, "trackingServer.basicAuth.createSecret.defaultPermission"),
        ("MLF511", 7, "trackingServer.basicAuth.createSecret.authorizationFunction"),
    }


def test_no_rendered_ini_with_existing_secret(lint_text) -> None:
    report = lint_text(
        "trackingServer:\n  basicAuth:\n    enabled: true\n    existingSecret: mine\n"
        "    createSecret:\n      defaultPermission: Read\n",
        "--select",
        "MLF5",
    )
    assert report["findings"] == []


def test_ini_inside_a_secret_reports_at_manifest_lines(lint_text, tmp_path: Path) -> None:
    manifest = tmp_path / "auth.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: auth\nstringData:\n"
        "  basic_auth.ini: |\n    [mlflow]\n    default_permission = read\n"
        "    database_uri = sqlite:///auth.db\n    admin_username = admin\n"
        "    admin_password = pass\n",
        encoding="utf-8",
    )
    report = lint_text(
        "trackingServer:\n  basicAuth:\n    enabled: true\n    existingSecret: auth\n",
        "--secrets",
        str(manifest),
        "--select",
        "MLF5",
        "--mlflow-version",
        "2.22.0",
    )
    found = {(f["code"], Path(f["file"]).name, f["line"], f["column"]) for f in report["findings"]}
    assert found == {("MLF507", "auth.yaml", 8, 26), ("MLF509", "auth.yaml", 9, 20), ("MLF512", "auth.yaml", 11, 22)}
