"""Benchmark of the live probes against the local test servers (tests/services).

Starts PostgreSQL, rclone's S3, Azurite, the GCS emulator, the OSS stand-in, FTP, SFTP and
the blackhole server on loopback, then:
1. runs ONE `mlflow-lint --probe` over a values file per server, several times, and reports
   the probe-phase wall time against the slowest single probe of the same run (target: the
   ratio is at most 1.2: the probes really run in parallel);
2. probes a server that accepts and never answers, with `--probe-timeout`, and reports the
   time to the report against the deadline (target: at most deadline + 1 s);
3. repeats 1. through `bench/latency_proxy.py` (a loopback forwarder that delays every chunk
   by `--latency` seconds each way), a stand-in for a database and bucket at network distance.

Usage: .venv/bin/python -m bench.probes [--runs 5] [--deadline 2] [--latency 0.025] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.services._common import free_port  # noqa: E402
from tests.services.azurite import start_azurite  # noqa: E402
from tests.services.blackhole import start_blackhole  # noqa: E402
from tests.services.ftp import start_ftp  # noqa: E402
from tests.services.gcs import start_gcs  # noqa: E402
from tests.services.oss_stub import start_oss  # noqa: E402
from tests.services.postgres import start_postgres  # noqa: E402
from tests.services.s3 import start_s3  # noqa: E402
from tests.services.sftp import start_sftp  # noqa: E402


def _env(**pairs: str) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in pairs.items()]


def values_files(svc: dict[str, Any], work: Path) -> list[Path]:
    """One release per store (one artifact root each), all sharing the PostgreSQL backend."""
    head = {"image": {"tag": "v2.14.1"}, "backendStore": {"createSecret": {"backendStoreUri": svc["pg"].url()}}}
    s3, az, gcs, oss, ftp, sftp = svc["s3"], svc["az"], svc["gcs"], svc["oss"], svc["ftp"], svc["sftp"]
    roots = {
        "s3": (
            {"defaultArtifactRoot": f"s3://{s3.bucket}/exp"},
            {
                "artifactStore": {
                    "s3": {
                        "enabled": True,
                        "createSecret": {"accessKeyId": s3.access_key, "secretAccessKey": s3.secret_key},
                    }
                },
                "extraEnv": _env(MLFLOW_S3_ENDPOINT_URL=s3.endpoint_url, AWS_DEFAULT_REGION=s3.region),
            },
        ),
        "azure": (
            {"defaultArtifactRoot": f"wasbs://{az.container}@{az.account_name}.blob.core.windows.net/e"},
            {
                "artifactStore": {
                    "azure": {"enabled": True, "createSecret": {"azureStorageConnectionString": az.connection_string()}}
                }
            },
        ),
        "gcs": (
            {"defaultArtifactRoot": f"gs://{gcs.bucket}/exp"},
            {
                "artifactStore": {
                    "gcp": {"enabled": True, "createSecret": {"keyFile": gcs.service_account_file.read_text()}}
                },
                "extraEnv": _env(STORAGE_EMULATOR_HOST=gcs.endpoint),
            },
        ),
        "oss": (
            {"defaultArtifactRoot": f"oss://{oss.bucket}/exp"},
            {
                "artifactStore": {
                    "oss": {
                        "enabled": True,
                        "endpoint": oss.endpoint,
                        "createSecret": {"accessKeyId": oss.access_key_id, "accessKeySecret": oss.access_key_secret},
                    }
                }
            },
        ),
        "ftp": ({"defaultArtifactRoot": f"ftp://{ftp.user}:{ftp.password}@{ftp.host}:{ftp.port}/"}, {}),
        "sftp": ({"defaultArtifactRoot": f"sftp://{sftp.user}:{sftp.password}@{sftp.host}:{sftp.port}/"}, {}),
    }
    out = []
    for name, (server, rest) in roots.items():
        path = work / f"{name}.yaml"
        values = {**head, "trackingServer": {"mode": "no-serve-artifacts", **server}, **rest}
        path.write_text(json.dumps(values, indent=2))
        out.append(path)
    return out


def one_release(svc: dict[str, Any], work: Path) -> Path:
    """A single release that probes the DB, S3 and the auth DB at once (one phase, 3 probes)."""
    s3 = svc["s3"]
    values = {
        "image": {"tag": "v2.14.1"},
        "backendStore": {"createSecret": {"backendStoreUri": svc["pg"].url()}},
        "trackingServer": {
            "mode": "serve-artifacts",
            "artifactsDestination": f"s3://{s3.bucket}/dest",
            "defaultArtifactRoot": f"sftp://{svc['sftp'].user}:{svc['sftp'].password}@"
            f"{svc['sftp'].host}:{svc['sftp'].port}/",
            "basicAuth": {
                "enabled": True,
                "createSecret": {"databaseUri": svc["pg"].url(), "authorizationFunction": ""},
            },
        },
        "artifactStore": {
            "s3": {"enabled": True, "createSecret": {"accessKeyId": s3.access_key, "secretAccessKey": s3.secret_key}}
        },
        "extraEnv": _env(MLFLOW_S3_ENDPOINT_URL=s3.endpoint_url, AWS_DEFAULT_REGION=s3.region),
    }
    path = work / "release.yaml"
    path.write_text(json.dumps(values, indent=2))
    return path


def single_releases(release: Path, work: Path) -> list[tuple[Path, str]]:
    """The release cut into one probe each: (values file, --probe group)."""
    values = json.loads(release.read_text())
    s3_only = json.loads(release.read_text())
    s3_only["trackingServer"] = {
        "mode": "artifacts-only",
        "artifactsDestination": values["trackingServer"]["artifactsDestination"],
    }
    sftp_only = json.loads(release.read_text())
    sftp_only["trackingServer"] = {
        "mode": "no-serve-artifacts",
        "defaultArtifactRoot": values["trackingServer"]["defaultArtifactRoot"],
    }
    out = [(release, "db"), (release, "auth")]
    for name, data in (("s3-only", s3_only), ("sftp-only", sftp_only)):
        path = work / f"{name}.yaml"
        path.write_text(json.dumps(data))
        out.append((path, "artifacts"))
    return out


def lint(files: list[Path], *flags: str) -> tuple[float, dict[str, Any]]:
    probe = [] if "--probe-plan" in flags or "--probe" in flags else ["--probe"]
    cmd = [sys.executable, "-m", "mlflow_lint", "--isolated", "--format", "json", *probe, *flags, *map(str, files)]
    start = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=300)
    return time.monotonic() - start, json.loads(done.stdout)


def probing_time(files: list[Path], *flags: str) -> tuple[float, dict[str, Any]]:
    """Cold: wall time of a `--probe` process minus the same run with `--probe-plan` (which
    contacts nothing), i.e. what the probe phase adds, SDK imports included."""
    wall, report = lint(files, *flags)
    plan_wall, _ = lint(files, "--probe-plan", *flags)
    return max(0.0, wall - plan_wall), report


# Warm: a fresh process calls `cli.main` twice and times the probe runner of the second call,
# when the SDKs are imported: the path of a long-lived caller, which keeps the probes in its
# own threads (probes/processes.py). Its own process, so that the test servers' threads here
# do not compete with it.
WARM = """
import contextlib, io, json, sys, time
from mlflow_lint.cli import main
from mlflow_lint.probes import runner

phases, original = [], runner.run

def timed(*args, **kwargs):
    start = time.monotonic()
    try:
        return original(*args, **kwargs)
    finally:
        phases.append(time.monotonic() - start)

runner.run = timed
for _ in range(2):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(json.loads(sys.argv[1]))
print(json.dumps({"phase": phases[-1], "report": json.loads(out.getvalue())}))
"""


def warm_phase(files: list[Path], *flags: str) -> tuple[float, dict[str, Any]]:
    """Warm: the time of the probe runner itself, in a process that has imported the SDKs."""
    argv = ["--isolated", "--format", "json", *flags, *map(str, files)]
    done = subprocess.run(
        [sys.executable, "-c", WARM, json.dumps(argv)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=True,
    )
    data = json.loads(done.stdout.splitlines()[-1])
    return data["phase"], data["report"]


def phase_ratio(
    release: Path, singles: list[tuple[Path, str]], known_hosts: Path, runs: int, measure: Any
) -> list[tuple[float, float, list[str]]]:
    """(all probes in one call, slowest probe run alone, statuses) per run."""
    kh = ("--probe-known-hosts", str(known_hosts))
    out = []
    for _ in range(runs):
        together, report = measure([release], "--probe", *kh)
        alone = [measure([path], "--probe", group, *kh)[0] for path, group in singles]
        out.append((together, max(alone), [f"{p['name']}={p['status']}" for p in report["probes"]]))
    return out


@contextmanager
def latency_proxies(svc: dict[str, Any], delay: float, work: Path) -> Iterator[dict[int, int]]:
    """One proxy process in front of PostgreSQL, S3 and SFTP: server port -> proxy port."""
    ports = {svc[name].port: free_port() for name in ("pg", "s3", "sftp")}
    routes = [f"{mine}:127.0.0.1:{theirs}" for theirs, mine in ports.items()]
    with open(work / "latency_proxy.log", "w") as log:  # its shutdown chatter stays out of the report
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.latency_proxy", "--delay", str(delay), *routes],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready", "latency proxy did not start"
        yield ports
    finally:
        proc.terminate()
        proc.wait(10)


def through(ports: dict[int, int], svc: dict[str, Any], release: Path, work: Path) -> tuple[Path, Path]:
    """The release with every server address replaced by its proxy, and a known_hosts for it."""
    text = release.read_text()
    for theirs, mine in ports.items():
        text = text.replace(f"127.0.0.1:{theirs}", f"127.0.0.1:{mine}")
    path = work / "proxied" / "release.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    known = work / "proxied" / "known_hosts"
    key = svc["sftp"].host_key_pub.read_text().strip()
    known.write_text(f"[127.0.0.1]:{ports[svc['sftp'].port]} {key}\n")
    return path, known


def blackhole(port: int, deadline: float, runs: int, work: Path) -> list[tuple[float, float]]:
    """(whole `mlflow-lint` process wall time, probe duration) per run, against a never-answering server."""
    values = {
        "image": {"tag": "v2.14.1"},
        "trackingServer": {"mode": "no-serve-artifacts", "defaultArtifactRoot": "s3://bucket/x"},
        "backendStore": {"createSecret": {"backendStoreUri": f"postgresql+psycopg://u:p@127.0.0.1:{port}/d"}},
        "extraEnv": _env(
            MLFLOW_S3_ENDPOINT_URL=f"http://127.0.0.1:{port}", AWS_ACCESS_KEY_ID="AKIAX", AWS_SECRET_ACCESS_KEY="x"
        ),
    }
    path = work / "blackhole.yaml"
    path.write_text(json.dumps(values))
    times = []
    for _ in range(runs):
        wall, report = lint([path], "--probe-timeout", str(deadline))
        assert {p["status"] for p in report["probes"]} == {"error"}, report["probes"]
        times.append((wall, max(p["duration_ms"] for p in report["probes"]) / 1000))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--deadline", type=float, default=2.0)
    parser.add_argument("--latency", type=float, default=0.025, help="proxy delay per chunk, each way (s)")
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args()
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        svc = {
            "pg": stack.enter_context(start_postgres(work)),
            "s3": stack.enter_context(start_s3(work)),
            "az": stack.enter_context(start_azurite(work)),
            "gcs": stack.enter_context(start_gcs(work)),
            "oss": stack.enter_context(start_oss(work)),
            "ftp": stack.enter_context(start_ftp(work)),
            "sftp": stack.enter_context(start_sftp(work)),
            "hole": stack.enter_context(start_blackhole(None)),
        }
        release = one_release(svc, work)
        singles = single_releases(release, work)
        cold = phase_ratio(release, singles, svc["sftp"].known_hosts, args.runs, probing_time)
        warm = phase_ratio(release, singles, svc["sftp"].known_hosts, args.runs, warm_phase)
        all_wall, all_report = lint(values_files(svc, work), "--probe-known-hosts", str(svc["sftp"].known_hosts))
        holes = blackhole(svc["hole"].port, args.deadline, args.runs, work)
        with latency_proxies(svc, args.latency, work) as ports:
            far, far_known = through(ports, svc, release, work)
            far_singles = single_releases(far, work / "proxied")
            far_warm = phase_ratio(far, far_singles, far_known, args.runs, warm_phase)
            far_cold = phase_ratio(far, far_singles, far_known, args.runs, probing_time)
    report(cold, warm, all_wall, all_report, holes, args, (far_warm, far_cold))


def _ratio_line(label: str, ratios: list[tuple[float, float, list[str]]]) -> list[str]:
    phase = statistics.median(r[0] for r in ratios)
    slowest = statistics.median(r[1] for r in ratios)
    return [
        f"{label}, one release with {len(ratios[0][2])} probes ({', '.join(ratios[0][2])}), median of "
        f"{len(ratios)} runs: probe phase {phase:.3f} s vs the slowest probe run alone {slowest:.3f} s = "
        f"ratio {phase / slowest:.2f} (target <= 1.2)",
        "  runs (phase s, slowest alone s): " + ", ".join(f"({p:.3f}, {s:.3f})" for p, s, _ in ratios),
    ]


def report(
    cold: list[tuple[float, float, list[str]]],
    warm: list[tuple[float, float, list[str]]],
    all_wall: float,
    all_report: dict[str, Any],
    holes: list[tuple[float, float]],
    args: argparse.Namespace,
    far: tuple[Any, Any],
) -> None:
    delay = f"{args.latency * 1000:g} ms each way, round trip {args.latency * 2000:g} ms"
    lines = [
        *_ratio_line(
            "Loopback, warm (a long-lived caller with the SDKs imported; threads; the runner's own time)", warm
        ),
        *_ratio_line("Loopback, cold (a fresh `mlflow-lint` process each; SDK imports included)", cold),
        *_ratio_line(f"Simulated distance ({delay}), warm", far[0]),
        *_ratio_line(f"Simulated distance ({delay}), cold", far[1]),
        f"All stores in one `mlflow-lint --probe` call ({len(all_report['probes'])} probes over "
        f"{all_report['summary']['files']} files): {all_wall:.2f} s wall; statuses "
        + ", ".join(sorted({f"{p['name']}={p['status']}" for p in all_report["probes"]})),
        f"Never-answering server (PostgreSQL and S3 probes), --probe-timeout {args.deadline:g}: the probes "
        f"reported error after {statistics.median(h[1] for h in holes):.2f} s median (max "
        f"{max(h[1] for h in holes):.2f} s); the whole `mlflow-lint` process, Python start-up and imports "
        f"included, printed its report after {statistics.median(h[0] for h in holes):.2f} s median (max "
        f"{max(h[0] for h in holes):.2f} s) vs deadline {args.deadline:g} s (target <= {args.deadline + 1:g} s)",
    ]
    print("\n".join(lines))
    if args.markdown:
        args.markdown.write_text("\n".join(f"- {line}" for line in lines) + "\n")


if __name__ == "__main__":
    main()
