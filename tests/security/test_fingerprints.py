"""Nothing printed or uploaded is a function of a secret, and list items are known by name.

Issue 12: `sha256(code, file, path, sha256(secret))` in JSON and SARIF recovered a password
from a small guess list in 0.01 s. Issue 16: inserting an env var at the top of extraEnv made
every baselined finding below it new (and the old entries stale)."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.services  # (offline; the marker lets the audit recorder run)

GUESSES = ["password", "hunter2", "Summer2024!", "Zq7-planted-Pw-93k", "mlflow", "admin123"]


def _values(path: Path, secret: str, env_first: list[dict[str, str]] | None = None) -> None:
    extra = [
        *(env_first or []),
        {"name": "AWS_SECRET_ACCESS_KEY", "value": secret},
        {"name": "MLFLOW_TRACKING_PASSWORD", "value": secret + "-2"},
    ]
    path.write_text(
        json.dumps(
            {
                "image": {"tag": "v2.14.1"},
                "backendStore": {
                    "createSecret": {"backendStoreUri": f"postgresql://mlflow:{secret}@db.internal:5432/mlflow"}
                },
                "extraEnv": extra,
            }
        )
    )


def _report(run_cli, path: Path, fmt: str = "json", *flags: str) -> tuple[int, str]:
    code, out, _ = run_cli("--isolated", "--format", fmt, *flags, str(path))
    return code, out


def _fingerprints(run_cli, path: Path) -> dict[tuple[str, str], str]:
    report = json.loads(_report(run_cli, path)[1])
    return {(f["code"], f["path"]): f["fingerprint"] for f in report["findings"]}


def test_fingerprints_are_no_function_of_the_secret(run_cli, tmp_path):
    values = tmp_path / "values.yaml"
    _values(values, "Zq7-planted-Pw-93k")
    first = _fingerprints(run_cli, values)
    _values(values, "Tq9-rotated-Pw-71x")
    assert _fingerprints(run_cli, values) == first and first
    sarif = _sarif_prints(run_cli, values)
    _values(values, "Zq7-planted-Pw-93k")
    assert _sarif_prints(run_cli, values) == sarif and sarif


def _sarif_prints(run_cli, values: Path) -> list[tuple[str, str]]:
    results = json.loads(_report(run_cli, values, "sarif")[1])["runs"][0]["results"]
    return [(r["ruleId"], json.dumps(r["partialFingerprints"])) for r in results]


def test_no_guess_list_recovers_a_password_from_any_output(run_cli, tmp_path):
    """The attack of the issue, replayed: hash every guess as fingerprints used to and look for it."""
    values = tmp_path / "values.yaml"
    secret = "Zq7-planted-Pw-93k"
    _values(values, secret)
    outputs = {fmt: _report(run_cli, values, fmt)[1] for fmt in ("json", "sarif", "text", "junit", "github")}
    findings = json.loads(outputs["json"])["findings"]
    start = time.perf_counter()
    for finding in findings:
        for guess in GUESSES:
            digest = hashlib.sha256(guess.encode()).hexdigest()
            for candidate in (digest, digest[:16], digest[:32]):
                assert all(candidate not in text for text in outputs.values())
            raw = "\x1f".join((finding["code"], finding["file"], finding["path"], digest))
            assert hashlib.sha256(raw.encode()).hexdigest()[:32] != finding["fingerprint"]
    assert time.perf_counter() - start < 5
    assert all(secret not in text for text in outputs.values())


def test_list_items_are_identified_by_name_in_baselines(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    values = tmp_path / "values.yaml"
    _values(values, "Zq7-planted-Pw-93k")
    code, _, err = run_cli("--isolated", "--write-baseline", "baseline.json", "values.yaml")
    assert code == 0, err
    entries = json.loads(Path("baseline.json").read_text())["entries"]
    paths = {e["path"] for e in entries}
    assert any("extraEnv[name=AWS_SECRET_ACCESS_KEY]" in p for p in paths), paths
    assert not any("extraEnv[" in p and "[name=" not in p for p in paths), paths
    before = _fingerprints(run_cli, values)
    # a new item at the top of extraEnv: every item below moves down one index
    _values(values, "Zq7-planted-Pw-93k", env_first=[{"name": "HTTP_PROXY", "value": "http://proxy:3128"}])
    code, out, _ = run_cli("--isolated", "--format", "json", "--baseline", "baseline.json", "values.yaml")
    report = json.loads(out)
    assert report["baseline"]["stale"] == [], report["baseline"]
    moved_down = [f for f in report["findings"] if f["path"].startswith(("extraEnv[1]", "extraEnv[2]"))]
    assert moved_down == []
    assert report["baseline"]["matched"] == sum(e["count"] for e in entries)
    after = _fingerprints(run_cli, values)
    moved = {(code, path.replace("extraEnv[0]", "extraEnv[-]")): fp for (code, path), fp in before.items()}
    for (code_, path), fp in after.items():
        if path.startswith("extraEnv[1]"):
            assert moved[(code_, path.replace("extraEnv[1]", "extraEnv[-]"))] == fp  # same finding, same fingerprint


def test_a_rotated_secret_is_new_and_the_baseline_is_stable(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    values = tmp_path / "values.yaml"
    _values(values, "Zq7-planted-Pw-93k")
    run_cli("--isolated", "--write-baseline", "baseline.json", "values.yaml")
    first = Path("baseline.json").read_bytes()
    run_cli("--isolated", "--write-baseline", "baseline.json", "values.yaml")
    assert Path("baseline.json").read_bytes() == first  # salts kept while the secrets are unchanged
    sealed = [e["secret"] for e in json.loads(first)["entries"] if "secret" in e]
    assert sealed and all(s.startswith("scrypt$") for s in sealed)
    assert len({s.split("$")[1] for s in sealed}) == len(sealed)  # a salt per entry
    _values(values, "rotated-Secret-Value-2027")
    code, out, _ = run_cli("--isolated", "--format", "json", "--baseline", "baseline.json", "values.yaml")
    report = json.loads(out)
    assert code == 1 and report["findings"] and report["baseline"]["stale"]
