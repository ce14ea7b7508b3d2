"""Azure Blob probe against Azurite (SharedKey verified), connection string from the values."""

from __future__ import annotations

import base64

import pytest

from .conftest import DEADLINE, MARGIN, only, v2

pytestmark = pytest.mark.services


def azure_values(svc, *, conn=None, container=None) -> dict:
    root = f"wasbs://{container or svc.container}@{svc.account_name}.blob.core.windows.net/exp"
    return v2(
        trackingServer={"defaultArtifactRoot": root},
        artifactStore={
            "azure": {
                "enabled": True,
                "createSecret": {"azureStorageConnectionString": conn or svc.connection_string()},
            }
        },
    )


def test_ok(probe_run, azurite_server):
    code, report, _ = probe_run(azure_values(azurite_server), "--probe", "artifacts", "--select", "MLF9")
    result = only(report, "azure_blob")
    assert (code, result["status"]) == (0, "ok"), result
    assert azurite_server.account_key[:12] not in str(report)


def test_wrong_key_and_missing_container_fail(probe_run, azurite_server):
    wrong = base64.b64encode(b"w" * 64).decode()
    _, report, _ = probe_run(
        azure_values(azurite_server, conn=azurite_server.connection_string(wrong)), "--probe", "artifacts"
    )
    result = only(report, "azure_blob")
    assert result["status"] == "fail" and "rejected the credentials" in result["reason"], result
    _, report, _ = probe_run(azure_values(azurite_server, container="no-such-container"), "--probe", "artifacts")
    result = only(report, "azure_blob")
    assert result["status"] == "fail" and "does not exist" in result["reason"], result


def test_never_answering_endpoint_is_error_within_the_deadline(probe_run, azurite_server, blackhole_server):
    conn = azurite_server.connection_string().replace(
        f"{azurite_server.host}:{azurite_server.port}", f"{blackhole_server.host}:{blackhole_server.port}"
    )
    code, report, seconds = probe_run(
        azure_values(azurite_server, conn=conn),
        "--probe",
        "artifacts",
        "--probe-timeout",
        str(DEADLINE),
        "--select",
        "MLF9",
    )
    assert (code, only(report, "azure_blob")["status"]) == (4, "error"), report["probes"]
    assert seconds < DEADLINE + MARGIN, seconds
