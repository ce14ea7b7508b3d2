"""Baselines: record today's findings once, then report only the new ones.

A baseline file (JSON, format version 1) lists one entry per distinct finding key with a
count for duplicates:

    {
      "version": 1,
      "tool": "mlflow-lint",
      "entries": [
        {"code": "MLF005", "file": "deploy/values.yaml", "path": "artifactStore.bucket", "count": 1}
      ]
    }

The key is code, file (relative to the baseline file's directory, `/`-separated) and values
path, plus `secret` (a salted, truncated hash of the finding's `secret_digest`) when a secret is
involved, so a rotated secret counts as new. Line numbers are never part of the key, so edits
that move lines do not churn the file; messages are never stored, so it holds no secret value.
Entries are sorted and the file carries no timestamp or tool version: writing the same
findings twice gives byte-identical files (and quiet diffs in review).

Stale entries (recorded, no longer found) are reported so the baseline can shrink; they do
not change the exit code. Only entries of files linted in this run can be stale, because
pre-commit passes just the changed files.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath

from mlflow_lint import safe_files
from mlflow_lint.finding import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.engine import Report

FORMAT_VERSION = 1
MAX_BYTES = 16 << 20  # a baseline of a few thousand entries is well under 1 MiB
_SECRET_SALT = b"mlflow-lint baseline v1\x00"


class BaselineError(Exception):
    """A baseline file that cannot be read, parsed or written: exit 2."""


@dataclass(frozen=True, order=True)
class Key:
    """What identifies a finding across edits."""

    code: str
    file: str
    path: str
    secret: str = ""


@dataclass
class BaselineOutcome:
    """What applying (or writing) a baseline did; the formatters report it."""

    file: str
    matched: int = 0
    stale: list[tuple[Key, int]] = field(default_factory=list)
    written: int | None = None  # number of entries, when --write-baseline wrote the file


def key_of(finding: Finding, root: Path) -> Key:
    """The baseline key of a finding; `root` is the baseline file's directory."""
    secret = ""
    if finding.secret_digest:
        # Re-hash with a salt and the entry's own code and path, and truncate: the file never
        # holds the digest a rule computed, nor shows that two entries share one secret.
        raw = "\x1f".join((finding.code, finding.path, finding.secret_digest)).encode()
        secret = hashlib.sha256(_SECRET_SALT + raw).hexdigest()[:16]
    return Key(finding.code, relative(finding.file, root), finding.path, secret)


def relative(name: str, root: Path) -> str:
    """`name` relative to `root` with forward slashes (absolute if on another drive)."""
    absolute = os.path.abspath(name)
    try:
        return PurePath(os.path.relpath(absolute, root)).as_posix()
    except ValueError:  # Windows: another drive
        return PurePath(absolute).as_posix()


def counts(findings: list[Finding], root: Path) -> Counter[Key]:
    """Active (unsuppressed) findings counted per key."""
    return Counter(key_of(f, root) for f in findings if f.suppressed is None)


def dumps(entries: Counter[Key]) -> str:
    """The file text: sorted entries, stable bytes."""
    rows = []
    for key in sorted(entries):
        row: dict[str, Any] = {"code": key.code, "file": key.file, "path": key.path}
        if key.secret:
            row["secret"] = key.secret
        row["count"] = entries[key]
        rows.append(row)
    data = {"version": FORMAT_VERSION, "tool": "mlflow-lint", "entries": rows}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write(file: str, findings: list[Finding]) -> Counter[Key]:
    """Record the active findings in `file`; returns what was written."""
    entries = counts(findings, _root(file))
    try:
        safe_files.write_text(file, dumps(entries))
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {file}: {exc.strerror or exc}") from None
    return entries


def load(file: str) -> Counter[Key]:
    """Read a baseline file; BaselineError with a one-line reason if it is missing or invalid."""
    try:
        data = json.loads(safe_files.read_text(file, MAX_BYTES))
    except FileNotFoundError:
        raise BaselineError(f"baseline file not found: {file} (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"cannot read baseline {file}: {getattr(exc, 'strerror', None) or exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"baseline {file} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    return _parse(data, file)


def _parse(data: Any, file: str) -> Counter[Key]:
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise BaselineError(f"baseline {file} is not an mlflow-lint baseline (no `entries` list)")
    if data.get("version") != FORMAT_VERSION:
        raise BaselineError(f"baseline {file} has format version {data.get('version')!r}; "
                            f"this mlflow-lint reads version {FORMAT_VERSION} (rewrite it with --write-baseline)")
    entries: Counter[Key] = Counter()
    for index, row in enumerate(data["entries"]):
        entries[_entry(row, f"baseline {file}: entry {index + 1}")] += row["count"]
    return entries


def _entry(row: Any, where: str) -> Key:
    if not isinstance(row, dict):
        raise BaselineError(f"{where} is not an object")
    for name in ("code", "file", "path"):
        if not isinstance(row.get(name), str):
            raise BaselineError(f"{where} lacks the string `{name}`")
    if not isinstance(row.get("secret", ""), str):
        raise BaselineError(f"{where}: `secret` must be a string")
    count = row.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise BaselineError(f"{where}: `count` must be a whole number of at least 1")
    return Key(row["code"], row["file"], row["path"], row.get("secret", ""))


def apply(report: Report, entries: Counter[Key], file: str) -> BaselineOutcome:
    """Drop the findings the baseline covers from `report`; record matched and stale entries."""
    root = _root(file)
    left = Counter(entries)
    kept: list[Finding] = []
    matched = 0
    for finding in report.findings:
        key = key_of(finding, root)
        if finding.suppressed is None and left[key] > 0:
            left[key] -= 1
            matched += 1
        else:
            kept.append(finding)
    scope = {relative(name, root) for name in report.linted} | {relative(f.file, root) for f in report.findings}
    stale = [(key, n) for key, n in sorted(left.items()) if n > 0 and key.file in scope]
    outcome = BaselineOutcome(file, matched, stale)
    report.findings = kept
    report.baseline = outcome
    return outcome


def use(report: Report, read_from: str | None, write_to: str | None) -> None:
    """The CLI's entry: write and/or apply a baseline. Raises BaselineError."""
    if write_to:
        if report.input_errors:
            raise BaselineError(f"not writing {write_to}: some files could not be read")
        entries = write(write_to, report.findings)
        outcome = apply(report, entries, write_to)
        report.baseline = replace(outcome, written=len(entries))
    elif read_from:
        apply(report, load(read_from), read_from)


def _root(file: str) -> Path:
    return Path(os.path.abspath(file)).parent
