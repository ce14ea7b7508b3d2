"""FTP artifact stores (`ftp://user:pass@host:port/path`): stdlib ftplib, login and cwd.

The credentials are inside the URI, as MLflow's FTPArtifactRepository reads them (the
password percent-decoded). `timeout` bounds connect, login and every reply. A path that
does not exist yet is fine: MLflow creates the directories on the first upload.
"""

from __future__ import annotations

import ftplib
import io
import uuid
from contextlib import suppress
from urllib.parse import unquote, urlsplit

from mlflow_lint.probes.base import FAIL, MARKER_PREFIX, OK, Budget, Outcome, Target, kind
from mlflow_lint.probes.base import network_reason as _network


def probe(target: Target, budget: Budget) -> Outcome:
    """Connect, log in, change to the path."""
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
            outcome = _write(ftp, outcome)
    except ftplib.error_perm as exc:
        return Outcome(FAIL, f"{where} refused user `{user}` ({kind(exc)} {str(exc)[:3]}): wrong user or password")
    except Exception as exc:
        return _network(exc, where, budget.seconds)
    finally:
        ftp.close()
    return outcome


def _cwd(ftp: ftplib.FTP, path: str, where: str) -> Outcome:
    try:
        ftp.cwd(path)
    except ftplib.error_perm:
        return Outcome(OK, f"logged in to {where}; `{path}` does not exist yet (MLflow creates it on upload)")
    return Outcome(OK, f"logged in to {where} and changed to `{path}`")


def _write(ftp: ftplib.FTP, read: Outcome) -> Outcome:
    name, body = f"{MARKER_PREFIX}{uuid.uuid4().hex}", b"mlflow-lint probe marker; safe to delete\n"
    back = io.BytesIO()
    try:
        ftp.storbinary(f"STOR {name}", io.BytesIO(body))
        ftp.retrbinary(f"RETR {name}", back.write)
    finally:
        with suppress(Exception):  # cleanup must never hide the real outcome
            ftp.delete(name)
    if back.getvalue() != body:
        return Outcome(FAIL, f"wrote `{name}` but read back different bytes")
    return Outcome(OK, read.reason + f"; wrote, read back and deleted `{name}`")
