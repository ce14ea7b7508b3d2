"""mlflow-lint's secret auditor side by side with detect-secrets on the secret corpus.

    python bench/secrets.py                       # the linter from this interpreter
    python bench/secrets.py --python .venv/bin/python --output /tmp/secrets-results.md

The corpus is tests/secrets/corpus/ (values of five chart layouts, basic_auth.ini files,
multi-document manifests, `--set` flags; `truth.json` says where each planted credential and
each negative is). detect-secrets is installed on first use into bench/.venv (with the other
peers, see run.py) and scans the corpus directory with its default plugins
(`detect-secrets scan --all-files .`; the `--set` flags are a text file it reads). mlflow-lint
runs as a user would: the values and INI files with `--secrets manifests`, then
`-f sets/base.yaml` with the flags. A claim is a (file, line); it is right when it falls in a
planted credential's lines. Results go to bench/secrets-results.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from tests.secrets.corpus import evaluate  # noqa: E402

RESULTS = REPO / "bench" / "secrets-results.md"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter with mlflow-lint installed")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--baseline-instructions",
        type=int,
        default=0,
        help="callgrind instructions of the same cold lint before the change, for the ratio",
    )
    args = parser.parse_args()
    import run  # bench/run.py: the peers' venv

    run.ensure_peers()
    started = time.perf_counter()
    ours = evaluate.Score(evaluate.mlflow_lint_claims(args.python))
    ours_seconds = time.perf_counter() - started
    started = time.perf_counter()
    theirs = evaluate.Score(evaluate.detect_secrets_claims(str(run.PEERS / "bin" / "detect-secrets")))
    theirs_seconds = time.perf_counter() - started
    text = report(ours, theirs, ours_seconds, theirs_seconds, _version())
    text += speed(args.python, args.baseline_instructions)
    args.output.write_text(text, encoding="utf-8")
    print(text)


def _version() -> str:
    import subprocess

    done = subprocess.run(
        [str(Path(__import__("run").PEERS) / "bin" / "detect-secrets"), "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()


def report(ours: evaluate.Score, theirs: evaluate.Score, ours_s: float, theirs_s: float, version: str) -> str:
    truth = evaluate.truth()
    kinds = {p["kind"] for p in truth["positives"]}
    lines = [
        "# Secret audit: mlflow-lint vs detect-secrets",
        "",
        f"Corpus: `tests/secrets/corpus/` ({len(truth['positives'])} planted credentials of {len(kinds)} kinds, "
        f"{len(truth['negatives'])} negatives; seed {truth['seed']}). Written by `python bench/secrets.py`; "
        f"detect-secrets {version} with its default plugins. Wall times include process start.",
        "",
        "| tool | found | missed | false claims | recall | precision | wall time |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, score, seconds in (("mlflow-lint", ours, ours_s), (f"detect-secrets {version}", theirs, theirs_s)):
        lines.append(
            f"| {name} | {len(score.found)} | {len(score.missed)} | {len(score.false_claims)} | "
            f"{score.recall:.1%} | {score.precision:.1%} | {seconds:.2f} s |"
        )
    lines += ["", "## Missed, by kind", "", "| kind | mlflow-lint | detect-secrets |", "|---|---|---|"]
    ours_missed, theirs_missed = _kinds(ours.missed), _kinds(theirs.missed)
    for kind in sorted(set(ours_missed) | set(theirs_missed)):
        lines.append(f"| {kind} | {ours_missed.get(kind, 0)} | {theirs_missed.get(kind, 0)} |")
    lines += [
        "",
        "## False claims, by what they landed on",
        "",
        "| negative | mlflow-lint | detect-secrets |",
        "|---|---|---|",
    ]
    ours_false, theirs_false = ours.false_kinds(), theirs.false_kinds()
    for kind in sorted(set(ours_false) | set(theirs_false)):
        lines.append(f"| {kind} | {ours_false.get(kind, 0)} | {theirs_false.get(kind, 0)} |")
    lines += [
        "",
        "## Found, by input form",
        "",
        "| form | planted | mlflow-lint | detect-secrets |",
        "|---|---|---|---|",
    ]
    planted = Counter(str(p["form"]) for p in truth["positives"])
    ours_forms = Counter(str(p["form"]) for p in ours.found)
    theirs_forms = Counter(str(p["form"]) for p in theirs.found)
    for form in sorted(planted):
        lines.append(f"| {form} | {planted[form]} | {ours_forms[form]} | {theirs_forms[form]} |")
    return "\n".join(lines) + "\n"


def speed(python: str, baseline: int) -> str:
    """Instructions of a cold offline lint of run.py's 150-line file (callgrind; "" without valgrind)."""
    import shutil
    import tempfile

    import run

    if shutil.which("valgrind") is None:
        return ""
    with tempfile.TemporaryDirectory() as work:
        values = run.values_150(Path(work) / "values.yaml")
        command = [str(Path(python).parent / "mlflow-lint"), "--isolated", str(values)]
        counts = run.instructions({"mlflow-lint": command})
    if "mlflow-lint" not in counts:
        return ""
    now = counts["mlflow-lint"]
    lines = [
        "",
        "## Offline lint speed",
        "",
        f"Instructions of one cold `mlflow-lint --isolated` of the 150-line benchmark file (callgrind): "
        f"{now / 1e6:.1f} M.",
    ]
    if baseline:
        lines.append(
            f"Before the chart-independent audit: {baseline / 1e6:.1f} M; ratio {now / baseline:.3f} "
            "(target: within 15 %)."
        )
    return "\n".join(lines) + "\n"


def _kinds(items: list[dict[str, object]]) -> dict[str, int]:
    return dict(Counter(str(p["kind"]) for p in items))


if __name__ == "__main__":
    main()
