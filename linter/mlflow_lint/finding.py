"""The one finding type, the severity scale and the hit a rule yields."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field

from mlflow_lint.paths import Path


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


@dataclass(frozen=True)
class Location:
    """A place in a file; line and column are 1-based, 0 means unknown."""

    file: str
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class Hit:
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


@dataclass(frozen=True)
class Finding:
    """One problem, as every output format reports it."""

    code: str
    name: str
    severity: Severity
    file: str
    line: int
    column: int
    path: str
    message: str = field(compare=False)
    hint: str = field(default="", compare=False)
    suppressed: str | None = field(default=None, compare=False)
    secret_digest: str = field(default="", compare=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.path)

    @property
    def fingerprint(self) -> str:
        """Stable across edits that move lines: code, file and values path (and secret)."""
        raw = "\x1f".join((self.code, self.file, self.path, self.secret_digest))
        return hashlib.sha256(raw.encode()).hexdigest()[:32]
