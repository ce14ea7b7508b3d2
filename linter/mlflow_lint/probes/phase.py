"""The probe phase of the engine: plan, run (or only plan), redact, and make MLF9xx hits.

`fail` -> MLF901 probe-failed (error), `error` -> MLF902 probe-inconclusive (warning),
`skipped` for a missing SDK -> MLF900 probe-skipped (warning). Each hit sits at the values
key that configured the target. Every text leaving this module went through the Redactor,
which also knows the credentials the plan resolved (from Secret manifests or extraEnv).
"""

from __future__ import annotations

import json

from mlflow_lint.context import Context
from mlflow_lint.finding import Hit
from mlflow_lint.paths import format_path
from mlflow_lint.probes import declaration, guard, policy, runner
from mlflow_lint.probes import plan as planner
from mlflow_lint.probes.base import ERROR, FAIL, PLANNED, SKIPPED, Outcome, ProbeOptions, ProbeResult, Target
from mlflow_lint.redact import Redactor, collect_secrets
from mlflow_lint.uris import parse_db_uri, raw_passwords

CODES = {FAIL: "MLF901", ERROR: "MLF902"}
MISSING_SDK = "MLF900"


def run_phase(ctx: Context, options: ProbeOptions) -> tuple[list[ProbeResult], list[tuple[str, Hit]]]:
    """Probe (or, with plan_only, only list) every selected target of this release."""
    targets = policy.apply(planner.plan(ctx, options.groups), options)
    redactor = Redactor(collect_secrets(ctx) | _target_secrets(targets))
    if options.plan_only:
        done = [(t, _planned(t, options), 0.0) for t in targets]
    else:
        with guard.fenced(options.ambient):
            done = runner.run(targets, options)
    results, hits = [], []
    for target, outcome, seconds in done:
        where = ctx.values.locate(target.path)
        reason = redactor.text(_with_notes(outcome.reason, target))
        display = redactor.text(target.display)
        results.append(
            ProbeResult(
                target.probe,
                display,
                outcome.status,
                reason,
                round(seconds * 1000),
                format_path(target.path),
                target.role,
                redactor.text(target.credentials),
                where.file,
                where.line,
            )
        )
        code = CODES.get(outcome.status) or (MISSING_SDK if outcome.needs_install or target.refused else "")
        if code:
            hits.append((code, Hit(target.path, _message(target, outcome.status, display, reason))))
    return results, hits


def _planned(target: Target, options: ProbeOptions) -> Outcome:
    if target.skip:
        return Outcome(SKIPPED, target.skip)
    action = declaration(target.probe).action
    if options.write and target.group == "artifacts":
        action += "; write, read back and delete one marker object"
    return Outcome(PLANNED, f"would {action} within {options.timeout:g} s; {policy.describe(target)}")


def _with_notes(reason: str, target: Target) -> str:
    return " ".join([reason, *(f"(note: {n})" for n in target.notes)]) if target.notes else reason


def _message(target: Target, status: str, display: str, reason: str) -> str:
    what = f"{target.role} `{display}`" if display else target.role
    verdict = {FAIL: "probe failed", ERROR: "probe could not decide"}.get(status, "probe skipped")
    return f"{verdict} for the {what}: {reason}"


def _target_secrets(targets: list[Target]) -> set[str]:
    found: set[str] = set()
    for target in targets:
        for value in target.secrets.values():
            found.update(_secret_parts(value))
        found.update(raw_passwords(target.uri))
        db = parse_db_uri(target.uri) if "://" in target.uri else None
        if db is not None and db.password:
            found.add(db.password)
    return found


def _secret_parts(value: str) -> set[str]:
    """A service-account JSON is redacted by its key material, not by its public boilerplate."""
    if value.lstrip().startswith("{"):
        try:
            data = json.loads(value)
        except ValueError:
            return {value}
        if isinstance(data, dict):
            return {str(data[k]) for k in ("private_key", "private_key_id") if data.get(k)}
    return {value} if value else set()
