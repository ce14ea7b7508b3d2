"""Run probes in parallel, each under a hard deadline that no server can stretch.

Every probe runs in its own daemon thread; the runner waits for each only until that
probe's deadline and then reports `error` without waiting further, even when a server
accepted the connection and never answers (a blocked read cannot hold the phase). The
deadline is also handed to every client library as its own connect/read timeouts (see each
probe), so normally the library gives up first and names what timed out; the thread is the
backstop. All probes start at once, so the whole phase is bounded by the phase budget:
the per-probe deadline plus a small allowance for starting and collecting threads.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from mlflow_lint.probes import PROBES
from mlflow_lint.probes.base import ERROR, SKIPPED, Budget, Outcome, ProbeOptions, Target, kind

PHASE_ALLOWANCE = 1.0  # seconds on top of the per-probe deadline for the whole phase

Probe = Callable[[Target, Budget], Outcome]


@dataclass
class _Slot:
    target: Target
    budget: Budget
    started: float
    outcome: Outcome | None = None
    finished: float = 0.0
    thread: threading.Thread | None = None


def run(targets: list[Target], options: ProbeOptions) -> list[tuple[Target, Outcome, float]]:
    """(target, outcome, seconds) for every target, in the order given."""
    slots = [_start(t, options) for t in targets]
    phase_end = time.monotonic() + options.timeout + PHASE_ALLOWANCE
    for slot in slots:
        if slot.thread is not None:
            wait = min(slot.budget.end, phase_end) - time.monotonic()
            slot.thread.join(max(0.0, wait))
    return [(s.target, _settle(s, options), _duration(s)) for s in slots]


def _start(target: Target, options: ProbeOptions) -> _Slot:
    budget = Budget(options.timeout, write=options.write, known_hosts=options.known_hosts)
    slot = _Slot(target, budget, time.monotonic())
    if target.skip:
        slot.outcome, slot.finished = Outcome(SKIPPED, target.skip), slot.started
        return slot
    slot.thread = threading.Thread(target=_call, args=(slot,), name=f"probe-{target.probe}", daemon=True)
    slot.thread.start()
    return slot


def _call(slot: _Slot) -> None:
    try:
        slot.outcome = load(slot.target.probe)(slot.target, slot.budget)
    except Exception as exc:  # a probe bug must not end the run; report it as undecided
        slot.outcome = Outcome(ERROR, f"the probe itself failed ({kind(exc)}); please report it")
    slot.finished = time.monotonic()


def load(name: str) -> Probe:
    """Import a probe only when it is used (its module imports its SDK lazily too)."""
    module, func = PROBES[name].split(":")
    probe: Probe = getattr(importlib.import_module(module), func)
    return probe


def _settle(slot: _Slot, options: ProbeOptions) -> Outcome:
    if slot.outcome is not None:
        return slot.outcome
    slot.finished = time.monotonic()
    return Outcome(ERROR, f"no answer from {slot.target.display or slot.target.role} within the "
                          f"{options.timeout:g} s deadline (the server accepted or hung and never replied)")


def _duration(slot: _Slot) -> float:
    return max(0.0, (slot.finished or time.monotonic()) - slot.started)
