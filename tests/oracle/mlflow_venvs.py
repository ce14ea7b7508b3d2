"""Real MLflow, one virtual environment per version, cached outside the clone.

The oracle tier asks MLflow itself what it does with a configuration. Each version lives in its own
venv under ``$MLFLOW_LINT_ORACLE_CACHE`` (default ``/var/cache/mlflow-lint/oracle``), in a directory
named after the version and a digest of everything that went into it (constraints, drivers, the
interpreter), so a changed recipe builds a new venv and an unchanged one is reused. A venv is used
only when its ``.ready`` stamp matches and ``import mlflow`` reports the expected version; a half-built
one (a killed install) is never used: builds happen in a temporary sibling directory that is renamed
into place when complete, under a file lock so two test runs never build the same venv twice.

Run as a script to build every venv up front (CI starts this in the background while the rest of the
suite runs): ``python tests/oracle/mlflow_venvs.py [VERSION...]``.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Old MLflow releases declare open upper bounds on libraries that later broke them: SQLAlchemy 2.1
# (new default PostgreSQL driver, removed APIs), NumPy 2 (ABI of the pandas/pyarrow wheels of the
# time), setuptools 81 (pkg_resources removed; MLflow 2.x imports it at start-up).
_CONSTRAINTS_2X = ("sqlalchemy<2.1", "numpy<2", "setuptools<81", "pandas<2.3")
# Drivers MLflow needs for the store creation the tier checks on PostgreSQL and MariaDB, and the
# Azure Data Lake client the abfss artifact repository builds in its constructor.
_DRIVERS_2X = ("psycopg2-binary", "pymysql", "azure-storage-file-datalake", "azure-identity")
_DRIVERS_3X = ("psycopg2-binary", "psycopg[binary]", "pymysql", "azure-storage-file-datalake", "azure-identity")

# The versions where the rules change, and the newest release of each line that installs (3.18.0 is
# on PyPI but needs mlflow-tracing==3.18.0, which is not).
# Basic auth needs Flask-WTF from 2.21.0 on (`mlflow[auth]`).
VERSIONS: dict[str, tuple[str, ...]] = {
    "2.10.0": _CONSTRAINTS_2X + _DRIVERS_2X,
    "2.14.1": _CONSTRAINTS_2X + _DRIVERS_2X,
    "2.22.5": _CONSTRAINTS_2X + _DRIVERS_2X + ("Flask-WTF<2",),
    "3.17.2": _DRIVERS_3X + ("Flask-WTF<2",),
}
DEFAULT_CACHE = "/var/cache/mlflow-lint/oracle"
INSTALL_TIMEOUT_S = 1500


def cache_root() -> Path:
    """$MLFLOW_LINT_ORACLE_CACHE, else /var/cache/mlflow-lint/oracle (CI runs as root), else ~/.cache."""
    if os.environ.get("MLFLOW_LINT_ORACLE_CACHE"):
        return Path(os.environ["MLFLOW_LINT_ORACLE_CACHE"])
    default = Path(DEFAULT_CACHE)
    probe = default if default.exists() else default.parent.parent
    if os.access(probe, os.W_OK):
        return default
    return Path.home() / ".cache" / "mlflow-lint" / "oracle"


def recipe(version: str) -> dict[str, object]:
    return {
        "mlflow": version,
        "requirements": list(VERSIONS[version]),
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
    }


def venv_dir(version: str) -> Path:
    digest = hashlib.sha256(json.dumps(recipe(version), sort_keys=True).encode()).hexdigest()[:10]
    return cache_root() / f"mlflow-{version}-{digest}"


def python_of(version: str) -> Path:
    return venv_dir(version) / "bin" / "python"


def is_healthy(version: str) -> bool:
    where = venv_dir(version)
    stamp = where / ".ready"
    try:
        if json.loads(stamp.read_text()) != recipe(version):
            return False
    except (OSError, ValueError):
        return False
    probe = subprocess.run(
        [str(where / "bin" / "python"), "-c", "import mlflow; print(mlflow.__version__)"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return probe.returncode == 0 and probe.stdout.strip() == version


_READY: set[str] = set()  # versions found healthy by this process (the check imports MLflow: seconds)


def ensure(version: str, log=sys.stderr) -> Path:
    """Return the venv's python for *version*, building the venv first if needed."""
    if version in _READY:
        return python_of(version)
    python = _ensure(version, log)
    _READY.add(version)
    return python


def _ensure(version: str, log) -> Path:
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f".lock-{version}", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_healthy(version):
            return python_of(version)
        final = venv_dir(version)
        _prune(version)
        building = Path(tempfile.mkdtemp(prefix=f".build-{version}-", dir=root))
        try:
            subprocess.run([sys.executable, "-m", "venv", str(building)], check=True, timeout=300)
            pip = [str(building / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
            subprocess.run(pip + ["--upgrade", "pip"], check=True, timeout=300, stdout=log, stderr=log)
            subprocess.run(
                pip + [f"mlflow=={version}", *VERSIONS[version]],
                check=True,
                timeout=INSTALL_TIMEOUT_S,
                stdout=log,
                stderr=log,
            )
            (building / ".ready").write_text(json.dumps(recipe(version)))
            if final.exists():
                shutil.rmtree(final)
            building.rename(final)
            _repoint_scripts(building, final)
        finally:
            if building.exists():
                shutil.rmtree(building, ignore_errors=True)
        if not is_healthy(version):
            raise RuntimeError(f"MLflow {version} venv at {final} is not healthy after install")
        return python_of(version)


def _prune(version: str) -> None:
    """Drop what killed builds and older recipes of this version left behind (the lock is held)."""
    for stale in [*cache_root().glob(f".build-{version}-*"), *cache_root().glob(f"mlflow-{version}-*")]:
        shutil.rmtree(stale, ignore_errors=True)


def _repoint_scripts(old: Path, new: Path) -> None:
    """A renamed venv's console scripts and activate files still name the build directory."""
    old_b, new_b = str(old).encode(), str(new).encode()
    cfg = new / "pyvenv.cfg"
    for path in [cfg, *(new / "bin").iterdir()]:
        if path.is_symlink() or not path.is_file():
            continue
        data = path.read_bytes()
        if old_b in data[:4096] or (path.suffix in {"", ".cfg", ".sh", ".fish", ".csh", ".ps1"} and old_b in data):
            path.write_bytes(data.replace(old_b, new_b))


def main(argv: list[str]) -> int:
    """Build (or check) the venvs, two at a time: downloads and unpacking overlap on two cores."""
    from concurrent.futures import ThreadPoolExecutor

    versions = argv or list(VERSIONS)

    def one(version: str) -> bool:
        try:
            print(f"oracle: MLflow {version} -> {ensure(version)}", flush=True)
            return True
        except (subprocess.SubprocessError, OSError, RuntimeError) as exc:
            print(f"oracle: MLflow {version} failed: {exc}", file=sys.stderr, flush=True)
            return False

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(one, versions))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
