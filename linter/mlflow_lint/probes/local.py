"""Local or NFS paths (`/mnt/artifacts`, `file:///mnt/artifacts`), checked where the linter runs.

What this proves: the path exists and is writable on THIS machine. What it does not: the pod
sees its own filesystem (usually a mounted volume), so a pass here says nothing about the
pod, and a path missing here may exist there. That is why a missing path is `error` (could
not decide) rather than `fail`; an existing but unwritable path is `fail`.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import unquote, urlsplit

from mlflow_lint.probes.base import (
    ERROR,
    FAIL,
    MARKER_BODY,
    MARKER_PREFIX,
    OK,
    Budget,
    Declaration,
    Outcome,
    Target,
    kind,
)

NOTE = "checked on the linter's machine, not in the pod (which sees its own volume)"


def probe(target: Target, budget: Budget) -> Outcome:
    """Exists, is a directory, is writable (and with --probe-write: write/read/delete a marker)."""
    path = unquote(urlsplit(target.uri).path) if target.uri.startswith("file:") else target.uri
    if not os.path.exists(path):
        return Outcome(ERROR, f"`{path}` does not exist here; {NOTE}")
    if not os.path.isdir(path):
        return Outcome(FAIL, f"`{path}` is not a directory; {NOTE}")
    if not os.access(path, os.W_OK | os.X_OK):
        return Outcome(FAIL, f"`{path}` is not writable; {NOTE}")
    if budget.write:
        return _write(path)
    return Outcome(OK, f"`{path}` exists and is writable; {NOTE}")


def _write(path: str) -> Outcome:
    name = os.path.join(path, f"{MARKER_PREFIX}{uuid.uuid4().hex}")
    try:
        # A new file only (O_EXCL), never through a symlink: the directory is the values' choice.
        descriptor = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(MARKER_BODY)
        with open(name, "rb") as handle:
            back = handle.read()
    except OSError as exc:
        return Outcome(FAIL, f"cannot write in `{path}` ({kind(exc)}); {NOTE}")
    finally:
        if os.path.exists(name):
            os.unlink(name)
    if back != MARKER_BODY:
        return Outcome(FAIL, f"wrote `{name}` but read back different bytes")
    return Outcome(OK, f"wrote, read back and deleted a marker in `{path}`; {NOTE}")


PROBE = Declaration(name="local", group="artifacts", run=probe, action="the path exists and is writable from here")
