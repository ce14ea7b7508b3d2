"""HDFS (`hdfs://namenode:port/path`): only as far as honestly possible without Hadoop.

MLflow talks to HDFS through pyarrow and libhdfs (a JVM and a Hadoop client). Neither is
in any registry this project installs from, and no HDFS server can be started for tests, so
this probe only checks that the name node's TCP port accepts a connection. It does not
prove Kerberos, permissions, or that the path exists; the reason says so every time.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from mlflow_lint.probes.base import OK, SKIPPED, Budget, Declaration, Outcome, Target
from mlflow_lint.probes.base import network_reason as _network

DEFAULT_PORT = 8020
LIMIT = "TCP only: without a Hadoop client the linter cannot log in, check Kerberos or list the path"


def probe(target: Target, budget: Budget) -> Outcome:
    """TCP connect to the name node."""
    parts = urlsplit(target.uri)
    if not parts.hostname:
        return Outcome(SKIPPED, "the name node comes from the pod's core-site.xml (`hdfs:/path`); nothing to contact")
    where = f"{parts.hostname}:{parts.port or DEFAULT_PORT}"
    try:
        socket.create_connection((parts.hostname, parts.port or DEFAULT_PORT), timeout=budget.remaining()).close()
    except OSError as exc:
        return _network(exc, where, budget.seconds)
    return Outcome(OK, f"the name node port {where} accepts connections ({LIMIT})")


PROBE = Declaration(name="hdfs", group="artifacts", run=probe, action="TCP connect to the name node")
