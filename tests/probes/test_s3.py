"""S3 probe against rclone's S3 server (SigV4 verified), credentials inline and from extraEnv."""

from __future__ import annotations

import http.server
import threading

import pytest

from .conftest import DEADLINE, MARGIN, env, only, v2

pytestmark = pytest.mark.services


def s3_values(svc, *, key=None, secret=None, bucket=None, endpoint=None, inline=True) -> dict:
    key, secret = key or svc.access_key, secret or svc.secret_key
    s3: dict = {"enabled": True}
    extra = env(MLFLOW_S3_ENDPOINT_URL=endpoint or svc.endpoint_url, AWS_DEFAULT_REGION=svc.region)
    if inline:
        s3["createSecret"] = {"accessKeyId": key, "secretAccessKey": secret}
    else:
        extra += env(AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret)
    return v2(
        trackingServer={"defaultArtifactRoot": f"s3://{bucket or svc.bucket}/exp"},
        artifactStore={"s3": s3},
        extraEnv=extra,
    )


def test_ok_with_inline_create_secret(probe_run, s3_server):
    code, report, _ = probe_run(s3_values(s3_server), "--probe", "artifacts", "--select", "MLF9")
    result = only(report, "s3")
    assert (code, result["status"]) == (0, "ok"), result
    assert result["path"] == "trackingServer.defaultArtifactRoot"
    assert "artifactStore.s3.createSecret.secretAccessKey" in result["credentials"]
    assert s3_server.secret_key not in str(report) and s3_server.secret_key[:8] not in str(report)


def test_ok_with_extra_env_literals(probe_run, s3_server):
    _, report, _ = probe_run(s3_values(s3_server, inline=False), "--probe", "artifacts")
    result = only(report, "s3")
    assert result["status"] == "ok" and "extraEnv[" in result["credentials"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"secret": "wrong-secret-0123456789"}, "SignatureDoesNotMatch"),
        ({"key": "AKIAUNKNOWNKEY000000"}, "InvalidAccessKeyId"),
        ({"bucket": "no-such-bucket"}, "does not exist"),
    ],
)
def test_wrong_credentials_and_missing_bucket_fail(probe_run, s3_server, change, expected):
    code, report, _ = probe_run(s3_values(s3_server, **change), "--probe", "artifacts", "--select", "MLF9")
    result = only(report, "s3")
    assert (code, result["status"]) == (1, "fail") and expected in result["reason"], result


@pytest.mark.parametrize("which", ["port", "closing_port"])
def test_never_answering_or_closing_endpoint_is_error(probe_run, s3_server, blackhole_server, which):
    endpoint = f"http://{blackhole_server.host}:{getattr(blackhole_server, which)}"
    code, report, seconds = probe_run(
        s3_values(s3_server, endpoint=endpoint),
        "--probe",
        "artifacts",
        "--probe-timeout",
        str(DEADLINE),
        "--select",
        "MLF9",
    )
    assert (code, only(report, "s3")["status"]) == (4, "error")
    assert seconds < DEADLINE + MARGIN, seconds


class _WrongRegion(http.server.BaseHTTPRequestHandler):
    """Answers like AWS does for a bucket in another region (no local S3 server emulates regions)."""

    def _answer(self) -> None:
        body = b"<Error><Code>PermanentRedirect</Code><Message>wrong endpoint</Message></Error>"
        self.send_response(301)
        self.send_header("x-amz-bucket-region", "eu-west-3")
        self.send_header("Content-Length", str(0 if self.command == "HEAD" else len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_HEAD = do_GET = _answer

    def log_message(self, *args: object) -> None:
        pass


def test_wrong_region_fails_and_names_the_region(probe_run, s3_server):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _WrongRegion)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}"
        _, report, _ = probe_run(s3_values(s3_server, endpoint=endpoint), "--probe", "artifacts")
    finally:
        server.shutdown()
        server.server_close()
    result = only(report, "s3")
    assert result["status"] == "fail" and "eu-west-3" in result["reason"], result
