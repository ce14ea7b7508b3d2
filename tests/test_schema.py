"""Schema checks: chart defaults are clean; each kind of violation is reported at the user's line."""

from __future__ import annotations

import pytest

from mlflow_lint.charts import REVISIONS, all_key_paths, load_chart

CORE = "MLF002,MLF004,MLF005"


def _codes_lines(report: dict) -> set[tuple[str, int]]:
    return {(f["code"], f["line"]) for f in report["findings"]}


@pytest.mark.parametrize("revision", REVISIONS)
def test_chart_defaults_lint_clean(lint_text, revision: str) -> None:
    report = lint_text("", "--chart", revision, "--select", CORE)
    assert report["findings"] == []


@pytest.mark.parametrize("revision", [r for r in REVISIONS if r.startswith("seed-")])  # the others: tests/charts
def test_every_key_of_the_revision_is_in_its_schema(revision: str) -> None:
    chart = load_chart(revision)
    keys = {".".join(map(str, p)) for p in all_key_paths(chart.schema)}
    shared = {
        "image.tag",
        "trackingServer.basicAuth.createSecret.adminPassword",
        "artifactStore.oss.endpoint",
        "backendStore.createSecret.backendStoreUri",
        "extraEnv",
        "extraVolumeMounts",
        "ingress.tls",
    }
    only = {
        "seed-v1": {"trackingServer.enabled", "artifactStore.enabled", "artifactStore.defaultArtifactRoot"},
        "seed-v2": {"trackingServer.mode", "trackingServer.defaultArtifactRoot", "backendStore.databaseUpgrade"},
    }
    assert shared | only[revision] <= keys
    assert not (only["seed-v1" if revision == "seed-v2" else "seed-v2"] & keys)


@pytest.mark.parametrize(
    ("yaml", "line", "words"),
    [
        ('trackingServer:\n  port: "5000"\n', 2, "must be an integer"),  # type
        ("trackingServer:\n  workers: yes\n", 2, "boolean"),  # Helm typing: yes is a boolean
        ("image:\n  pullPolicy: always\n", 2, "did you mean 'Always'"),  # enum
        ("trackingServer:\n  mode: serve\n", 2, "allowed values"),  # enum
        ("trackingServer:\n  port: 70000\n", 2, "at most 65535"),  # range
        ("replicaCount: -1\n", 1, "at least 0"),  # range
        ("service:\n  name: HTTP_PORT\n", 2, "not valid here"),  # pattern
        ("extraEnv:\n  - value: x\n", 2, "required key `name`"),  # required
        ("extraEnv:\n  - name: A\n", 2, "exactly one of `value` or `valueFrom`"),  # oneOf
        ("image: v2.14.1\n", 1, "must be an object"),  # wrong nesting
    ],
)
def test_each_kind_of_violation(lint_text, yaml: str, line: int, words: str) -> None:
    findings = lint_text(yaml, "--select", "MLF002")["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("MLF002", line)]
    assert words in findings[0]["message"] + findings[0]["hint"]


@pytest.mark.parametrize(
    ("yaml", "line", "suggestion"),
    [
        ("backendStore:\n  existingSecrett: db\n", 2, "backendStore.existingSecret"),  # sibling typo
        ("trackingServer:\n  hots: 0.0.0.0\n", 2, "trackingServer.host"),
        ("artifactStore:\n  defaultArtifactRoot: s3://b/p\n", 2, "trackingServer.defaultArtifactRoot"),  # v1 key
        ("defaultArtifactRoot: s3://b/p\n", 1, "trackingServer.defaultArtifactRoot"),  # wrong level
        (
            "trackingServer:\n  basicAuth:\n    adminPassword: x\n",
            3,
            "trackingServer.basicAuth.createSecret.adminPassword",
        ),  # misplaced
        ("imagePullSecrets: []\n", 1, "image.pullSecrets"),
    ],
)
def test_unknown_keys_get_did_you_mean(lint_text, yaml: str, line: int, suggestion: str) -> None:
    findings = lint_text(yaml, "--select", "MLF005", "--chart", "seed-v2")["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("MLF005", line)]
    assert f"`{suggestion}`" in findings[0]["message"]


def test_v1_typo_from_the_seed_readme_names_default_artifact_root(lint_text) -> None:
    yaml = "artifactStore:\n  enabled: true\n  defaultArtifactStore: s3://<bucket>/<path>\n  s3:\n    enabled: true\n"
    findings = lint_text(yaml, "--select", CORE)["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("MLF005", 3)]
    assert "`artifactStore.defaultArtifactRoot`" in findings[0]["message"]


def test_non_string_env_values_from_the_seed_readme_are_errors(lint_text) -> None:
    yaml = (
        "extraEnv:\n- name: MLFLOW_S3_IGNORE_TLS\n  value: true\n"
        "- name: MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT\n  value: 60\n"
        "- name: MLFLOW_GCS_UPLOAD_CHUNK_SIZE\n  value: 104857600\n"
        '- name: MLFLOW_S3_UPLOAD_EXTRA_ARGS\n  value: |\n    {"ServerSideEncryption": "aws:kms"}\n'
    )
    report = lint_text(yaml, "--select", CORE)
    assert _codes_lines(report) == {("MLF002", 3), ("MLF002", 5), ("MLF002", 7)}
    assert "Kubernetes rejects" in report["findings"][0]["message"]


def test_mixed_revisions_name_the_counterpart(lint_text) -> None:
    yaml = (
        "trackingServer:\n  mode: serve-artifacts\n  artifactsDestination: s3://b\n"
        "artifactStore:\n  enabled: true\n  defaultArtifactRoot: s3://b\n"
        "backendStore:\n  databaseUpgrade: false\n"
    )
    findings = lint_text(yaml, "--select", CORE)["findings"]
    assert _codes_lines({"findings": findings}) == {("MLF004", 5), ("MLF004", 6)}
    assert "`trackingServer.defaultArtifactRoot`" in findings[1]["message"]


def test_defaults_merge_lists_replace_and_null_deletes(lint_text) -> None:
    # null deletes the chart's default `ingress.hosts`; the remaining values stay valid
    assert lint_text("ingress:\n  hosts: null\n", "--select", CORE)["findings"] == []
    # a list replaces the default list entirely: the bad item is reported at the user's line
    findings = lint_text("ingress:\n  hosts:\n    - host: a.local\n", "--select", CORE)["findings"]
    assert [(f["line"], f["path"]) for f in findings] == [(3, "ingress.hosts[0]")]
