"""MLflow fails if and only if the linter reports an error: checked per case and per MLflow version.

Marked `oracle` (real MLflow in cached venvs, see mlflow_venvs.py) and `services` (loopback
PostgreSQL and MariaDB, real `mlflow server` processes). The agreement figures are printed at the end
of the run and written to $MLFLOW_LINT_ORACLE_REPORT when set.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.oracle import harness, mlflow_venvs
from tests.oracle.cases import CASES
from tests.oracle.harness import Case
from tests.oracle.seed_render import render

pytestmark = [pytest.mark.oracle, pytest.mark.services, pytest.mark.slow]
VERSIONS = list(mlflow_venvs.VERSIONS)
RESULTS: list[dict[str, Any]] = []


def _params() -> list[Any]:
    return [
        pytest.param(case, version, id=f"{case.name}@{version}")
        for case in CASES
        for version in VERSIONS
        if case.versions is None or version in case.versions
    ]


class Databases:
    """A fresh PostgreSQL and MariaDB database for each (case, version): migrations never meet."""

    def __init__(self, postgres: Any, mariadb: Any) -> None:
        self.pg, self.maria = postgres, mariadb

    def subs(self, key: str, values: dict[str, Any]) -> dict[str, str]:
        """Placeholders the values use -> the URI of a database created for them."""
        name = "o_" + re.sub(r"[^a-z0-9]", "_", key.lower())[:50]
        text = json.dumps(values)
        makers = {
            "pg_tcp": lambda: self._pg(name, "tcp"),
            "pg_socket": lambda: self._pg(name + "_s", "socket"),
            "maria": lambda: self._maria(name),
        }
        return {key: make() for key, make in makers.items() if "{" + key + "}" in text}

    def _pg(self, name: str, how: str) -> str:
        bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        psql = [
            str(bindir / "psql"),
            "-X",
            "-q",
            "-h",
            self.pg.host,
            "-p",
            str(self.pg.port),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-c",
            f"CREATE DATABASE {name} OWNER mlflow",
        ]
        subprocess.run(
            psql,
            env={"PGPASSWORD": self.pg.superuser_password, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            check=False,
            timeout=60,
        )
        if how == "socket":
            return f"postgresql://mlflow:{self.pg.password}@/{name}?host={self.pg.socket_dir}&port={self.pg.port}"
        return f"postgresql://mlflow:{self.pg.password}@{self.pg.host}:{self.pg.port}/{name}"

    def _maria(self, name: str) -> str:
        sql = f"CREATE DATABASE IF NOT EXISTS {name}; GRANT ALL ON {name}.* TO 'mlflow'@'127.0.0.1';"
        subprocess.run(
            ["mariadb", "--no-defaults", "-S", str(self.maria.socket), "-uroot", "-e", sql],
            capture_output=True,
            check=False,
            timeout=60,
        )
        return f"mysql+pymysql://mlflow:{self.maria.password}@{self.maria.host}:{self.maria.port}/{name}"


@pytest.fixture(scope="session")
def databases(postgres_server: Any, mariadb_server: Any) -> Databases:
    return Databases(postgres_server, mariadb_server)


class Prepared:
    def __init__(self, case: Case, values: dict[str, Any] | None) -> None:
        self.case, self.values = case, values
        self.rendered = render(values) if values is not None else None
        self.checks: list[dict[str, Any]] = []
        self.results: list[dict[str, Any]] = []


@pytest.fixture(scope="session")
def side_results(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """All in-process checks of one version in ONE subprocess (MLflow imports once), computed on first use."""
    cache: dict[str, dict[str, Prepared]] = {}

    def get(case: Case, version: str) -> Prepared:
        if version not in cache:
            prepared: dict[str, Prepared] = {}
            for other in CASES:
                if other.versions is not None and version not in other.versions:
                    continue
                values = None
                if other.values is not None:
                    values = other.values_for(version)
                    values = harness.substitute(values, databases.subs(f"{other.name}_{version}", values))
                item = Prepared(other, values)
                item.checks = harness.in_process_checks(other, version, item.rendered)
                prepared[other.name] = item
            flat = [(item, check) for item in prepared.values() for check in item.checks]
            workdir = tmp_path_factory.mktemp(f"side-{version}")
            results = harness.run_side(version, [check for _, check in flat], workdir)
            for (item, _), result in zip(flat, results, strict=True):
                item.results.append(result)
            cache[version] = prepared
        return cache[version][case.name]

    return get


@pytest.mark.parametrize(("case", "version"), _params())
def test_mlflow_fails_iff_linter_errors(case: Case, version: str, side_results: Any, tmp_path: Path) -> None:
    prepared = side_results(case, version)
    lint_case = Case(**{**case.__dict__, "values": prepared.values})
    findings = harness.lint(lint_case, version, tmp_path)
    errors = harness.linter_errors(findings)
    verdict = harness.mlflow_verdict(case, version, prepared.results, prepared.checks, prepared.rendered, tmp_path)
    strict = bool(errors) and not verdict.fails and errors <= set(case.strict)
    outcome = (
        "agree" if bool(errors) == verdict.fails else "strict" if strict else ("false-alarm" if errors else "miss")
    )
    RESULTS.append(
        {
            "case": case.name,
            "version": version,
            "outcome": outcome,
            "mlflow_fails": verdict.fails,
            "linter_errors": sorted(errors),
            "why": verdict.why,
        }
    )
    shown = [f"{f['code']} {f['severity']}: {f['message'][:160]}" for f in findings]
    assert outcome in ("agree", "strict"), (
        f"{outcome}: MLflow {version} {'fails' if verdict.fails else 'works'} ({'; '.join(verdict.why) or '-'}), "
        f"linter errors {sorted(errors) or 'none'}\nfindings:\n  " + "\n  ".join(shown)
    )
