"""Probe groups spread over the machine's cores: forked children next to this process.

Against a server that answers at once (loopback, a database next door), a probe is CPU work
in its client library: importing the SDK (0.1 to 0.3 s each in a fresh process), key
exchange, request signing. Threads share one interpreter lock, so with threads alone the
phase costs the sum of that work.

Probes that import the same SDK (and DB driver) form a group that stays whole, so that no
SDK is imported twice; the groups are packed into one bin per usable core, heaviest first,
by what their imports cost (`IMPORT_SECONDS`, measured). This process runs the first bin in
threads while a forked child runs each other bin the same way and pipes back its pickled
outcomes. The parent keeps the hard deadline: it stops reading at the phase budget and kills
(SIGKILL) whatever still runs, which no thread could be.

Forking is used only by the command line (`runtime.ONE_SHOT`), only on Linux, and only in a
process with no other thread. A child's SDK imports are lost with it, which costs nothing in
a process that ends with its command, but a long-lived caller of `cli.main` would pay them on
every call; there, and beside threads (whose locks a child could inherit held), the thread
runner does the whole job and the SDKs stay imported.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import selectors
import signal
import sys
import threading
import time
from collections.abc import Callable

from mlflow_lint import runtime
from mlflow_lint.probes.base import Outcome, ProbeOptions, Target
from mlflow_lint.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

Done = list[tuple[Target, Outcome, float]]
RunGroup = Callable[[list[Target], ProbeOptions], Done]


def _declared_import_seconds() -> dict[str, float]:
    from mlflow_lint.probes import PROBES, declaration

    return {module: seconds for name in PROBES for module, seconds in declaration(name).import_seconds.items()}


# Seconds to import each SDK, as the probes declare them; a module not listed, or already
# imported, counts as almost nothing.
IMPORT_SECONDS = _declared_import_seconds()
PER_TARGET_SECONDS = 0.02  # connecting and asking, on loopback


class Answer(NamedTuple):
    """What became of one target sent to a child: its outcome and seconds, or why there is none."""

    outcome: Outcome | None
    seconds: float
    ended: bool  # the child ended (without an answer for this target when outcome is None)


class _Child(NamedTuple):
    pid: int
    fd: int
    members: list[int]  # indexes into the targets
    started: float


def available() -> bool:
    """Whether to fork: the command line's own process, on Linux, with no other thread."""
    return runtime.ONE_SHOT and sys.platform.startswith("linux") and threading.active_count() == 1


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def bins(groups: list[tuple[tuple[str, ...], list[int]]], count: int) -> list[list[int]]:
    """Pack the (SDK modules, target indexes) groups into at most `count` bins of about equal
    import cost (longest first, each to the lightest bin); the heaviest bin comes first."""
    weighed = sorted(((_weight(modules, members), members) for modules, members in groups), key=lambda g: -g[0])
    loads: list[tuple[float, list[int]]] = [(0.0, []) for _ in range(min(count, len(groups)))]
    for weight, members in weighed:
        lightest = min(range(len(loads)), key=lambda i: loads[i][0])
        load, taken = loads[lightest]
        loads[lightest] = (load + weight, taken + members)
    return [sorted(members) for _, members in sorted(loads, key=lambda load: -load[0]) if members]


def _weight(modules: tuple[str, ...], members: list[int]) -> float:
    imports = sum(IMPORT_SECONDS.get(name, 0.0) for name in modules if name not in sys.modules)
    return imports + PER_TARGET_SECONDS * len(members)


def run(
    targets: list[Target], options: ProbeOptions, spread: list[list[int]], run_group: RunGroup, phase_end: float
) -> dict[int, Answer]:
    """The first bin here, every other bin in a forked child; an Answer for every index."""
    children: list[_Child] = []
    answers: dict[int, Answer] = {}
    here = list(spread[0])
    try:
        for members in spread[1:]:
            try:
                children.append(_fork([targets[i] for i in members], members, options, run_group))
            except OSError:  # no process to be had (EAGAIN, ENOMEM): this process takes the bin
                here.extend(members)
        for index, (_, outcome, seconds) in zip(here, run_group([targets[i] for i in here], options), strict=True):
            answers[index] = Answer(outcome, seconds, True)
        payloads = _collect(children, phase_end)
    finally:
        _end(children)
    for child in children:
        answers.update(_answers(child, payloads.get(child.fd)))
    return answers


def _fork(group: list[Target], members: list[int], options: ProbeOptions, run_group: RunGroup) -> _Child:
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        raise
    if pid == 0:
        os.close(read_fd)
        _serve(write_fd, group, options, run_group)
    os.close(write_fd)
    return _Child(pid, read_fd, members, started)


def _serve(fd: int, group: list[Target], options: ProbeOptions, run_group: RunGroup) -> NoReturn:
    """In the child: run the group, send (outcome, seconds) per target, and end at once.

    Any failure ends the child without an answer, which the parent reports; no exception
    text crosses over, since it may quote a credential."""
    try:
        payload = pickle.dumps([(outcome, seconds) for _, outcome, seconds in run_group(group, options)])
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)  # no teardown, no exit handlers: they belong to the parent


def _collect(children: list[_Child], phase_end: float) -> dict[int, bytes]:
    """Read every child's pipe to its end, or until the phase budget runs out."""
    chunks: dict[int, list[bytes]] = {child.fd: [] for child in children}
    done: dict[int, bytes] = {}
    with selectors.DefaultSelector() as selector:
        for child in children:
            selector.register(child.fd, selectors.EVENT_READ)
        while selector.get_map() and (left := phase_end - time.monotonic()) > 0:
            for key, _ in selector.select(left):
                data = os.read(key.fd, 1 << 16)
                if data:
                    chunks[key.fd].append(data)
                else:
                    selector.unregister(key.fd)
                    done[key.fd] = b"".join(chunks[key.fd])
    return done


def _end(children: list[_Child]) -> None:
    """Kill what still runs (a finished child is already on its way out) and reap them all."""
    for child in children:
        os.close(child.fd)
        with contextlib.suppress(ProcessLookupError):
            os.kill(child.pid, signal.SIGKILL)
        os.waitpid(child.pid, 0)


def _answers(child: _Child, payload: bytes | None) -> dict[int, Answer]:
    seconds = time.monotonic() - child.started
    results: list[tuple[Outcome, float]] = []
    if payload:
        try:
            results = pickle.loads(payload)  # from our own child
        except Exception:
            results = []
    if len(results) != len(child.members):
        return {index: Answer(None, seconds, payload is not None) for index in child.members}
    return {index: Answer(outcome, spent, True) for index, (outcome, spent) in zip(child.members, results, strict=True)}
