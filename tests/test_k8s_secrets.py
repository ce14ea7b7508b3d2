"""Secret manifests (--secrets): reading, invalid manifests, and existingSecret resolution."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from mlflow_lint.k8s_secrets import load_index

DATA = Path(__file__).parent / "data" / "secrets"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_string_data_wins_and_kinds_are_read() -> None:
    text = f"""\
apiVersion: v1
kind: Secret
metadata: {{name: one}}
data: {{A: {b64("from-data")}, B: {b64("only-data")}}}
stringData: {{A: from-string-data}}
---
apiVersion: v1
kind: List
items:
  - kind: SealedSecret
    metadata: {{name: sealed}}
    spec: {{encryptedData: {{K: AgB==}}}}
  - kind: ExternalSecret
    metadata: {{name: ext}}
    spec:
      target: {{name: ext-target}}
      data: [{{secretKey: X, remoteRef: {{key: v}}}}]
      dataFrom: [{{extract: {{key: all}}}}]
---
kind: Secret
metadata: {{name: sops}}
data: {{P: "ENC[AES256_GCM,data:abc]"}}
sops: {{version: 3.8.1}}
"""
    index = load_index([("m.yaml", text)])
    assert index.find("one").data == {"A": "from-string-data", "B": "only-data"}
    assert index.find("sealed").data == {"K": None}
    ext = index.find("ext-target")
    assert (ext.data, ext.open_keys) == ({"X": None}, True)
    assert index.find("sops").data == {"P": None}
    assert [p.code for p in index.problems] == ["MLF704"]  # only `one` is plaintext
    assert index.find("one").key_location("B").line == 4


def test_invalid_manifests_are_findings_with_lines(run_cli) -> None:
    code, out, _ = run_cli(
        "--isolated",
        "--format",
        "json",
        "--select",
        "MLF701",
        "--secrets",
        str(DATA / "broken.yaml"),
        str(DATA.parent / "values" / "formatters-clean.yaml"),
    )
    found = [(Path(f["file"]).name, f["line"]) for f in json.loads(out)["findings"]]
    assert found == [("broken.yaml", 6), ("broken.yaml", 8), ("broken.yaml", 15), ("broken.yaml", 24)]
    assert code == 1


def test_not_yaml_is_a_finding_not_a_crash(tmp_path: Path, lint_text) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Secret\nstringData: [unclosed\n", encoding="utf-8")
    report = lint_text("{}\n", "--secrets", str(bad), "--select", "MLF701")
    assert [(f["code"], f["line"]) for f in report["findings"]] == [("MLF701", 3)]


def test_missing_secrets_path_exits_2(run_cli, tmp_path: Path) -> None:
    values = tmp_path / "v.yaml"
    values.write_text("{}\n", encoding="utf-8")
    code, _, err = run_cli("--isolated", "--secrets", str(tmp_path / "nope"), str(values))
    assert code == 2 and "--secrets" in err


def test_without_secrets_nothing_is_resolved(lint_text) -> None:
    report = lint_text("backendStore:\n  existingSecret: anything\n", "--select", "MLF7")
    assert report["findings"] == []


README_VALUES = "backendStore:\n  existingSecret: {name}\n"


def test_readme_secret_name_mismatch(lint_text) -> None:
    report = lint_text(
        README_VALUES.format(name="mlflow-mysql-backend-store-secret"),
        "--secrets",
        str(DATA / "readme-backend.yaml"),
        "--select",
        "MLF702,MLF703",
    )
    [finding] = report["findings"]
    assert (finding["code"], finding["line"], finding["file"].endswith("values.yaml")) == ("MLF702", 2, True)
    assert "did you mean `mlflow-database-backend-store-secret`" in finding["message"]


def test_readme_secret_key_mismatch_names_both_keys(lint_text) -> None:
    report = lint_text(
        README_VALUES.format(name="mlflow-database-backend-store-secret"),
        "--secrets",
        str(DATA / "readme-backend.yaml"),
        "--select",
        "MLF702,MLF703",
    )
    [finding] = report["findings"]
    assert (finding["code"], finding["line"]) == ("MLF703", 2)
    assert "`MLFLOW_BACKEND_STORE_URI`" in finding["message"] and "`BACKEND_STORE_URL`" in finding["message"]
    assert "readme-backend.yaml:7" in finding["message"]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ("artifactStore:\n  azure:\n    enabled: true\n    existingSecret: mlflow-azure\n", []),  # one key is enough
        ("artifactStore:\n  oss:\n    enabled: true\n    endpoint: e\n    existingSecret: mlflow-oss\n", []),
        ("artifactStore:\n  s3:\n    enabled: false\n    existingSecret: mlflow-s3\n", []),  # not mounted
        ("artifactStore:\n  s3:\n    enabled: true\n    existingSecret: mlflow-s3\n", [("MLF703", 4)]),
        ("extraEnv:\n  - name: X\n    valueFrom:\n      secretKeyRef: {name: mlflow-s3, key: nope}\n", [("MLF703", 4)]),
        ("extraEnvFrom:\n  - secretRef: {name: mlflow-s4}\n", [("MLF702", 2)]),
        ("extraEnvFrom:\n  - secretRef: {name: mlflow-settings}\n", [("MLF702", 2)]),  # a ConfigMap
    ],
)
def test_resolution_cases(lint_text, values: str, expected: list[tuple[str, int]]) -> None:
    report = lint_text(values, "--secrets", str(DATA), "--select", "MLF702,MLF703")
    assert [(f["code"], f["line"]) for f in report["findings"]] == expected


def test_configmap_named_as_secret_is_explained(lint_text) -> None:
    report = lint_text(
        "extraEnvFrom:\n  - secretRef: {name: mlflow-settings}\n",
        "--secrets",
        str(DATA / "backend-ok.yaml"),
        "--select",
        "MLF702",
    )
    assert "is a ConfigMap" in report["findings"][0]["message"]


def test_manifest_findings_are_reported_once_for_many_values_files(run_cli, tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("backendStore:\n  existingSecret: mlflow-backend\n", encoding="utf-8")
    _, out, _ = run_cli(
        "--isolated",
        "--format",
        "json",
        "--select",
        "MLF704",
        "--secrets",
        str(DATA / "backend-ok.yaml"),
        str(tmp_path / "a.yaml"),
        str(tmp_path / "b.yaml"),
    )
    assert [(Path(f["file"]).name, f["line"]) for f in json.loads(out)["findings"]] == [("backend-ok.yaml", 2)]
