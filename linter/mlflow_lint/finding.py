"""The one finding type, the severity scale and the hit a rule yields.

Value types here and across the linter are NamedTuples (`records.NamedTuple`) rather than dataclasses:
creating a dataclass runs generated source through `exec`, which cost a cold lint about a
third of its time (49 classes, ~27 ms, plus ~7 ms to import `dataclasses`); a NamedTuple
class costs a tenth of that. Use `x._replace(field=...)` to derive a changed copy.
"""

from __future__ import annotations

import enum

from mlflow_lint.paths import Path
from mlflow_lint.records import NamedTuple


class Severity(enum.IntEnum):
    """Ordered so that ``max()`` over findings decides the exit code."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Parse ``error``/``warning``/``info`` (any case); ValueError otherwise."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or info)") from None


class Location(NamedTuple):
    """A place in a file; line and column are 1-based, 0 means unknown."""

    file: str
    line: int = 0
    column: int = 0


class Hit(NamedTuple):
    """What a rule yields: where (a values path, or an explicit location) and what.

    Rules never deal with positions or severities; the engine turns hits into findings.
    ``at_key`` points the finding at the key rather than at its value (unknown keys).
    ``location`` is for hits about another file (a Secret manifest, an INI file).
    """

    path: Path
    message: str
    hint: str = ""
    at_key: bool = False
    location: Location | None = None
    secret_digest: str = ""  # sha256 of a secret involved, for baselines; never the value


class Finding(NamedTuple):
    """One problem, as every output format reports it."""

    code: str
    name: str
    severity: Severity
    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = ""
    suppressed: str | None = None  # the reason, when an inline directive suppresses it
    secret_digest: str = ""  # sha256 of the secret involved (for the baseline's slow hash); never printed
    source: str = ""  # the line it points at, redacted (excerpts.py); "" when not known
    source_start: int = 0  # offset in the line of `source`'s first character (a window of a long line)
    identity: str = ""  # the path with named list items (`extraEnv[name=X]`), when it has a list index

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.path)

    @property
    def path_identity(self) -> str:
        """What identifies the finding's place across edits: list items by their `name`."""
        return self.identity or self.path

    @property
    def fingerprint(self) -> str:
        """Stable across edits that move lines or insert list items: code, file and path identity.
        Never a function of a secret: fingerprints are printed and uploaded (SARIF), and a hash of a
        secret there would let anyone test password guesses offline."""
        import hashlib  # only formats that print fingerprints need it

        raw = "\x1f".join((self.code, self.file, self.path_identity))
        return hashlib.sha256(raw.encode()).hexdigest()[:32]
