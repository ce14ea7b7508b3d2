"""Runs INSIDE an MLflow venv (stdlib + MLflow only): asks MLflow's own code about configurations.

Usage: python mlflow_side.py REQUEST.json  -> one JSON line per check on stdout:
{"ok": true} or {"ok": false, "error": "<ExceptionType>: <first line>"}.

Each check names one piece of MLflow and what to feed it:
- cli            click's parsing of `mlflow server` (options, types, choices, env vars, callbacks)
- auth_config    mlflow.server.auth.config.read_auth_config() on an ini file via MLFLOW_AUTH_CONFIG_PATH
- auth_function  mlflow.server.auth.get_auth_func() on an `authorization_function` value
- artifact_repo  get_artifact_repository(uri), optionally with packages hidden
                 (the default image lacks them)
- tracking_store mlflow.server.handlers.initialize_backend_stores() on a backend store URI
- auth_store     the basic-auth SqlAlchemyStore's init_db() (migrations) and a user creation

Each check runs in a forked child (MLflow imported once, before the fork) with its own working
directory and environment, under a deadline (SIGALRM).
"""

from __future__ import annotations

import importlib.abc
import inspect
import json
import os
import signal
import sys
import tempfile
import traceback


class _Hide(importlib.abc.MetaPathFinder):
    """Makes packages the default image does not contain unimportable."""

    def __init__(self, names):
        self.names = tuple(names)

    def find_spec(self, fullname, path=None, target=None):
        if any(fullname == n or fullname.startswith(n + ".") for n in self.names):
            raise ImportError(f"No module named '{fullname}' (hidden: not in the image)")
        return None


def _cli(check):
    from mlflow.cli import server

    server.make_context("server", list(check["args"]))


def _auth_config(check):
    from mlflow.server.auth.config import read_auth_config

    read_auth_config()


def _auth_function(check):
    import mlflow.server.auth as auth

    auth.get_auth_func(check["spec"])


def _artifact_repo(check):
    from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository

    get_artifact_repository(check["uri"])


def _tracking_store(check):
    from mlflow.server import handlers

    params = inspect.signature(handlers.initialize_backend_stores).parameters
    kwargs = {"backend_store_uri": check["uri"], "default_artifact_root": check.get("root", "/tmp/oracle-artifacts")}
    if "registry_store_uri" in params:
        kwargs["registry_store_uri"] = check["uri"]
    handlers.initialize_backend_stores(**kwargs)


def _auth_store(check):
    from mlflow.server.auth.sqlalchemy_store import SqlAlchemyStore

    store = SqlAlchemyStore()
    store.init_db(check["uri"])
    store.create_user("oracle-user", "oracle-password-123456")


CHECKS = {
    "cli": _cli,
    "auth_config": _auth_config,
    "auth_function": _auth_function,
    "artifact_repo": _artifact_repo,
    "tracking_store": _tracking_store,
    "auth_store": _auth_store,
}


def run(check):
    """One check in a forked child: nothing it imports, patches or configures reaches the next one."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        result = _run_here(check)
        os.write(write_end, json.dumps(result).encode())
        os._exit(0)
    os.close(write_end)
    chunks = []
    while True:
        chunk = os.read(read_end, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    if not chunks:
        return {"ok": False, "error": "oracle: the check's process died without an answer"}
    return json.loads(b"".join(chunks))


def _run_here(check):
    signal.alarm(int(check.get("deadline", 240)))
    workdir = tempfile.mkdtemp(prefix="oracle-")
    try:
        os.chdir(workdir)
        for name in [n for n in os.environ if n.startswith("MLFLOW_")]:
            del os.environ[name]
        os.environ.update(check.get("env", {}))
        if check.get("ini") is not None:
            path = os.path.join(workdir, "basic_auth.ini")
            with open(path, "w") as handle:
                handle.write(check["ini"])
            os.environ["MLFLOW_AUTH_CONFIG_PATH"] = path
        if check.get("hide"):
            sys.meta_path.insert(0, _Hide(check["hide"]))
        CHECKS[check["kind"]](check)
        return {"ok": True}
    except BaseException as exc:  # SystemExit from click, MlflowException, ImportError, the alarm...
        text = str(exc).strip().splitlines()
        detail = f"{type(exc).__name__}: {text[0][:300] if text else ''}"
        if os.environ.get("ORACLE_DEBUG"):
            traceback.print_exc()
        return {"ok": False, "error": detail}


def _warm_up():
    """Import what every check needs once, before the forks (the children share it)."""
    import mlflow
    import mlflow.cli
    import mlflow.server.handlers
    import mlflow.store.artifact.artifact_repository_registry
    import mlflow.store.tracking.sqlalchemy_store  # noqa: F401
    # not mlflow.server.auth: it reads its ini when imported, and each check brings its own ini


def main(path):
    with open(path) as handle:
        checks = json.load(handle)
    _warm_up()
    for check in checks:
        print(json.dumps(run(check)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
