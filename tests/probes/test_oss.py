"""OSS probe against the project's OSS stand-in (tests/services/oss_stub.py: V1 signatures
verified; no real OSS emulator exists in any registry, so this proves oss2's side only)."""

from __future__ import annotations

import pytest

from .conftest import DEADLINE, MARGIN, only, v2

pytestmark = pytest.mark.services


def oss_values(svc, *, key=None, secret=None, bucket=None, endpoint=None) -> dict:
    return v2(
        trackingServer={"defaultArtifactRoot": f"oss://{bucket or svc.bucket}/exp"},
        artifactStore={
            "oss": {
                "enabled": True,
                "endpoint": endpoint or svc.endpoint,
                "createSecret": {
                    "accessKeyId": key or svc.access_key_id,
                    "accessKeySecret": secret or svc.access_key_secret,
                },
            }
        },
    )


def test_ok(probe_run, oss_server):
    code, report, _ = probe_run(oss_values(oss_server), "--probe", "artifacts", "--select", "MLF9")
    assert (code, only(report, "oss")["status"]) == (0, "ok"), report["probes"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"secret": "wrong-secret-value"}, "SignatureDoesNotMatch"),
        ({"key": "LTAIunknownkey000"}, "InvalidAccessKeyId"),
        ({"bucket": "no-such-bucket"}, "does not exist"),
    ],
)
def test_wrong_credentials_and_missing_bucket_fail(probe_run, oss_server, change, expected):
    _, report, _ = probe_run(oss_values(oss_server, **change), "--probe", "artifacts")
    result = only(report, "oss")
    assert result["status"] == "fail" and expected in result["reason"], result


def test_never_answering_endpoint_is_error_within_the_deadline(probe_run, oss_server, blackhole_server):
    endpoint = f"http://{blackhole_server.host}:{blackhole_server.port}"
    code, report, seconds = probe_run(
        oss_values(oss_server, endpoint=endpoint),
        "--probe",
        "artifacts",
        "--probe-timeout",
        str(DEADLINE),
        "--select",
        "MLF9",
    )
    assert (code, only(report, "oss")["status"]) == (4, "error"), report["probes"]
    assert seconds < DEADLINE + MARGIN, seconds
