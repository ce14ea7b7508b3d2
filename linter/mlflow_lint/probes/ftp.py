"""FTP artifact stores (`ftp://user:pass@host:port/path`): stdlib ftplib, login and cwd.

The credentials are inside the URI, as MLflow's FTPArtifactRepository reads them (the
password percent-decoded). `timeout` bounds connect, login and every reply. A path that
does not exist yet is fine: MLflow creates the directories on the first upload.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import closing
from urllib.parse import unquote, urlsplit

from mlflow_lint.probes.base import FAIL, OK, Budget, Declaration, Outcome, Target, kind, marker_key, round_trip
from mlflow_lint.probes.base import network_reason as _network

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ftplib


def probe(target: Target, budget: Budget) -> Outcome:
    """Connect, log in, change to the path."""
    import ftplib  # here: the runner imports every probe's declaration, most runs probe no FTP

    parts = urlsplit(target.uri)
    host, port = parts.hostname or "localhost", parts.port or 21
    where = f"{host}:{port}"
    user, password = unquote(parts.username or "anonymous"), unquote(parts.password or "")
    path = parts.path or "/"
    ftp = ftplib.FTP()
    try:
        ftp.connect(host, port, timeout=budget.remaining())
        ftp.login(user, password)
        outcome = _cwd(ftp, path, where)
        if outcome.status == OK and budget.write and "does not exist" not in outcome.reason:
            outcome = _write(ftp, outcome, budget, lambda: _session(host, port, user, password, path, budget))
    except ftplib.error_perm as exc:
        return Outcome(FAIL, f"{where} refused user `{user}` ({kind(exc)} {str(exc)[:3]}): wrong user or password")
    except Exception as exc:
        return _network(exc, where, budget.seconds)
    finally:
        ftp.close()
    return outcome


def _cwd(ftp: ftplib.FTP, path: str, where: str) -> Outcome:
    import ftplib

    try:
        ftp.cwd(path)
    except ftplib.error_perm:
        return Outcome(OK, f"logged in to {where}; `{path}` does not exist yet (MLflow creates it on upload)")
    return Outcome(OK, f"logged in to {where} and changed to `{path}`")


def _write(ftp: ftplib.FTP, read: Outcome, budget: Budget, fresh: Callable[[], ftplib.FTP]) -> Outcome:
    name = marker_key("")  # in the working directory the read probe changed to
    done: list[bool] = []

    def get() -> bytes:
        back = io.BytesIO()
        ftp.retrbinary(f"RETR {name}", back.write)
        done.append(True)
        return back.getvalue()

    def delete() -> None:
        if done:
            ftp.delete(name)
            return
        # The read-back stalled on this connection (a transfer in progress): delete on a new one.
        with closing(fresh()) as other:
            other.delete(name)

    return round_trip(name, lambda body: ftp.storbinary(f"STOR {name}", io.BytesIO(body)), get, delete, read, budget)


def _session(host: str, port: int, user: str, password: str, path: str, budget: Budget) -> ftplib.FTP:
    import ftplib

    ftp = ftplib.FTP()
    ftp.connect(host, port, timeout=budget.remaining(0.1))
    ftp.login(user, password)
    ftp.cwd(path)
    return ftp


PROBE = Declaration(name="ftp", group="artifacts", run=probe, action="log in, change to the path")
