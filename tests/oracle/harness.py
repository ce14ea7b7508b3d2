"""Asks real MLflow and the linter about the same configuration, and compares their verdicts.

MLflow's verdict: the seed chart's rendering (seed_render) fed to MLflow's own code in the version's
venv (mlflow_side, one subprocess per version for all in-process checks) and, where only a running
server shows the truth, a real `mlflow server` on loopback with a deadline. The linter's verdict:
`mlflow-lint --format json --mlflow-version X.Y.Z` on the values file (or basic_auth.ini), through its
public command line.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.oracle import mlflow_venvs
from tests.oracle.seed_render import AUTH_MOUNT, Rendered

SIDE = Path(__file__).with_name("mlflow_side.py")
HIDE_DEFAULT_IMAGE = [
    "boto3",
    "botocore",
    "google.cloud.storage",
    "azure",
    "psycopg2",
    "psycopg",
    "pymysql",
    "flask_wtf",
    "pysftp",
    "oss2",
    "aliyunstoreplugin",
]
# Findings about secret hygiene judge where a value is written, not what MLflow does with it: they
# take no part in the comparison (tests/secrets and tests/rules cover them). MLF406 is about the pod
# being reachable, which a server on loopback cannot show.
NOT_ABOUT_MLFLOW = {"MLF301", "MLF302", "MLF303", "MLF304", "MLF305", "MLF306", "MLF307", "MLF308", "MLF310", "MLF406"}
SERVER_DEADLINE_S = 120.0
CHECK_DEADLINE_S = 600.0


@dataclass
class Case:
    """One configuration. `values` is a seed-chart (v2) values file; `ini` a standalone basic_auth.ini."""

    name: str
    values: dict[str, Any] | None = None
    checks: tuple[str, ...] = ("cli",)
    ini: str | None = None
    server: bool = False
    versions: tuple[str, ...] | None = None  # None: every oracle version
    # codes the linter reports as errors on purpose although MLflow works -> the documented reason
    strict: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)  # environment of a standalone ini's server
    intended_db: str | None = None  # the SQLite file the values mean the tracking data to go to
    default_image: bool = False  # lint with the stock image (ghcr.io/mlflow/mlflow:v<version>)

    def values_for(self, version: str) -> dict[str, Any]:
        values = json.loads(json.dumps(self.values or {}))
        image = values.setdefault("image", {})
        image.setdefault("tag", f"v{version}")
        if not self.default_image:
            image.setdefault("repository", "acme/mlflow-with-drivers")
        return values


@dataclass
class Verdict:
    fails: bool
    why: list[str]


def substitute(obj: Any, subs: dict[str, str]) -> Any:
    if isinstance(obj, str):
        for key, value in subs.items():
            obj = obj.replace("{" + key + "}", value)
        return obj
    if isinstance(obj, list):
        return [substitute(item, subs) for item in obj]
    if isinstance(obj, dict):
        return {key: substitute(value, subs) for key, value in obj.items()}
    return obj


# ----------------------------------------------------------------------------------------- linter


def lint(case: Case, version: str, workdir: Path) -> list[dict[str, Any]]:
    """The linter's findings (errors and everything else) through its public command line."""
    if case.ini is not None:
        target = workdir / "basic_auth.ini"
        target.write_text(case.ini)
    else:
        target = workdir / "values.yaml"
        target.write_text(yaml.safe_dump(case.values_for(version), sort_keys=False))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlflow_lint",
            "--isolated",
            "--format",
            "json",
            "--mlflow-version",
            version,
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=workdir,
    )
    assert proc.returncode in (0, 1), f"mlflow-lint exited {proc.returncode}: {proc.stderr[-2000:]}"
    return json.loads(proc.stdout)["findings"]


def linter_errors(findings: list[dict[str, Any]]) -> set[str]:
    return {f["code"] for f in findings if f["severity"] == "error" and f["code"] not in NOT_ABOUT_MLFLOW}


# ----------------------------------------------------------------------------- MLflow (in-process)


def in_process_checks(case: Case, version: str, rendered: Rendered | None) -> list[dict[str, Any]]:
    """The checks this case asks of MLflow's code, as requests for mlflow_side.py."""
    if case.ini is not None:
        return [{"kind": "auth_config", "ini": case.ini, "env": case.env}] if "auth_config" in case.checks else []
    assert rendered is not None
    hide = HIDE_DEFAULT_IMAGE if case.default_image else []
    env = dict(rendered.env)
    out: list[dict[str, Any]] = []
    if "cli" in case.checks:
        out.append({"kind": "cli", "args": rendered.args, "env": env})
    if "artifact" in case.checks:
        for name, envvar in (
            ("--default-artifact-root", "MLFLOW_DEFAULT_ARTIFACT_ROOT"),
            ("--artifacts-destination", "MLFLOW_ARTIFACTS_DESTINATION"),
        ):
            uri = rendered.option(name, envvar)
            if uri:
                out.append({"kind": "artifact_repo", "uri": uri, "env": env, "hide": hide})
    if "store" in case.checks:
        uri = rendered.option("--backend-store-uri", "MLFLOW_BACKEND_STORE_URI")
        if uri:
            out.append({"kind": "tracking_store", "uri": uri, "env": env, "hide": hide})
    if "auth" in case.checks:
        out += _auth_checks(rendered, env, hide)
    return out


def _auth_checks(rendered: Rendered, env: dict[str, str], hide: list[str]) -> list[dict[str, Any]]:
    """The auth config reader, the auth store's migrations and the authorization function, on the ini
    MLflow reads: the chart's mounted file when MLFLOW_AUTH_CONFIG_PATH points at it, else the packaged one."""
    ini = rendered.ini if env.get("MLFLOW_AUTH_CONFIG_PATH") == AUTH_MOUNT else None
    if ini is None:
        env = {k: v for k, v in env.items() if k != "MLFLOW_AUTH_CONFIG_PATH"}
    base = {"env": env, "hide": hide, "ini": ini}
    auth = dict(line.split(" = ", 1) for line in (ini or "").splitlines()[1:] if " = " in line)
    out = [{"kind": "auth_config", **base}]
    if auth.get("database_uri"):
        out.append({"kind": "auth_store", "uri": auth["database_uri"], **base})
    spec = auth.get("authorization_function", "mlflow.server.auth:authenticate_request_basic_auth")
    out.append({"kind": "auth_function", "spec": spec, **base})
    return out


def run_side(version: str, checks: list[dict[str, Any]], workdir: Path) -> list[dict[str, Any]]:
    if not checks:
        return []
    python = mlflow_venvs.ensure(version)
    request = workdir / "request.json"
    request.write_text(json.dumps(checks))
    proc = subprocess.run(
        [str(python), str(SIDE), str(request)],
        capture_output=True,
        text=True,
        timeout=CHECK_DEADLINE_S,
        check=False,
        cwd=workdir,
        env=_scrubbed_env(),
    )
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == len(checks), f"mlflow_side ended early ({proc.returncode}): {proc.stderr[-3000:]}"
    return lines


def _scrubbed_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "AWS_", "AZURE_", "GOOGLE_"))}
    env.pop("PYTHONPATH", None)
    return env


# ------------------------------------------------------------------------------- MLflow (server)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, auth: tuple[str, str] | None = None) -> int:
    request = urllib.request.Request(url)
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def run_server(case: Case, version: str, rendered: Rendered | None, workdir: Path) -> Verdict:
    """Start `mlflow server` on loopback with what the chart renders; does it serve, log in, track?"""
    python = mlflow_venvs.ensure(version)
    port = _free_port()
    env = _scrubbed_env()
    if rendered is not None:
        args, env_add, ini = list(rendered.args), dict(rendered.env), rendered.ini
    else:  # a standalone basic_auth.ini: the server is started with basic auth and that file
        args, env_add, ini = ["--app-name=basic-auth"], {"MLFLOW_AUTH_CONFIG_PATH": AUTH_MOUNT, **case.env}, case.ini
    if env_add.get("MLFLOW_AUTH_CONFIG_PATH") == AUTH_MOUNT and ini is not None:
        (workdir / "basic_auth.ini").write_text(ini)
        env_add["MLFLOW_AUTH_CONFIG_PATH"] = str(workdir / "basic_auth.ini")
    env.update(env_add)
    args = [a for a in args if not a.startswith(("--host", "--port", "-h", "-p"))]
    argv = [str(python), "-m", "mlflow", "server", *args, "--host=127.0.0.1", f"--port={port}"]
    log = (workdir / "server.log").open("w")
    proc = subprocess.Popen(argv, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        verdict = _watch(proc, base, ini, env_add, workdir, case)
    finally:
        _stop(proc)
        log.close()
    if verdict.fails:
        verdict.why.append("server log: " + _tail(workdir / "server.log"))
    return verdict


def _watch(
    proc: subprocess.Popen[bytes], base: str, ini: str | None, env: dict[str, str], workdir: Path, case: Case
) -> Verdict:
    """Serving (/health), then a tracking call (as the admin when basic auth is on), then the admin's own
    record, then (when the case says where the data should go) that it went there."""
    failed = _wait_healthy(proc, base)
    if failed:
        return failed
    auth = None
    if any(str(arg) == "--app-name=basic-auth" for arg in proc.args):  # type: ignore[union-attr]
        if "MLFLOW_AUTH_CONFIG_PATH" not in env:  # MLflow reads the ini it ships
            ini = _packaged_ini(Path(str(proc.args[0])))  # type: ignore[index]
        auth = _admin(ini, env)
    if "--artifacts-only" in proc.args:  # type: ignore[operator]
        return Verdict(False, [])  # no tracking API to call: serving is the whole job
    status = _get(base + "/api/2.0/mlflow/experiments/search?max_results=1", auth)
    if status != 200:
        return Verdict(True, [f"experiments/search as {'admin' if auth else 'anonymous'} -> HTTP {status}"])
    if auth and (status := _get(base + f"/api/2.0/mlflow/users/get?username={auth[0]}", auth)) != 200:
        return Verdict(True, [f"users/get as admin -> HTTP {status}"])
    if case.intended_db and not (workdir / case.intended_db).exists():
        return Verdict(True, [f"the tracking data did not go to {case.intended_db}: the configured store is unused"])
    return Verdict(False, [])


def _wait_healthy(proc: subprocess.Popen[bytes], base: str) -> Verdict | None:
    """None once /health answers 200; a failing verdict if the server exits or the deadline passes first."""
    deadline = time.monotonic() + SERVER_DEADLINE_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return Verdict(True, [f"server exited with {proc.returncode} before serving"])
        try:
            if _get(base + "/health") == 200:
                return None
        except OSError:
            pass
        time.sleep(0.5)
    return Verdict(True, ["server did not answer /health before the deadline"])


def _packaged_ini(python: Path) -> str:
    found = sorted(python.parent.parent.glob("lib/python*/site-packages/mlflow/server/auth/basic_auth.ini"))
    return found[0].read_text() if found else ""


def _admin(ini: str | None, env: dict[str, str]) -> tuple[str, str]:
    conf = dict(line.split("=", 1) for line in (ini or "").splitlines() if "=" in line)
    conf = {k.strip(): v.strip() for k, v in conf.items()}
    user = env.get("MLFLOW_AUTH_ADMIN_USERNAME") or conf.get("admin_username", "admin")
    password = env.get("MLFLOW_AUTH_ADMIN_PASSWORD") or conf.get("admin_password", "password")
    return user, password


def _stop(proc: subprocess.Popen[bytes]) -> None:
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 15)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _tail(path: Path) -> str:
    lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    interesting = [line for line in lines if "Error" in line or "error" in line or "Exception" in line]
    return " | ".join((interesting or lines)[-3:])[:600]


# -------------------------------------------------------------------------------------- verdicts


def mlflow_verdict(
    case: Case,
    version: str,
    side_results: list[dict[str, Any]],
    checks: list[dict[str, Any]],
    rendered: Rendered | None,
    workdir: Path,
) -> Verdict:
    why = [f"{c['kind']}: {r['error']}" for c, r in zip(checks, side_results, strict=True) if not r["ok"]]
    if why:
        return Verdict(True, why)
    if case.server:
        return run_server(case, version, rendered, workdir)
    return Verdict(False, [])
