"""GCS probe against fake-gcs-server, with a service-account key whose token exchange is real."""

from __future__ import annotations

import json

import pytest

from .conftest import DEADLINE, MARGIN, env, only, v2

pytestmark = pytest.mark.services


def gcs_values(svc, *, key_file=None, bucket=None, endpoint=None, token_uri=None) -> dict:
    key = json.loads((key_file or svc.service_account_file).read_text())
    if token_uri:
        key["token_uri"] = token_uri
    return v2(
        trackingServer={"defaultArtifactRoot": f"gs://{bucket or svc.bucket}/exp"},
        artifactStore={"gcp": {"enabled": True, "createSecret": {"keyFile": json.dumps(key)}}},
        extraEnv=env(STORAGE_EMULATOR_HOST=endpoint or svc.endpoint),
    )


def test_ok_with_the_key_from_the_values(probe_run, gcs_server):
    code, report, _ = probe_run(gcs_values(gcs_server), "--probe", "artifacts", "--select", "MLF9")
    result = only(report, "gcs")
    assert (code, result["status"]) == (0, "ok"), result
    assert "keyfile.json from artifactStore.gcp.createSecret.keyFile" in result["credentials"]
    assert "PRIVATE KEY" not in json.dumps(report)


def test_wrong_key_and_missing_bucket_fail(probe_run, gcs_server):
    _, report, _ = probe_run(
        gcs_values(gcs_server, key_file=gcs_server.bad_service_account_file), "--probe", "artifacts"
    )
    result = only(report, "gcs")
    assert result["status"] == "fail" and "rejected the service-account key" in result["reason"], result
    _, report, _ = probe_run(gcs_values(gcs_server, bucket="no-such-bucket"), "--probe", "artifacts")
    result = only(report, "gcs")
    assert result["status"] == "fail" and "does not exist" in result["reason"], result


@pytest.mark.parametrize("where", ["endpoint", "token_uri"])
def test_never_answering_endpoint_or_token_server_is_error_within_the_deadline(
    probe_run, gcs_server, blackhole_server, where
):
    hole = f"http://{blackhole_server.host}:{blackhole_server.port}"
    values = gcs_values(gcs_server, **{where: hole + ("/token" if where == "token_uri" else "")})
    code, report, seconds = probe_run(
        values, "--probe", "artifacts", "--probe-timeout", str(DEADLINE), "--select", "MLF9"
    )
    assert (code, only(report, "gcs")["status"]) == (4, "error"), report["probes"]
    assert seconds < DEADLINE + MARGIN, seconds
