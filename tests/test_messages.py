"""Messages that must not contradict each other or mislead (issue 16)."""

from __future__ import annotations

import json
from pathlib import Path

AUTH_ON = "trackingServer:\n  basicAuth:\n    enabled: true\n"


def test_following_mlf401s_hint_does_not_trigger_mlf624(lint_text) -> None:
    before = {f["code"] for f in lint_text(AUTH_ON)["findings"]}
    after = lint_text(AUTH_ON + "  extraArgs:\n    - --app-name=basic-auth\n")["findings"]
    assert "MLF401" in before
    assert not {"MLF401", "MLF623", "MLF624"} & {f["code"] for f in after}


def test_another_app_name_in_extra_args_is_still_reported(lint_text) -> None:
    codes = {f["code"] for f in lint_text(AUTH_ON + "  extraArgs:\n    - --app-name=mlflow.server:app\n")["findings"]}
    assert "MLF623" in codes


def test_a_password_in_the_tracking_uri_gets_a_hint_about_that_uri(lint_text) -> None:
    text = "extraEnv:\n  - name: MLFLOW_TRACKING_URI\n    value: http://u:Zk4qPw8RtVx2Lm9N@mlflow:5000\n"
    [finding] = [f for f in lint_text(text)["findings"] if f["code"] == "MLF302"]
    assert "database" not in finding["hint"] and "MLFLOW_TRACKING_URI" in finding["hint"]
    text = "extraEnv:\n  - name: MLFLOW_BACKEND_STORE_URI\n    value: postgresql://u:Zk4qPw8RtVx2Lm9N@db/mlflow\n"
    [finding] = [f for f in lint_text(text)["findings"] if f["code"] == "MLF302"]
    assert "database URI" in finding["hint"]


def test_a_value_typed_by_set_gets_the_set_string_hint(run_cli, tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("replicaCount: 1\n")
    code, out, _ = run_cli("--isolated", "--format", "json", "-f", str(values), "--set", "nameOverride=12")
    [finding] = json.loads(out)["findings"]
    assert code == 1 and finding["code"] == "MLF002"
    assert finding["hint"].startswith("use `--set-string nameOverride=...` instead of `--set`")
    values.write_text("nameOverride: 12\n")  # in a file, quoting is the fix
    _, out, _ = run_cli("--isolated", "--format", "json", str(values))
    assert json.loads(out)["findings"][0]["hint"].startswith("quote the value")


def test_mlf505_masks_the_value_not_the_key_name(run_cli, tmp_path: Path) -> None:
    ini = tmp_path / "basic_auth.ini"
    ini.write_text(
        "[mlflow]\ndefault_permission = READ\ndatabase_uri = sqlite:////data/auth.db\n"
        "admin_username = admin\nadmin_password = password1234 # rotated in May\n"
    )
    _, out, _ = run_cli("--isolated", "--format", "json", str(ini))
    [finding] = [f for f in json.loads(out)["findings"] if f["code"] == "MLF505"]
    assert "`admin_password`" in finding["message"] and "****" not in finding["message"]
    _, out, _ = run_cli("--isolated", "--output-format", "full", "--select", "MLF505", str(ini))
    assert "rotated" not in out and "password1234" not in out  # the value (comment included) stays masked


def test_root_causes_come_before_their_consequences(run_cli, tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(
        "replicaCount: 2\nbackendStore:\n  createSecret:\n    backendStoreUrl: postgresql://mlflow@db:5432/mlflow\n"
    )
    _, out, _ = run_cli("--isolated", "--format", "json", "--chart", "seed-v1", str(values))
    codes = [f["code"] for f in json.loads(out)["findings"]]
    assert "MLF104" in codes and codes[0] == "MLF005"


def test_a_lone_basic_auth_ini_names_versions_not_the_charts_app_version(run_cli, tmp_path: Path) -> None:
    ini = tmp_path / "basic_auth.ini"
    ini.write_text(
        "[mlflow]\ndefault_permission = DENY\ndatabase_uri = sqlite:////data/auth.db\n"
        "admin_username = admin\nadmin_password = Zk4qPw8RtVx2Lm9N\ngrant_default_workspace_access = true\n"
    )
    _, out, _ = run_cli("--isolated", "--format", "json", str(ini))
    messages = {f["code"]: f["message"] for f in json.loads(out)["findings"]}
    assert "appVersion" not in " ".join(messages.values())
    assert "`DENY` is not valid for MLflow before 3.17.2" in messages["MLF507"]
    assert "MLflow before 3.17.2 ignores it" in messages["MLF514"]
    _, out, _ = run_cli("--isolated", "--format", "json", "--mlflow-version", "3.1.0", str(ini))
    assert "MLflow 3.1.0 (from --mlflow-version)" in json.loads(out)["findings"][0]["message"]
