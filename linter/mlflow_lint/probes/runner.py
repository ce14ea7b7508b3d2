"""Run probes in parallel, each under a hard deadline that no server can stretch.

Where it is safe, probes needing different SDKs are spread over the cores: this process and
forked children, one per core (`processes`). Within a process every probe runs in its own
daemon thread. The runner waits for each probe only until its deadline and then reports
`error` without waiting further, even when a server accepted the connection and never
answers (a blocked read cannot hold the phase). The deadline is also handed to every client
library as its own connect/read timeouts (see each probe), so normally the library gives up
first and names what timed out; the thread, and the parent's SIGKILL of a child, are the
backstops. All probes start at once, so the whole phase is bounded by the phase budget: the
per-probe deadline plus a small allowance for starting and collecting threads and children.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from mlflow_lint.probes import declaration, processes
from mlflow_lint.probes.base import ERROR, SKIPPED, Budget, Outcome, ProbeOptions, Target, kind
from mlflow_lint.uris import parse_db_uri

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
    turn: int = 0


def run(targets: list[Target], options: ProbeOptions) -> list[tuple[Target, Outcome, float]]:
    """(target, outcome, seconds) for every target, in the order given."""
    groups = sdk_groups(targets)
    spread = processes.bins(groups, processes.cores()) if len(groups) > 1 else []
    if len(spread) > 1 and processes.available():
        phase_end = time.monotonic() + options.timeout + PHASE_ALLOWANCE
        answers = processes.run(targets, options, spread, run_in_threads, phase_end)
        return [(t, *_outcome(t, answers.get(i), options)) for i, t in enumerate(targets)]
    return run_in_threads(targets, options)


def sdk_groups(targets: list[Target]) -> list[tuple[tuple[str, ...], list[int]]]:
    """The targets to contact, as (SDK modules they import, their indexes), in plan order."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for index, target in enumerate(targets):
        if not target.skip:
            groups.setdefault(sdk_modules(target), []).append(index)
    return list(groups.items())


def _outcome(target: Target, answer: processes.Answer | None, options: ProbeOptions) -> tuple[Outcome, float]:
    if target.skip:
        return Outcome(SKIPPED, target.skip), 0.0
    if answer is None or (answer.outcome is None and not answer.ended):
        return _no_answer(target, options), answer.seconds if answer else 0.0
    if answer.outcome is None:
        return Outcome(ERROR, "the probe's process ended without an answer; please report it"), answer.seconds
    return answer.outcome, answer.seconds


def run_in_threads(targets: list[Target], options: ProbeOptions) -> list[tuple[Target, Outcome, float]]:
    """`run` within this process: one daemon thread per probe."""
    turns = _Turns()
    slots = [_slot(t, options, turns) for t in targets]  # all made first, then all started
    _number_turns([s for s in slots if s.thread is not None])
    for slot in slots:
        _start(slot)
    phase_end = time.monotonic() + options.timeout + PHASE_ALLOWANCE
    for slot in slots:  # each join ends at that probe's own deadline: the phase waits max(), not sum()
        if slot.thread is not None:
            slot.thread.join(max(0.0, min(slot.budget.end, phase_end) - time.monotonic()))
    return [(s.target, _settle(s, options), _duration(s)) for s in slots]


def _slot(target: Target, options: ProbeOptions, turns: _Turns) -> _Slot:
    budget = Budget(options.timeout, write=options.write, known_hosts=options.known_hosts, ambient=options.ambient)
    slot = _Slot(target, budget, time.monotonic())
    if target.skip:
        slot.outcome, slot.finished = Outcome(SKIPPED, target.skip), slot.started
        return slot
    slot.thread = threading.Thread(target=_call, args=(slot, turns), name=f"probe-{target.probe}", daemon=True)
    return slot


def _start(slot: _Slot) -> None:
    if slot.thread is not None:
        slot.started = time.monotonic()
        slot.budget.end = slot.started + slot.budget.seconds
        slot.thread.start()


def _call(slot: _Slot, turns: _Turns) -> None:
    try:
        with turns.mine(slot.turn, slot.budget.end):
            probe = load(slot.target.probe)
            prefetch(slot.target)
        slot.outcome = probe(slot.target, slot.budget)
    except Exception as exc:  # a probe bug must not end the run; report it as undecided
        slot.outcome = Outcome(ERROR, f"the probe itself failed ({kind(exc)}); please report it")
    slot.finished = time.monotonic()


class _Turns:
    """SDK imports one probe at a time, in plan order. Imports are CPU work that the GIL
    serialises anyway; interleaved, every probe finished importing only when all had (cold,
    ~0.7 s); in turn, the first probe is talking to its server while the next one imports."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.current = 0

    @contextmanager
    def mine(self, turn: int, deadline: float) -> Iterator[None]:
        with self.cond:  # never past the probe's deadline, whatever an earlier import does
            self.cond.wait_for(lambda: self.current >= turn, max(0.0, deadline - time.monotonic()))
        try:
            yield
        finally:
            with self.cond:
                self.current = max(self.current, turn + 1)
                self.cond.notify_all()


def _number_turns(slots: list[_Slot]) -> None:
    """Plan order, except that probes needing an SDK already imported go right after the first
    one that imports it (the auth DB after the backend DB): their turn costs nothing."""
    order = [index for _, members in sdk_groups([s.target for s in slots]) for index in members]
    for turn, index in enumerate(order):
        slots[index].turn = turn


def sdk_modules(target: Target) -> tuple[str, ...]:
    """The SDK (and DB driver) modules the probe of `target` will import."""
    names = declaration(target.probe).sdk  # then the DB driver, from the URI; see `_Turns`
    if target.probe in ("database", "auth_db") and "://" in target.uri:
        from mlflow_lint.probes import database

        db = parse_db_uri(target.uri)
        # Only a driver of the fixed table, and only for a URI the probe accepts: the name comes
        # from the values, and importing an arbitrary module would run it.
        # (no driver written: SQLAlchemy's default, which the probe itself imports)
        accepted = db is not None and database.refusal(db) is None
        known = database.driver_of(db, resolve_default=False) if db is not None and accepted else None
        names += (known[1],) if known is not None else ()
    return names


def prefetch(target: Target) -> None:
    """Import the SDK (and DB driver) the probe will import, so that it happens in turn."""
    for name in sdk_modules(target):
        try:
            importlib.import_module(name)
        except Exception:  # the probe itself reports a missing or broken SDK
            continue


def load(name: str) -> Probe:
    """Import a probe only when it is used (its module imports its SDK lazily too)."""
    return declaration(name).run


def _settle(slot: _Slot, options: ProbeOptions) -> Outcome:
    if slot.outcome is not None:
        return slot.outcome
    slot.finished = time.monotonic()
    return _no_answer(slot.target, options)


def _no_answer(target: Target, options: ProbeOptions) -> Outcome:
    return Outcome(
        ERROR,
        f"no answer from {target.display or target.role} within the "
        f"{options.timeout:g} s deadline (the server accepted or hung and never replied)",
    )


def _duration(slot: _Slot) -> float:
    return max(0.0, (slot.finished or time.monotonic()) - slot.started)
