"""Score a scanner's claims against the corpus's ground truth (truth.json).

A claim is (file, line): a scanner says a secret is on that line. A planted credential is
found when a claim falls inside its line span; a claim inside no planted span is a false
claim (whether it lands on a listed negative or anywhere else). Shared by
tests/secrets/test_corpus.py and bench/secrets.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).parent
# The auditor's secret claims; MLF310 (placeholder text) says the opposite of "a secret is here".
SECRET_CODES = frozenset({f"MLF30{i}" for i in range(1, 10)} | {"MLF311", "MLF312", "MLF313"})


def truth() -> dict[str, Any]:
    return json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))


def set_flags() -> list[tuple[str, str]]:
    """(`--set` | `--set-string`, text) of sets/flags.txt, in file order."""
    out = []
    for line in (CORPUS / "sets" / "flags.txt").read_text(encoding="utf-8").splitlines():
        kind, _, text = line.partition(" ")
        out.append((kind, text))
    return out


def mlflow_lint_commands(python: str = sys.executable) -> list[list[str]]:
    """The two runs that cover the corpus: every file with the manifests, then the --set release."""
    values = sorted(str(p.relative_to(CORPUS)) for p in (CORPUS / "values").glob("*.yaml"))
    inis = sorted(str(p.relative_to(CORPUS)) for p in (CORPUS / "ini").rglob("*.ini"))
    base = [python, "-m", "mlflow_lint", "--isolated", "--format", "json"]
    flags = [part for kind, text in set_flags() for part in (kind, text)]
    return [[*base, "--secrets", "manifests", *values, *inis], [*base, "-f", "sets/base.yaml", *flags]]


def mlflow_lint_claims(python: str = sys.executable) -> set[tuple[str, int]]:
    claims: set[tuple[str, int]] = set()
    flag_lines = _flag_lines()
    for argv in mlflow_lint_commands(python):
        done = subprocess.run(argv, cwd=CORPUS, capture_output=True, text=True, check=False, timeout=300)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"mlflow-lint failed ({done.returncode}): {done.stderr[-2000:]}")
        for finding in json.loads(done.stdout)["findings"]:
            if finding["code"] not in SECRET_CODES or finding.get("suppressed"):
                continue
            file, line = finding["file"], finding["line"]
            if file in ("--set", "--set-string"):
                file, line = "sets/flags.txt", flag_lines[file][line - 1]
            claims.add((file, line))
    return claims


def _flag_lines() -> dict[str, list[int]]:
    """Line numbers in flags.txt of the n-th `--set` and of the n-th `--set-string` flag."""
    out: dict[str, list[int]] = {"--set": [], "--set-string": []}
    for number, (kind, _) in enumerate(set_flags(), start=1):
        out[kind].append(number)
    return out


def detect_secrets_claims(executable: str) -> set[tuple[str, int]]:
    done = subprocess.run(
        [executable, "scan", "--all-files", "."], cwd=CORPUS, capture_output=True, text=True, check=True, timeout=600
    )
    results = json.loads(done.stdout)["results"]
    return {
        (file, int(hit["line_number"]))
        for file, hits in results.items()
        for hit in hits
        if not file.endswith(".py") and file != "truth.json"
    }


class Score:
    def __init__(self, claims: set[tuple[str, int]]) -> None:
        data = truth()
        self.positives: list[dict[str, Any]] = data["positives"]
        self.negatives: list[dict[str, Any]] = data["negatives"]
        spans: dict[str, list[tuple[int, int, int]]] = {}
        for number, planted in enumerate(self.positives):
            spans.setdefault(str(planted["file"]), []).append((int(planted["line"]), int(planted["end"]), number))
        hit: set[int] = set()
        self.false_claims: list[tuple[str, int]] = []
        for file, line in sorted(claims):
            inside = [n for start, end, n in spans.get(file, []) if start <= line <= end]
            if inside:
                hit.update(inside)
            else:
                self.false_claims.append((file, line))
        self.found = [p for n, p in enumerate(self.positives) if n in hit]
        self.missed = [p for n, p in enumerate(self.positives) if n not in hit]
        true_claims = len(claims) - len(self.false_claims)
        self.recall = len(self.found) / len(self.positives)
        self.precision = true_claims / len(claims) if claims else 1.0

    def false_kinds(self) -> dict[str, int]:
        """What the false claims landed on: the negative's kind, or "unlisted line"."""
        out: dict[str, int] = {}
        for file, line in self.false_claims:
            kind = next(
                (
                    str(n["kind"])
                    for n in self.negatives
                    if n["file"] == file and int(n["line"]) <= line <= int(n["end"])
                ),
                "unlisted line",
            )
            out[kind] = out.get(kind, 0) + 1
        return out
