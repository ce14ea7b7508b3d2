"""Baselines: record today's findings once, then report only the new ones.

A baseline file (JSON, format version 2) lists one entry per distinct finding key with a
count for duplicates:

    {
      "version": 2,
      "tool": "mlflow-lint",
      "entries": [
        {"code": "MLF005", "file": "deploy/values.yaml", "path": "artifactStore.bucket", "count": 1},
        {"code": "MLF301", "file": "deploy/values.yaml", "path": "extraEnv[name=AWS_SECRET_ACCESS_KEY].value",
         "secret": "scrypt$<salt>$<hash>", "count": 1}
      ]
    }

The key is code, file (relative to the baseline file's directory, `/`-separated) and the
path identity: the values path with list items that have a `name` written by that name, so
inserting an env var above another does not make its findings new. When a secret is
involved, `secret` holds a slow salted hash of it (scrypt, a random salt per entry), so a
rotated secret counts as new while the file cannot be used to test password guesses at
speed (version 1 used a fast hash with a constant salt; it is refused with a message to
rewrite the file). A rewrite keeps an entry's salt while its secret is unchanged, so writing
the same findings twice still gives byte-identical files. Line numbers are never part of
the key; messages are never stored, so the file holds no secret value.

Stale entries (recorded, no longer found) are reported so the baseline can shrink; they do
not change the exit code. Only entries of files linted in this run can be stale, because
pre-commit passes just the changed files.
"""

from __future__ import annotations

import hashlib
import hmac
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

FORMAT_VERSION = 2
MAX_BYTES = 16 << 20  # a baseline of a few thousand entries is well under 1 MiB
# scrypt's cost: about 0.1 s and 16 MiB per hash, per guess for whoever holds the file.
_SCRYPT = {"n": 1 << 14, "r": 8, "p": 1, "dklen": 16, "maxmem": 64 << 20}
_SCHEME = "scrypt"


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


def key_of(finding: Finding, root: Path, previous: Counter[Key] | None = None) -> Key:
    """The baseline key of a finding; `root` is the baseline file's directory. A secret's hash
    is taken from `previous` entries when one of them matches (stable rewrites), else made anew."""
    code, file, path = place_of(finding, root)
    if not finding.secret_digest:
        return Key(code, file, path)
    for key in previous or ():
        if (key.code, key.file, key.path) == (code, file, path) and verifies(key.secret, finding.secret_digest):
            return key
    return Key(code, file, path, seal(finding.secret_digest))


def place_of(finding: Finding, root: Path) -> tuple[str, str, str]:
    """(code, file relative to root, path identity): the key without its secret."""
    return finding.code, relative(finding.file, root), finding.path_identity


def seal(digest: str, salt: bytes | None = None) -> str:
    """`scrypt$salt$hash` of a rule's secret digest, with a fresh random salt unless given."""
    salt = os.urandom(16) if salt is None else salt
    sealed = f"{_SCHEME}${salt.hex()}${_scrypt(digest, salt).hex()}"
    _VERIFIED[(sealed, digest)] = True
    return sealed


def verifies(sealed: str, digest: str) -> bool:
    """Whether `sealed` is the hash of `digest` (cached: each pair costs one scrypt per run)."""
    if not sealed or not digest:
        return False
    known = _VERIFIED.get((sealed, digest))
    if known is None:
        scheme, _, rest = sealed.partition("$")
        salt, _, expected = rest.partition("$")
        try:
            known = scheme == _SCHEME and hmac.compare_digest(_scrypt(digest, bytes.fromhex(salt)).hex(), expected)
        except ValueError:
            known = False
        _VERIFIED[(sealed, digest)] = known
    return known


_VERIFIED: dict[tuple[str, str], bool] = {}


def _scrypt(digest: str, salt: bytes) -> bytes:
    return hashlib.scrypt(digest.encode(), salt=salt, **_SCRYPT)


def relative(name: str, root: Path) -> str:
    """`name` relative to `root` with forward slashes (absolute if on another drive)."""
    absolute = os.path.abspath(name)
    try:
        return PurePath(os.path.relpath(absolute, root)).as_posix()
    except ValueError:  # Windows: another drive
        return PurePath(absolute).as_posix()


def counts(findings: list[Finding], root: Path, previous: Counter[Key] | None = None) -> Counter[Key]:
    """Active (unsuppressed) findings counted per key."""
    return Counter(key_of(f, root, previous) for f in findings if f.suppressed is None)


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
    previous: Counter[Key] | None = None
    if os.path.isfile(file):  # keep the salts of unchanged secrets: a rewrite changes no byte
        try:
            previous = load(file)
        except BaselineError:
            previous = None
    entries = counts(findings, _root(file), previous)
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
    if data.get("version") == 1:
        raise BaselineError(
            f"baseline {file} has format version 1, whose secret hashes allow testing password "
            "guesses at speed, and which numbers list items instead of naming them; rewrite it "
            "with --write-baseline (this mlflow-lint reads version 2)"
        )
    if data.get("version") != FORMAT_VERSION:
        raise BaselineError(
            f"baseline {file} has format version {data.get('version')!r}; "
            f"this mlflow-lint reads version {FORMAT_VERSION} (rewrite it with --write-baseline)"
        )
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
    by_place: dict[tuple[str, str, str], list[Key]] = {}
    for key in sorted(entries):
        by_place.setdefault((key.code, key.file, key.path), []).append(key)
    kept: list[Finding] = []
    matched = 0
    for finding in report.findings:
        found = _match(finding, by_place.get(place_of(finding, root), []), left) if finding.suppressed is None else None
        if found is not None:
            left[found] -= 1
            matched += 1
        else:
            kept.append(finding)
    scope = {relative(name, root) for name in report.linted} | {relative(f.file, root) for f in report.findings}
    stale = [(key, n) for key, n in sorted(left.items()) if n > 0 and key.file in scope]
    outcome = BaselineOutcome(file, matched, stale)
    report.findings = kept
    report.baseline = outcome
    return outcome


def _match(finding: Finding, candidates: list[Key], left: Counter[Key]) -> Key | None:
    for key in candidates:
        if left[key] <= 0:
            continue
        if not key.secret and not finding.secret_digest:
            return key
        if key.secret and verifies(key.secret, finding.secret_digest):
            return key
    return None


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
