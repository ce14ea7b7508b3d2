"""The shapes every probe shares: what to contact, how long it may take, what it found.

Statuses: `ok`; `fail` (the target answered and said no: wrong credentials, missing bucket
or database, permission denied, outdated schema); `error` (could not decide: unreachable,
timeout, TLS, DNS); `skipped` (missing SDK or driver, or nothing to probe); `planned`
(only with `--probe-plan`: what would be contacted).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field

from mlflow_lint.paths import Path
from mlflow_lint.probes import DEFAULT_TIMEOUT
from mlflow_lint.uris import redact

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

OK, FAIL, ERROR, SKIPPED, PLANNED = "ok", "fail", "error", "skipped", "planned"
MARKER_PREFIX = ".mlflow-lint-probe-"  # name of the object --probe-write creates and deletes
MARKER_BODY = b"mlflow-lint probe marker; safe to delete\n"


@dataclass(frozen=True)
class ProbeOptions:
    """What the CLI asked for. `groups` None = every applicable probe."""

    groups: frozenset[str] | None = None
    plan_only: bool = False
    timeout: float = DEFAULT_TIMEOUT
    write: bool = False
    known_hosts: str | None = None
    ambient: bool = False  # --probe-ambient-credentials: the machine's own credentials may be used
    allow_hosts: frozenset[str] = frozenset()  # --probe-allow-host HOST[:PORT], lower-cased


@dataclass(frozen=True)
class Target:
    """One endpoint to contact. `secrets` hold credential VALUES and are never printed;
    `credentials` says where they come from (a values key, a Secret, the environment)."""

    probe: str  # a key of PROBES
    group: str  # "db", "artifacts" or "auth"
    role: str  # "backend store", "default artifact root", ...
    uri: str  # as MLflow sees it; may hold a password (show `display`)
    path: Path  # the values key that configured it
    credentials: str = ""
    settings: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict, repr=False)
    notes: tuple[str, ...] = ()
    skip: str = ""  # set: nothing to contact, this is why
    ambient: bool = False  # the probe would use the linter's own credentials (env, files, identity)
    refused: bool = False  # `skip` is a refusal of the credential policy (reported as MLF900)

    @property
    def display(self) -> str:
        return redact(self.uri)


@dataclass(frozen=True)
class Outcome:
    """What one probe concluded; `reason` is written by the probe, never raw exception text."""

    status: str
    reason: str
    needs_install: bool = False  # skipped because an SDK or driver is missing (MLF900)


@dataclass(frozen=True)
class ProbeResult:
    """One line of the probe section of every report (already redacted)."""

    name: str
    target: str
    status: str
    reason: str
    duration_ms: int
    path: str
    role: str = ""
    credentials: str = ""
    file: str = ""
    line: int = 0


class Budget:
    """A probe's hard deadline; clients get `remaining()` as their own timeouts, so they give
    up (with a precise reason) a little before the runner stops waiting."""

    def __init__(
        self, seconds: float, *, write: bool = False, known_hosts: str | None = None, ambient: bool = False
    ) -> None:
        self.seconds = seconds
        self.ambient = ambient  # the machine's own credentials (SSH keys, agent) may be offered
        self.end = time.monotonic() + seconds
        self.write = write
        self.known_hosts = known_hosts

    def remaining(self, floor: float = 0.2) -> float:
        """Seconds left, kept slightly under the runner's deadline, never below `floor`."""
        return max(floor, (self.end - time.monotonic()) * 0.9)


@dataclass(frozen=True)
class Declaration:
    """Everything about one probe, declared once in its own module (checked by one registry test)."""

    name: str  # a key of probes.PROBES
    group: str  # "db", "artifacts" or "auth" (what --probe selects)
    run: Callable[[Target, Budget], Outcome]
    action: str  # what it does, as --probe-plan says it ("HeadBucket, ...")
    sdk: tuple[str, ...] = ()  # modules it imports first (the runner imports them in turn)
    extra: str = ""  # the `mlflow-lint[extra]` that brings the SDK
    packages: str = ""  # the same, for pre-commit's additional_dependencies
    # Seconds to import each module in a fresh interpreter (`python -c "import X"` minus start-up,
    # 2-core machine, 2026-12); the runner packs probe groups over the cores by them.
    import_seconds: Mapping[str, float] = field(default_factory=dict)
    credential_variables: tuple[str, ...] = ()  # from the pod's environment: sent as credentials
    setting_variables: tuple[str, ...] = ()  # from the pod's environment: endpoint, region, TLS...
    identity_annotation: str = ""  # the service-account annotation of workload identity
    # Falls back to the machine's own credentials when the values give none (the credential
    # policy allows that only with --probe-ambient-credentials, towards `provider_hosts`).
    ambient: bool = False
    provider_hosts: tuple[str, ...] = ()  # the provider's own endpoints, as host suffixes


def missing_sdk(probe: Declaration, module: str) -> Outcome:
    """`skipped` with the exact pip command and pre-commit line (check-jsonschema's habit)."""
    return Outcome(
        SKIPPED,
        f"`{module}` is not installed: `pip install 'mlflow-lint[{probe.extra}]'` "
        f"(pre-commit: `additional_dependencies: [{probe.packages}]`)",
        True,
    )


def missing_package(module: str, package: str) -> Outcome:
    """`skipped` for a driver outside the extras (pymssql, mysqlclient...)."""
    return Outcome(
        SKIPPED,
        f"`{module}` is not installed: `pip install {package}` (pre-commit: `additional_dependencies: [{package}]`)",
        True,
    )


def kind(exc: BaseException) -> str:
    """The class name of an exception, which is safe to print (its text may not be)."""
    return type(exc).__name__


def chain(exc: BaseException) -> list[BaseException]:
    """The exception and its causes/contexts, outermost first (bounded)."""
    out: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in out and len(out) < 8:
        out.append(current)
        current = current.__cause__ or current.__context__
    return out


def is_timeout(exc: BaseException) -> bool:
    """Any timeout anywhere in the chain (socket, urllib3, botocore, SDK-specific)."""
    return any(
        isinstance(e, TimeoutError) or "timeout" in kind(e).lower() or "timed out" in str(e).lower() for e in chain(exc)
    )


def forbidden_outcome(where: str) -> Outcome:
    """A probe stopped before contacting a link-local or cloud-metadata address."""
    return Outcome(
        FAIL,
        f"{where or 'the endpoint'} is (or resolves to) a link-local or cloud-metadata address; "
        "probes never contact those, nothing was sent",
    )


def network_reason(exc: BaseException, where: str, seconds: float) -> Outcome:
    """Classify a failure to reach `where`: timeout, DNS, refused, TLS, other."""
    from mlflow_lint.probes.guard import ForbiddenAddress

    if any(isinstance(e, ForbiddenAddress) for e in chain(exc)):
        return forbidden_outcome(where)
    text = " ".join(str(e).lower() for e in chain(exc))
    names = " ".join(kind(e) for e in chain(exc))
    if is_timeout(exc):
        return Outcome(ERROR, f"no answer from {where} within {seconds:.1f} s ({kind(exc)})")
    if (
        "name or service not known" in text
        or "nodename nor servname" in text
        or "getaddrinfo" in text
        or "temporary failure in name resolution" in text
        or "gaierror" in names.lower()
    ):
        return Outcome(ERROR, f"cannot resolve the host of {where} (DNS; {kind(exc)})")
    if "refused" in text or "ConnectionRefused" in names:
        return Outcome(ERROR, f"connection to {where} refused: nothing listens there ({kind(exc)})")
    if "ssl" in text or "certificate" in text or "SSL" in names:
        return Outcome(ERROR, f"TLS handshake with {where} failed: certificate or protocol ({kind(exc)})")
    if "reset" in text or "closed" in text or "eof" in text or "aborted" in text:
        return Outcome(ERROR, f"{where} closed the connection without answering ({kind(exc)})")
    return Outcome(ERROR, f"could not talk to {where} ({kind(exc)})")


def marker_key(prefix: str) -> str:
    """A fresh marker name under `prefix`, as an object-store key (no leading slash)."""
    return f"{prefix.rstrip('/')}/{MARKER_PREFIX}{uuid.uuid4().hex}".lstrip("/")


def round_trip(
    name: str,
    put: Callable[[bytes], object],
    get: Callable[[], bytes],
    delete: Callable[[], object],
    read: Outcome,
    budget: Budget | None = None,
) -> Outcome:
    """`--probe-write`: put the marker `name`, read it back, and always delete it; `read` is the read probe's
    outcome, extended on success. An exception from put/get propagates to the probe's own classify().

    The read-back runs under its own deadline, a share of the budget short of its end, so that a
    server that stalls it still leaves time to delete the marker before the runner gives up."""
    back: bytes | None = None
    try:
        put(MARKER_BODY)
        back = _within(get, _cleanup_start(budget))
    finally:
        with suppress(Exception):  # cleanup must never hide the real outcome
            _within(delete, budget.end if budget is not None else None)
    if back is None:
        return Outcome(ERROR, f"wrote `{name}` but reading it back took too long; the marker was deleted")
    if back != MARKER_BODY:
        return Outcome(FAIL, f"wrote `{name}` but read back different bytes")
    return Outcome(OK, read.reason + f"; wrote, read back and deleted `{name}`")


CLEANUP_SHARE = 0.3  # of the probe's budget kept for deleting the marker (at most CLEANUP_MAX seconds)
CLEANUP_MAX = 3.0


def _cleanup_start(budget: Budget | None) -> float | None:
    if budget is None:
        return None
    return budget.end - min(CLEANUP_MAX, budget.seconds * CLEANUP_SHARE)


def _within(call: Callable[[], Any], deadline: float | None) -> Any:
    """`call()` in a daemon thread, waited for until `deadline` (None: no limit); None when it
    did not finish (its exception, if any, is raised here)."""
    if deadline is None:
        return call()
    import threading

    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed to the caller
            box["error"] = exc

    worker = threading.Thread(target=run, name="probe-marker", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if "error" in box:
        raise box["error"]
    return box.get("value")
