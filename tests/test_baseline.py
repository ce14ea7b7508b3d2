"""Baselines: write, edit, re-lint; keyed without lines; stale entries; no secrets; bad files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from mlflow_lint.baseline import BaselineError, apply, counts, dumps, key_of, load, verifies
from mlflow_lint.engine import Report
from mlflow_lint.finding import Finding, Severity

VALUES = """\
image:
  tag: v2.14.1
trackingServer:
  prot: 5000
service:
  typo: 1
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "values.yaml").write_text(VALUES, encoding="utf-8")
    return tmp_path


@pytest.fixture
def lint(run_cli):
    """Run the CLI on deploy/values.yaml with only MLF005 (stable across new rules)."""

    def run(*flags: str, files: tuple[str, ...] = ("deploy/values.yaml",)) -> tuple[int, str, str]:
        return run_cli("--isolated", "--select", "MLF005", *flags, *files)

    return run


def edit(path: str, old: str, new: str) -> None:
    file = Path(path)
    file.write_text(file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_round_trip(project: Path, lint) -> None:
    code, out, err = lint("--write-baseline", ".mlflow-lint-baseline.json")
    assert code == 0 and "wrote 2 baseline entries to .mlflow-lint-baseline.json" in err
    assert "No problems found in 1 file. (2 in baseline)" in out
    code, out, _ = lint("--baseline", ".mlflow-lint-baseline.json")
    assert code == 0 and "No problems found in 1 file. (2 in baseline)" in out

    # Lines move: comments and blank lines at the top, keys reordered. Still clean.
    edit("deploy/values.yaml", "image:", "# MLflow for team A\n\n# (owned by platform)\n\nimage:")
    edit("deploy/values.yaml", "  prot: 5000\n", "  host: 0.0.0.0\n  prot: 5000\n")
    code, out, _ = lint("--baseline", ".mlflow-lint-baseline.json")
    assert code == 0 and "No problems found" in out and "stale" not in out

    # A new finding: only it is reported.
    edit("deploy/values.yaml", "  typo: 1\n", "  typo: 1\n  tpye: ClusterIP\n")
    code, out, _ = lint("--baseline", ".mlflow-lint-baseline.json")
    assert code == 1
    assert out.splitlines()[0] == (
        "deploy/values.yaml:12:3: error MLF005 unknown key `tpye` under `service`; did you mean `service.type`?"
    )
    assert "Found 1 error, 0 warnings, 0 info in 1 file. (2 in baseline)" in out

    # A fixed finding: its entry is stale (reported, exit code unchanged).
    edit("deploy/values.yaml", "  tpye: ClusterIP\n", "")
    edit("deploy/values.yaml", "  typo: 1\n", "")
    code, out, _ = lint("--baseline", ".mlflow-lint-baseline.json")
    assert code == 0
    assert "deploy/values.yaml: info baseline entry MLF005 at `service.typo` is stale" in out
    assert "1 stale baseline entry in .mlflow-lint-baseline.json; rewrite it with --write-baseline" in out
    _, out, _ = lint("--baseline", ".mlflow-lint-baseline.json", "--format", "json")
    report = json.loads(out)
    assert report["summary"]["baselined"] == 1 and report["findings"] == []
    assert report["baseline"] == {
        "file": ".mlflow-lint-baseline.json",
        "matched": 1,
        "stale": [{"code": "MLF005", "file": "deploy/values.yaml", "path": "service.typo", "count": 1}],
    }


def test_file_is_documented_sorted_and_byte_stable(project: Path, lint) -> None:
    lint("--write-baseline", "b.json")
    first = Path("b.json").read_bytes()
    edit("deploy/values.yaml", "image:", "# moved\n\nimage:")
    lint("--write-baseline", "b.json")
    assert Path("b.json").read_bytes() == first
    assert json.loads(first) == {
        "version": 2,
        "tool": "mlflow-lint",
        "entries": [
            {"code": "MLF005", "file": "deploy/values.yaml", "path": "service.typo", "count": 1},
            {"code": "MLF005", "file": "deploy/values.yaml", "path": "trackingServer.prot", "count": 1},
        ],
    }
    assert b"line" not in first


def test_paths_are_relative_to_the_baseline_file(project: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    run_cli("--isolated", "--select", "MLF005", "--write-baseline", "deploy/b.json", "deploy/values.yaml")
    assert '"file": "values.yaml"' in Path("deploy/b.json").read_text()
    monkeypatch.chdir(project / "deploy")
    code, out, _ = run_cli("--isolated", "--select", "MLF005", "--baseline", "b.json", "values.yaml")
    assert code == 0 and "(2 in baseline)" in out
    absolute = str(project / "deploy" / "values.yaml")
    code, out, _ = run_cli("--isolated", "--select", "MLF005", "--baseline", "b.json", absolute)
    assert code == 0 and "(2 in baseline)" in out


def test_only_linted_files_can_have_stale_entries(project: Path, lint) -> None:
    Path("deploy/other.yaml").write_text("bogus: 1\n", encoding="utf-8")
    lint("--write-baseline", "b.json", files=("deploy/values.yaml", "deploy/other.yaml"))
    code, out, _ = lint("--baseline", "b.json")  # pre-commit passes only the changed file
    assert code == 0 and "stale" not in out


def test_suppressed_findings_are_not_recorded(project: Path, lint) -> None:
    edit("deploy/values.yaml", "  typo: 1", "  typo: 1  # mlflow-lint: disable=MLF005 -- legacy")
    lint("--write-baseline", "b.json")
    entries = json.loads(Path("b.json").read_text())["entries"]
    assert [e["path"] for e in entries] == ["trackingServer.prot"]


def _finding(path: str, line: int, digest: str = "") -> Finding:
    return Finding(
        "MLF301", "plaintext-secret", Severity.ERROR, "values.yaml", line, 3, path, "m", secret_digest=digest
    )


def test_duplicates_are_counted(tmp_path: Path) -> None:
    entries = counts([_finding("a", 1), _finding("a", 2)], tmp_path)
    assert list(entries.values()) == [2] and next(iter(entries)).path == "a"
    report = Report(findings=[_finding("a", 1), _finding("a", 2), _finding("a", 3)], linted=["values.yaml"])
    outcome = apply(report, entries, str(tmp_path / "b.json"))
    assert outcome.matched == 2 and [f.line for f in report.findings] == [3]


def test_a_changed_secret_is_a_new_finding(tmp_path: Path) -> None:
    old, new = hashlib.sha256(b"one").hexdigest(), hashlib.sha256(b"two").hexdigest()
    entries = counts([_finding("db.password", 4, old)], tmp_path)
    report = Report(findings=[_finding("db.password", 9, new)], linted=["values.yaml"])
    outcome = apply(report, entries, str(tmp_path / "b.json"))
    assert outcome.matched == 0 and len(report.findings) == 1 and len(outcome.stale) == 1


def test_the_baseline_holds_no_secret(tmp_path: Path) -> None:
    secret = "Pl4nted-S3cret-Value-xyz"
    digest = hashlib.sha256(secret.encode()).hexdigest()
    entries = counts([_finding("backendStore.password", 4, digest)], tmp_path)
    text = dumps(entries)
    sealed = json.loads(text)["entries"][0]["secret"]
    assert sealed.startswith("scrypt$") and verifies(sealed, digest) and not verifies(sealed, "0" * 64)
    assert key_of(_finding("backendStore.password", 9, digest), tmp_path, entries).secret == sealed  # reused salt
    assert key_of(_finding("backendStore.password", 9, digest), tmp_path).secret != sealed  # a fresh salt
    assert digest not in text and digest[:16] not in text
    assert not any(secret[i : i + 8] in text for i in range(len(secret) - 7))


def test_the_baseline_holds_no_secret_end_to_end(project: Path, run_cli) -> None:
    """Whatever rules fire on a planted password, the baseline keeps no piece of it."""
    secret = "Zq7-planted-Pw-93k"
    Path("deploy/values.yaml").write_text(
        "backendStore:\n"
        f"  databaseUri: postgresql://mlflow:{secret}@db.internal:5432/mlflow\n"
        f"extraEnv:\n  - name: AWS_SECRET_ACCESS_KEY\n    value: {secret}\n"
        f"typoKey: {secret}\n",
        encoding="utf-8",
    )
    code, _, err = run_cli("--isolated", "--write-baseline", "b.json", "deploy/values.yaml")
    assert code == 0, err
    text = Path("b.json").read_text(encoding="utf-8")
    assert json.loads(text)["entries"]
    assert not any(secret[i : i + 8] in text for i in range(len(secret) - 7))
    assert hashlib.sha256(secret.encode()).hexdigest()[:16] not in text
    hashes = [e["secret"] for e in json.loads(text)["entries"] if "secret" in e]
    assert len(hashes) == len(set(hashes))  # one secret in two places: unlinkable entries


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline file not found: b.json (create it with --write-baseline)"),
        ("{not json", "baseline b.json is not valid JSON (line 1"),
        ("[]", "is not an mlflow-lint baseline"),
        ('{"version": 3, "entries": []}', "has format version 3; this mlflow-lint reads version 2"),
        ('{"version": 1, "entries": []}', "format version 1, whose secret hashes allow testing password guesses"),
        ('{"version": 2, "entries": [{"code": "MLF005", "file": "v.yaml"}]}', "entry 1 lacks the string `path`"),
        ('{"version": 2, "entries": [{"code": "X", "file": "v", "path": "", "count": 0}]}', "`count` must be"),
        ('{"version": 2, "entries": [7]}', "entry 1 is not an object"),
    ],
)
def test_missing_or_invalid_baseline_exits_2(project: Path, lint, content: str | None, message: str) -> None:
    if content is not None:
        Path("b.json").write_text(content, encoding="utf-8")
    code, out, err = lint("--baseline", "b.json")
    assert code == 2 and message in err and out == ""


def test_load_reads_what_dumps_writes(tmp_path: Path) -> None:
    entries = counts([_finding("a", 1), _finding("a", 2), _finding("b", 3, "ab" * 32)], tmp_path)
    (tmp_path / "b.json").write_text(dumps(entries), encoding="utf-8")
    assert load(str(tmp_path / "b.json")) == entries
    with pytest.raises(BaselineError):
        load(str(tmp_path / "missing.json"))


def test_write_and_read_flags_exclude_each_other(project: Path, lint) -> None:
    with pytest.raises(SystemExit) as caught:
        lint("--baseline", "a.json", "--write-baseline", "b.json")
    assert caught.value.code == 2


def test_no_baseline_is_written_when_a_file_is_missing(project: Path, lint) -> None:
    code, _, err = lint("--write-baseline", "b.json", files=("deploy/values.yaml", "gone.yaml"))
    assert code == 2 and "not writing b.json" in err and not Path("b.json").exists()


def test_unwritable_baseline_exits_2(project: Path, lint) -> None:
    code, _, err = lint("--write-baseline", "no/such/dir/b.json")
    assert code == 2 and "cannot write baseline" in err


def test_sarif_marks_results_new_against_a_baseline(project: Path, lint) -> None:
    lint("--write-baseline", "b.json")
    edit("deploy/values.yaml", "  typo: 1\n", "  typo: 1\n  tpye: x\n")
    _, out, _ = lint("--baseline", "b.json", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert [(r["ruleId"], r["baselineState"]) for r in results] == [("MLF005", "new")]
