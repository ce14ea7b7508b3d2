"""pod_env / server_settings / server_args: the container env and server settings as rendered."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from mlflow_lint import charts, pod_env
from mlflow_lint import server_settings as ss
from mlflow_lint.config import Settings
from mlflow_lint.context import Context
from mlflow_lint.document import load
from mlflow_lint.finding import Location
from mlflow_lint.release import Layer, Values
from mlflow_lint.server_args import extra_args, server_args
from mlflow_lint.versions import resolve


@dataclass
class FakeSecret:
    name: str
    data: dict[str, str | None]
    kind: str = "Secret"

    def key_location(self, key: str) -> Location:
        return Location("secrets.yaml", 1, 1)


@dataclass
class FakeIndex:
    secrets: dict[str, FakeSecret] = field(default_factory=dict)

    def find(self, name: str) -> FakeSecret | None:
        return self.secrets.get(name)


def make(text: str, chart: str | None = None, mlflow: str | None = None, **extras: Any) -> Context:
    document = load("values.yaml", text)
    revision = chart or charts.detect([document.data])[0]
    loaded = charts.load_chart(revision)
    values = Values(loaded.defaults, [Layer(document.file, document.data, document.positions)])
    version = resolve(mlflow, values.get(("image", "tag")), loaded.app_version)
    return Context(values, loaded, version, Settings(), dict(extras))


def test_v2_generated_secret_and_configmap() -> None:
    ctx = make("""
backendStore: {createSecret: {backendStoreUri: "postgresql://u@db/mlflow"}}
artifactStore:
  s3: {enabled: true, createSecret: {accessKeyId: AKIAEXAMPLE, secretAccessKey: ""}}
  oss: {enabled: true, endpoint: oss-cn-beijing.aliyuncs.com}
""")
    env = pod_env.effective_env(ctx)
    assert env["MLFLOW_BACKEND_STORE_URI"].value == "postgresql://u@db/mlflow"
    assert env["MLFLOW_BACKEND_STORE_URI"].path == ("backendStore", "createSecret", "backendStoreUri")
    assert env["AWS_ACCESS_KEY_ID"].value == "AKIAEXAMPLE"
    assert "AWS_SECRET_ACCESS_KEY" not in env  # v2 emits only non-empty keys
    assert "AWS_CA_BUNDLE" not in env
    assert env["MLFLOW_OSS_ENDPOINT_URL"].value == "oss-cn-beijing.aliyuncs.com"


def test_v2_artifacts_only_drops_backend_uri() -> None:
    ctx = make("""
trackingServer: {mode: artifacts-only}
backendStore: {createSecret: {backendStoreUri: "postgresql://u@db/mlflow"}}
""")
    assert "MLFLOW_BACKEND_STORE_URI" not in pod_env.effective_env(ctx)
    assert ss.serve_mode(ctx).value == "artifacts-only"


def test_v1_keys_and_gating() -> None:
    ctx = make(
        """
backendStore: {createSecret: {backendStoreUri: "postgresql://u@db/mlflow"}}
artifactStore:
  enabled: true
  defaultArtifactRoot: s3://bucket/x
  s3: {enabled: true}
  oss: {enabled: true, endpoint: oss.example}
""",
        chart="seed-v1",
    )
    env = pod_env.effective_env(ctx)
    assert "MLFLOW_BACKEND_STORE_URI" not in env
    assert env["BACKEND_STORE_URI"].value == "postgresql://u@db/mlflow"
    assert env["AWS_ACCESS_KEY_ID"].value == ""  # v1 emits empty keys
    assert env["AWS_CA_BUNDLE"].value == ""
    assert env["MLFLOW_OSS_ENDPOINT"].value == "oss.example"
    assert "MLFLOW_OSS_ENDPOINT_URL" not in env
    assert env["MLFLOW_DEFAULT_ARTIFACT_ROOT"].value == "s3://bucket/x"
    assert ss.backend_store(ctx).is_default and ss.backend_store(ctx).value == "./mlruns"


def test_v1_artifact_store_disabled_drops_everything() -> None:
    ctx = make(
        """
artifactStore:
  enabled: false
  defaultArtifactRoot: s3://bucket/x
  s3: {enabled: true, existingSecret: s3-creds}
""",
        chart="seed-v1",
    )
    env = pod_env.effective_env(ctx)
    assert "MLFLOW_DEFAULT_ARTIFACT_ROOT" not in env and "AWS_CA_BUNDLE" not in env
    # v1 renders a provider's existingSecret whatever artifactStore.enabled says (only createSecret goes)
    assert any(s.name == "s3-creds" for s in pod_env.env_from_sources(ctx))
    assert ss.serve_mode(ctx).value == "no-serve-artifacts"
    assert ss.default_artifact_root(ctx).is_default


def test_extra_env_beats_env_from_and_last_duplicate_wins() -> None:
    ctx = make("""
artifactStore:
  s3: {enabled: true, createSecret: {accessKeyId: FROMSECRET}}
extraEnv:
  - {name: AWS_ACCESS_KEY_ID, value: first}
  - {name: AWS_ACCESS_KEY_ID, value: second}
  - name: MLFLOW_FLASK_SERVER_SECRET_KEY
    valueFrom: {secretKeyRef: {name: flask, key: key}}
  - {name: MLFLOW_S3_IGNORE_TLS, value: true}
""")
    env = pod_env.effective_env(ctx)
    assert env["AWS_ACCESS_KEY_ID"].value == "second"
    assert env["AWS_ACCESS_KEY_ID"].path == ("extraEnv", 1, "value")
    assert env["MLFLOW_FLASK_SERVER_SECRET_KEY"].value is None
    assert env["MLFLOW_S3_IGNORE_TLS"].value == "true"


def test_env_from_order_last_source_wins() -> None:
    index = FakeIndex(
        {
            "db": FakeSecret("db", {"MLFLOW_BACKEND_STORE_URI": "postgresql://a@db/one", "SHARED": "db"}),
            "extra": FakeSecret("extra", {"SHARED": "extra"}),
            "s3": FakeSecret("s3", {"SHARED": "s3"}),
        }
    )
    ctx = make(
        """
backendStore: {existingSecret: db}
extraEnvFrom: [{secretRef: {name: extra}}]
artifactStore: {s3: {enabled: true, existingSecret: s3}}
""",
        secrets=index,
    )
    env = pod_env.effective_env(ctx)
    assert env["SHARED"].value == "s3"
    assert ss.backend_store(ctx).value == "postgresql://a@db/one"
    assert ss.backend_store(ctx).path == ("backendStore", "existingSecret")
    assert pod_env.unknown_sources(ctx) == []


def test_prefix_and_unknown_sources() -> None:
    index = FakeIndex({"known": FakeSecret("known", {"KEY": "v"})})
    ctx = make(
        """
extraEnvFrom:
  - {secretRef: {name: known}, prefix: P_}
  - {secretRef: {name: unseen}}
  - {configMapRef: {name: cm}}
""",
        secrets=index,
    )
    assert pod_env.effective_env(ctx)["P_KEY"].value == "v"
    assert [s.name for s in pod_env.unknown_sources(ctx)] == ["unseen", "cm"]
    found = pod_env.lookup(ctx, "MLFLOW_FLASK_SERVER_SECRET_KEY")
    assert found.found is None and not found.certainly_absent and not found.likely_absent


def test_lookup_unknown_chart_secret_is_only_maybe() -> None:
    ctx = make("artifactStore: {s3: {enabled: true, existingSecret: s3-creds}}")
    found = pod_env.lookup(ctx, "MLFLOW_AUTH_CONFIG_PATH")
    assert found.maybe and not found.user_maybe and found.likely_absent


def test_backend_store_sources() -> None:
    assert ss.backend_store(make("{}")).value == "./mlruns"
    assert ss.backend_store(make("{}", mlflow="3.8.0")).value == "sqlite:///mlflow.db"
    opaque = ss.backend_store(make("backendStore: {existingSecret: db}"))
    assert opaque.value is None and opaque.kind == "env"
    args = ss.backend_store(
        make("""
backendStore: {createSecret: {backendStoreUri: "postgresql://u@db/a"}}
trackingServer: {extraArgs: ["--backend-store-uri", "mysql://u@db/b"]}
""")
    )
    assert args.value == "mysql://u@db/b" and args.kind == "args"
    assert args.path == ("trackingServer", "extraArgs", 1)


def test_written_backend_uris_lists_ineffective_ones() -> None:
    ctx = make('backendStore: {createSecret: {backendStoreUri: "postgresql://u@db/a"}}', chart="seed-v1")
    assert [u for u, _, _ in ss.written_backend_uris(ctx)] == ["postgresql://u@db/a"]


@pytest.mark.parametrize(
    ("text", "chart", "mode"),
    [
        ("{}", None, "no-serve-artifacts"),
        ("trackingServer: {mode: serve-artifacts}", None, "serve-artifacts"),
        ("trackingServer: {extraArgs: [--artifacts-only]}", None, "artifacts-only"),
        ("trackingServer: {mode: serve-artifacts, extraArgs: [--no-serve-artifacts]}", None, "no-serve-artifacts"),
        ("{}", "seed-v1", "serve-artifacts"),
        ("artifactStore: {enabled: false}", "seed-v1", "no-serve-artifacts"),
        ("trackingServer: {enabled: false}", "seed-v1", "artifacts-only"),
        ("{trackingServer: {enabled: false}, artifactStore: {enabled: false}}", "seed-v1", "serve-artifacts"),
    ],
)
def test_serve_mode(text: str, chart: str | None, mode: str) -> None:
    assert ss.serve_mode(make(text, chart=chart)).value == mode


def test_artifact_settings_precedence() -> None:
    ctx = make("""
trackingServer:
  defaultArtifactRoot: s3://chart/x
  artifactsDestination: s3://chart/y
  extraArgs: [--artifacts-destination=gs://args/y]
extraEnv: [{name: MLFLOW_DEFAULT_ARTIFACT_ROOT, value: "gs://env/x"}]
""")
    root, dest = ss.default_artifact_root(ctx), ss.artifacts_destination(ctx)
    assert root.value == "s3://chart/x" and root.kind == "args"  # the flag beats the env var
    assert dest.value == "gs://args/y" and dest.path == ("trackingServer", "extraArgs", 0)
    assert {u for _, u, _ in ss.written_artifact_uris(ctx)} == {
        "s3://chart/x",
        "s3://chart/y",
        "gs://args/y",
        "gs://env/x",
    }


def test_server_args_and_host() -> None:
    ctx = make("""
trackingServer:
  basicAuth: {enabled: true}
  extraArgs: ["-h", "127.0.0.1", "--static-prefix /mlflow", "--dev"]
""")
    options = [a.option for a in server_args(ctx)]
    assert options[:5] == ["--no-serve-artifacts", "--host", "--port", "--workers", "--app-name"]
    assert [a.option for a in extra_args(ctx)] == ["--host", "--dev"]  # the one-item "--opt value" is skipped
    assert ss.server_host(ctx).value == "127.0.0.1"


def test_volume_for_and_container_path() -> None:
    ctx = make("extraVolumeMounts: [{name: d, mountPath: /data}]")
    assert ss.container_path("./mlruns") == "/mlruns"
    assert ss.container_path("file:///data/x") == "/data/x"
    assert ss.volume_for(ctx, "/data/mlflow.db") == "/data"
    assert ss.volume_for(ctx, "/database") == ""
    assert ss.replicas(make("replicaCount: 3")) == 3
