"""Benchmarks of mlflow-lint against its peers, whole-process, in one run: `python bench/run.py`.

1. Cold offline lint of a 150-line values file: mlflow-lint vs `yamllint` vs `detect-secrets
   scan` on the same file (hyperfine when installed, else timed subprocesses; medians).
2. 1,000 values files in one invocation (as pre-commit passes them): files per second, peak RSS.
3. The probe phase (`bench/probes.py`, written by the probes work) when present.
4. `python -X importtime` of one offline lint: the top offenders.
5. Instructions executed by each cold-lint command (valgrind's callgrind, when installed): the
   same count on every run, whatever else the machine does, so a ratio that load cannot blur.

Peers live in `bench/.venv` (created on first use: pip install yamllint detect-secrets); the
linter is the repository's `.venv`. Results go to `bench/results.md` (figures, machine, commands).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
LINTER = REPO / ".venv" / "bin" / "mlflow-lint"
PYTHON = REPO / ".venv" / "bin" / "python"
PEERS = BENCH / ".venv"
RESULTS = BENCH / "results.md"


def ensure_peers() -> None:
    """yamllint and detect-secrets in their own venv, so they never touch the linter's."""
    if (PEERS / "bin" / "yamllint").exists() and (PEERS / "bin" / "detect-secrets").exists():
        return
    subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
    subprocess.run(
        [str(PEERS / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", "yamllint", "detect-secrets"],
        check=True,
    )


def compile_bytecode() -> None:
    """Fresh .pyc files, as `pip install` leaves them: with PYTHONDONTWRITEBYTECODE set (as on
    the dev machines) every edited module would otherwise be recompiled on each cold run (~16 ms)."""
    subprocess.run([str(PYTHON), "-m", "compileall", "-q", str(REPO / "linter")], check=True)


def values_150(path: Path, variant: int = 0) -> Path:
    """examples/values.yaml (146 lines) made 150 lines with a few realistic additions."""
    text = (REPO / "examples" / "values.yaml").read_text(encoding="utf-8")
    text = text.replace("replicaCount: 2", f"replicaCount: {2 + variant % 3}")
    extra = (
        "  - name: MLFLOW_HTTP_REQUEST_TIMEOUT\n",
        '    value: "120"\n',
        "  - name: MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD\n",
        '    value: "true"\n',
    )
    text = text.replace("extraEnv:\n", "extraEnv:\n" + "".join(extra), 1)
    assert text.count("\n") == 150, text.count("\n")
    path.write_text(text, encoding="utf-8")
    return path


def cold_commands(values: Path) -> dict[str, list[str]]:
    return {
        "mlflow-lint": [str(LINTER), "--isolated", str(values)],
        "yamllint": [str(PEERS / "bin" / "yamllint"), str(values)],
        "detect-secrets scan": [str(PEERS / "bin" / "detect-secrets"), "scan", str(values)],
        # The floor: interpreter start, then that plus the YAML parser's modules (no linting),
        # ended as the console script ends a lint (no collector while loading, no teardown).
        "floor: python -c pass": [str(PYTHON), "-c", "pass"],
        "floor: + YAML loader": [
            str(PYTHON),
            "-c",
            "import gc, os; gc.disable(); import mlflow_lint.document as d; d.load('v.yaml', 'a: 1'); os._exit(0)",
        ],
    }


def time_cold(commands: dict[str, list[str]], runs: int, work: Path) -> dict[str, float]:
    """Median wall seconds of each command, interleaved so that load drift hits all alike."""
    hyperfine = shutil.which("hyperfine")
    if hyperfine:
        export = work / "hyperfine.json"
        argv = [hyperfine, "-N", "--warmup", "3", "--runs", str(runs), "-i", "--export-json", str(export)]
        for name, command in commands.items():
            argv += ["-n", name, shlex.join(command)]
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        return {r["command"]: r["median"] for r in json.loads(export.read_text())["results"]}
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            samples[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in samples.items()}


def instructions(commands: dict[str, list[str]]) -> dict[str, int]:
    """Instructions each command executes (callgrind's `Collected`), or {} without valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return {}
    counts = {}
    for name, argv in commands.items():
        done = subprocess.run(
            [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
            capture_output=True,
            text=True,
            check=False,
        )
        collected = [line for line in done.stderr.splitlines() if "Collected" in line]
        if collected:
            counts[name] = int(collected[-1].split()[-1])
    return counts


def many_files(work: Path, count: int, runs: int) -> dict[str, float]:
    """One invocation over `count` files (on two cores): files/s and peak RSS (median of runs)."""
    directory = work / "many"
    directory.mkdir()
    files = [str(values_150(directory / f"values-{i:04d}.yaml", i)) for i in range(count)]
    walls, rss = [], []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *_two_cores(), str(LINTER), "--isolated", *files],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        walls.append(time.perf_counter() - started)
        rss.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
    wall = statistics.median(walls)
    return {"files": count, "seconds": wall, "files_per_second": count / wall, "peak_rss_mb": statistics.median(rss)}


def _two_cores() -> list[str]:
    taskset = shutil.which("taskset")
    cores = os.cpu_count() or 1
    return [taskset, "-c", "0,1"] if taskset and cores > 2 else []


def import_time(values: Path, top: int = 20) -> list[tuple[str, int, int]]:
    """(module, self µs, cumulative µs) of the slowest imports of one offline lint (median of 5)."""
    runs: dict[str, list[tuple[int, int]]] = {}
    for _ in range(5):
        done = subprocess.run(
            [str(PYTHON), "-X", "importtime", str(LINTER), "--isolated", str(values)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, cumulative, name = (part.strip() for part in line[len("import time:") :].split("|"))
            runs.setdefault(name.strip(), []).append((int(own), int(cumulative)))
    rows = [
        (name, int(statistics.median(s for s, _ in v)), int(statistics.median(c for _, c in v)))
        for name, v in runs.items()
    ]
    return sorted(rows, key=lambda r: r[1], reverse=True)[:top]


def probes(runs: int) -> str:
    """The probes bench's markdown, or why it was not run."""
    if not (BENCH / "probes.py").exists():
        return "_bench/probes.py is not present in this checkout._\n"
    with tempfile.NamedTemporaryFile(suffix=".md") as out:
        done = subprocess.run(
            [str(PYTHON), "-m", "bench.probes", "--runs", str(runs), "--markdown", out.name],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        text = Path(out.name).read_text(encoding="utf-8")
    return text if done.returncode == 0 and text else f"_bench/probes.py failed:_\n\n```\n{done.stderr[-2000:]}\n```\n"


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, {int(memory) // 1024 // 1024} GiB RAM; Linux {platform.release()};"
        f" Python {platform.python_version()}; load average at start {load}"
    )


def versions() -> str:
    def out(cmd: list[str]) -> str:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip().splitlines()[0]

    return (
        f"{out([str(LINTER), '--version'])}, {out([str(PEERS / 'bin' / 'yamllint'), '--version'])},"
        f" detect-secrets {out([str(PEERS / 'bin' / 'detect-secrets'), '--version'])}"
    )


def instructions_md(counts: dict[str, int]) -> str:
    if "mlflow-lint" not in counts:
        return "_valgrind is not installed: skipped._\n"
    base = counts["mlflow-lint"]
    rows = "\n".join(f"| {name} | {n / 1e6:.1f} M | {n / base:.2f}x |" for name, n in counts.items())
    ratios = ", ".join(
        f"{base / n:.2f} vs {name}" for name, n in counts.items() if name in ("yamllint", "detect-secrets scan")
    )
    return f"""`valgrind --tool=callgrind` (user-space instructions of the whole process, start-up
included); one run each, the count repeats exactly. Instructions are not time: a process that
loads more modules or larger extensions spends more per instruction (cache misses, page
faults), so section 1 stays the figure the target is measured by.

| command | instructions | relative to mlflow-lint |
|---|---|---|
{rows}

mlflow-lint / peer: {ratios}.
"""


def report(
    cold: dict[str, float],
    many: dict[str, float],
    imports: list[tuple[str, int, int]],
    probe_md: str,
    runs: int,
    counts_md: str,
) -> str:
    base = cold["mlflow-lint"]
    rows = "\n".join(f"| {name} | {seconds * 1000:.0f} ms | {seconds / base:.2f}x |" for name, seconds in cold.items())
    yl, ds = base / cold["yamllint"], base / cold["detect-secrets scan"]
    importrows = "\n".join(f"| `{name}` | {own / 1000:.1f} | {cum / 1000:.1f} |" for name, own, cum in imports)
    total = sum(own for _, own, _ in imports)
    return f"""# Benchmark results (`python bench/run.py`)

Machine: {machine()}.
Tools: {versions()}.
Generated {time.strftime("%Y-%m-%d %H:%M %Z")}.

## 1. Cold offline lint of a 150-line values file

Whole process, `hyperfine -N --warmup 3 --runs {runs}` (medians), same file for all three
(`examples/values.yaml` plus two `extraEnv` entries = 150 lines); the linter's bytecode is
compiled first (`python -m compileall linter`), as a wheel install leaves it.

| tool | median | relative to mlflow-lint |
|---|---|---|
{rows}

mlflow-lint / yamllint = **{yl:.2f}** (target <= 0.60: {"met" if yl <= 0.6 else "NOT met"});
mlflow-lint / detect-secrets = **{ds:.2f}** (target: a wider margin than over yamllint:
{"met" if ds < yl else "NOT met"}).

## 2. {many["files"]:.0f} values files in one invocation

`mlflow-lint --isolated <{many["files"]:.0f} files>` on two cores, median of 3:
**{many["files_per_second"]:.0f} files/s** ({many["seconds"]:.2f} s; target >= 200:
{"met" if many["files_per_second"] >= 200 else "NOT met"}), peak RSS **{many["peak_rss_mb"]:.0f} MB**
(`/usr/bin/time -f %M`).

## 3. Probe phase (`bench/probes.py`)

{probe_md}
## 4. `python -X importtime` of one offline lint (top offenders by own time, median of 5 runs)

`.venv/bin/python -X importtime .venv/bin/mlflow-lint --isolated values.yaml` (the console
script); these {len(imports)} modules take {total / 1000:.0f} ms of own import time together.

| module | self ms | cumulative ms |
|---|---|---|
{importrows}

## 5. Instructions per cold lint (deterministic)

{counts_md}
## Commands

    python bench/run.py                  # everything (about 4 minutes with the probes)
    python bench/run.py --no-probes      # sections 1, 2, 4 and 5
    hyperfine -N --warmup 3 '.venv/bin/mlflow-lint --isolated F' 'bench/.venv/bin/yamllint F' \\
        'bench/.venv/bin/detect-secrets scan F'
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="runs per cold-lint command (default 30)")
    parser.add_argument("--files", type=int, default=1000, help="files in the many-files run (default 1000)")
    parser.add_argument("--no-probes", action="store_true", help="skip bench/probes.py (starts the test servers)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="markdown to write (default bench/results.md)")
    args = parser.parse_args()
    ensure_peers()
    compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        values = values_150(work / "values.yaml")
        cold = time_cold(cold_commands(values), args.runs, work)
        print("cold:", {k: f"{v * 1000:.0f} ms" for k, v in cold.items()}, flush=True)
        many = many_files(work, args.files, 3)
        print("many files:", many, flush=True)
        imports = import_time(values)
        counts_md = instructions_md(instructions(cold_commands(values)))
    probe_md = "_skipped (--no-probes)._\n" if args.no_probes else probes(5)
    args.output.write_text(report(cold, many, imports, probe_md, args.runs, counts_md), encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
