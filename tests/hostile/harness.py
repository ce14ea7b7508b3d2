"""Run the real CLI in a child process with a wall-clock bound and an address-space limit."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

MEMORY_LIMIT = 1024 * 1024 * 1024  # RLIMIT_AS of the child: 1 GiB of address space


@dataclass(frozen=True)
class Outcome:
    code: int | None  # None: killed at the deadline
    out: str
    err: str
    seconds: float  # wall clock (busy machines stretch it: assert on cpu_seconds)
    max_rss_mb: float
    cpu_seconds: float = 0.0  # user + system CPU time of the child: what a bound in a test may measure


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(argv: list[str], seconds: float, prefix: tuple[str, ...] = (), cwd: str | None = None) -> Outcome:
    """`python -m mlflow_lint *argv`; killed after `seconds`; rusage of this child only (wait4)."""
    command = [*prefix, sys.executable, "-m", "mlflow_lint", *argv]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=cwd, preexec_fn=_limit_memory
        )
        code, usage = _wait(child, started + seconds)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return Outcome(
            code,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            elapsed,
            usage.ru_maxrss / 1024 if usage else 0.0,
            usage.ru_utime + usage.ru_stime if usage else 0.0,
        )


def _wait(child: subprocess.Popen[bytes], deadline: float) -> tuple[int | None, resource.struct_rusage | None]:
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            return child.returncode, usage
        if time.perf_counter() > deadline:
            child.kill()
            os.wait4(child.pid, 0)
            child.returncode = -9
            return None, None
        time.sleep(0.01)
