"""FTP (pyftpdlib) and SFTP (asyncssh) probes; credentials live inside the artifact URI."""

from __future__ import annotations

import pytest

from .conftest import DEADLINE, MARGIN, only, v2

pytestmark = pytest.mark.services


def root(uri: str) -> dict:
    return v2(trackingServer={"defaultArtifactRoot": uri})


def test_ftp_ok_wrong_password_and_never_answering(probe_run, ftp_server, blackhole_server):
    base = f"ftp://{ftp_server.user}:{{pw}}@{ftp_server.host}:{{port}}/exp"
    _, report, _ = probe_run(root(base.format(pw=ftp_server.password, port=ftp_server.port)), "--probe", "artifacts")
    result = only(report, "ftp")
    assert result["status"] == "ok" and ftp_server.password not in str(report), result
    _, report, _ = probe_run(root(base.format(pw="wrong", port=ftp_server.port)), "--probe", "artifacts")
    assert only(report, "ftp")["status"] == "fail"
    code, report, seconds = probe_run(
        root(base.format(pw="x", port=blackhole_server.port)),
        "--probe",
        "artifacts",
        "--probe-timeout",
        str(DEADLINE),
        "--select",
        "MLF9",
    )
    assert (code, only(report, "ftp")["status"]) == (4, "error") and seconds < DEADLINE + MARGIN


def test_sftp_ok_with_known_hosts(probe_run, sftp_server):
    uri = f"sftp://{sftp_server.user}:{sftp_server.password}@{sftp_server.host}:{sftp_server.port}/"
    _, report, _ = probe_run(root(uri), "--probe", "artifacts", "--probe-known-hosts", str(sftp_server.known_hosts))
    assert only(report, "sftp")["status"] == "ok", report["probes"]


def test_sftp_unknown_host_key_is_never_accepted(probe_run, sftp_server, tmp_path):
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    uri = f"sftp://{sftp_server.user}:{sftp_server.password}@{sftp_server.host}:{sftp_server.port}/"
    _, report, _ = probe_run(root(uri), "--probe", "artifacts", "--probe-known-hosts", str(empty))
    result = only(report, "sftp")
    assert result["status"] == "error" and "not accepted blindly" in result["reason"], result


def test_sftp_wrong_password_and_never_answering(probe_run, sftp_server, blackhole_server):
    uri = f"sftp://{sftp_server.user}:wrong@{sftp_server.host}:{sftp_server.port}/"
    _, report, _ = probe_run(root(uri), "--probe", "artifacts", "--probe-known-hosts", str(sftp_server.known_hosts))
    assert only(report, "sftp")["status"] == "fail"
    hole = f"sftp://u:p@{blackhole_server.host}:{blackhole_server.port}/"
    code, report, seconds = probe_run(
        root(hole), "--probe", "artifacts", "--probe-timeout", str(DEADLINE), "--select", "MLF9"
    )
    assert (code, only(report, "sftp")["status"]) == (4, "error") and seconds < DEADLINE + MARGIN


def test_local_path_and_hdfs(probe_run, tmp_path, blackhole_server):
    _, report, _ = probe_run(root(str(tmp_path)), "--probe", "artifacts")
    result = only(report, "local")
    assert result["status"] == "ok" and "not in the pod" in result["reason"]
    _, report, _ = probe_run(root(str(tmp_path / "missing")), "--probe", "artifacts")
    assert only(report, "local")["status"] == "error"
    _, report, _ = probe_run(
        root(f"hdfs://{blackhole_server.host}:{blackhole_server.closing_port}/mlflow"), "--probe", "artifacts"
    )
    result = only(report, "hdfs")
    assert result["status"] == "ok" and "TCP only" in result["reason"]
