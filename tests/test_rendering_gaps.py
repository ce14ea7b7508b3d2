"""The seed adapter renders what Helm renders, in the corners where values and templates disagree.

Each case is a gap found by rendering the seed chart's templates with real Helm. Where the
stand-in chart of tests/data/charts/seed-v2 (written for the tests from the facts) covers the
template, the model is compared with what real Helm renders from it (helm-python-sdk).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mlflow_lint import charts, manifests, pod_env
from mlflow_lint import server_settings as ss
from mlflow_lint.config import Settings
from mlflow_lint.context import Context
from mlflow_lint.document import load
from mlflow_lint.release import Layer, Values
from mlflow_lint.server_args import last
from mlflow_lint.versions import resolve

CHART = Path(__file__).parent / "data" / "charts" / "seed-v2"


def make(text: str, chart: str = "seed-v2") -> Context:
    document = load("values.yaml", text)
    loaded = charts.load_chart(chart)
    values = Values(loaded.defaults, [Layer(document.file, document.data, document.positions)])
    return Context(values, loaded, resolve(None, values.get(("image", "tag")), loaded.app_version), Settings(), {})


@pytest.fixture(scope="module")
def helm_chart(tmp_path_factory: pytest.TempPathFactory) -> object:
    helm = pytest.importorskip("helm_python", reason="the `helm` extra renders the stand-in chart")
    target = tmp_path_factory.mktemp("chart") / "mlflow"
    shutil.copytree(CHART, target)
    (target / "values.yaml").write_text(json.dumps(charts.load_chart("seed-v2").defaults), encoding="utf-8")
    return helm.Chart.load(str(target))


def rendered_deployment(chart: object, text: str) -> manifests.Deployment:  # type: ignore[name-defined]
    import helm_python as helm

    out = chart.render(helm.values_from_yaml(text), name="mlflow")  # type: ignore[attr-defined]
    stream = manifests.read_stream("rendered.yaml", "".join("---\n" + body for body in out.values()))
    found = manifests.server_workload(stream)
    assert found is not None
    return manifests.build(stream, *found)


@pytest.mark.parametrize(
    ("values", "option", "expected", "broken"),
    [
        ('trackingServer: {host: "::"}', "--host", None, True),  # YAML: a mapping `{--host=:: null}`
        (
            'trackingServer: {mode: no-serve-artifacts, defaultArtifactRoot: "s3://b/team #1"}',
            "--default-artifact-root",
            "s3://b/team",
            True,
        ),  # cut at ` #`
        (
            'trackingServer: {mode: serve-artifacts, artifactsDestination: "s3://b/root:"}',
            "--artifacts-destination",
            None,
            True,
        ),
        (
            'trackingServer: {mode: serve-artifacts, artifactsDestination: "s3://b/a#b"}',
            "--artifacts-destination",
            "s3://b/a#b",
            False,
        ),  # `#` without a space before it is text
    ],
)
def test_unquoted_args_as_helm_renders_them(
    helm_chart: object, values: str, option: str, expected: str | None, broken: bool
) -> None:
    model = make(values)
    real = rendered_deployment(helm_chart, values)
    real_value = next((a.value for a in real.args if a.option == option), None)
    assert real_value == expected  # what the pod really gets from real Helm
    assert bool(real.render_errors) == (broken and expected is None)  # a mapping item
    reported = [path for path, _ in model.deployment.render_errors]
    assert bool(reported) == broken
    model_arg = last(model, option)
    if expected is not None:
        assert model_arg is not None and model_arg.value == expected


def test_mode_null_fails_in_helm_and_in_the_model(helm_chart: object) -> None:
    import helm_python as helm

    with pytest.raises(helm.HelmError):
        rendered_deployment(helm_chart, "trackingServer: {mode: null}")
    paths = [path for path, _ in make("trackingServer: {mode: null}").deployment.render_errors]
    assert paths == [("trackingServer", "mode")]


def test_v1_tracking_enabled_null_renders_artifacts_only() -> None:
    ctx = make("trackingServer: {enabled: null}", "seed-v1")
    assert ss.serve_mode(ctx).value == "artifacts-only"
    assert make("trackingServer: {enabled: true}", "seed-v1").deployment.mode.option == "--serve-artifacts"


def test_v1_existing_secret_is_rendered_when_artifacts_are_off() -> None:
    ctx = make("artifactStore: {enabled: false, azure: {enabled: true, existingSecret: az}}", "seed-v1")
    assert [s.name for s in pod_env.env_from_sources(ctx) if s.path[:1] == ("artifactStore",)] == ["az"]
    assert not pod_env.provider_enabled(ctx, "azure")  # its createSecret keys are still dropped


def test_v1_oss_without_endpoint_renders_no_endpoint_variable() -> None:
    ctx = make("artifactStore: {oss: {enabled: true}}", "seed-v1")
    assert "MLFLOW_OSS_ENDPOINT" not in pod_env.effective_env(ctx)
    with_endpoint = make("artifactStore: {oss: {enabled: true, endpoint: oss-cn-hangzhou.aliyuncs.com}}", "seed-v1")
    assert pod_env.effective_env(with_endpoint)["MLFLOW_OSS_ENDPOINT"].value == "oss-cn-hangzhou.aliyuncs.com"


def test_a_provider_enabled_as_a_string_is_on() -> None:
    ctx = make('artifactStore: {s3: {enabled: "true", createSecret: {accessKeyId: AKIAEXAMPLE}}}')
    assert pod_env.provider_enabled(ctx, "s3")
    assert pod_env.effective_env(ctx)["AWS_ACCESS_KEY_ID"].value == "AKIAEXAMPLE"


@pytest.mark.parametrize(
    ("name", "word", "mode"),
    [
        ("MLFLOW_SERVE_ARTIFACTS", "off", "no-serve-artifacts"),
        ("MLFLOW_SERVE_ARTIFACTS", "N", "no-serve-artifacts"),
        ("MLFLOW_SERVE_ARTIFACTS", "yes", "serve-artifacts"),
        ("MLFLOW_ARTIFACTS_ONLY", "on", "artifacts-only"),
        ("MLFLOW_ARTIFACTS_ONLY", " T ", "artifacts-only"),
        ("MLFLOW_ARTIFACTS_ONLY", "no", "serve-artifacts"),
    ],
)
def test_flag_env_vars_read_with_clicks_boolean_words(name: str, word: str, mode: str) -> None:
    # v1 with both servers off renders no mode flag, so the environment decides
    ctx = make(
        f"trackingServer: {{enabled: false}}\nartifactStore: {{enabled: false}}\n"
        f"extraEnv: [{{name: {name}, value: '{word}'}}]",
        "seed-v1",
    )
    assert ss.serve_mode(ctx).value == mode
