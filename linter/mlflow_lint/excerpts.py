"""The source line a finding points at, as the text report shows it (`--output-format full`).

The line is cut from the linted text by the engine, which alone knows the secrets of the
release, and never leaves it unredacted: a line a secret finding points at shows its value
as `****` (the finding is about that value), any line shows a URI's password as `****`, and
then the release's Redactor masks every known secret and every 8-character piece of one.
Formatters escape control characters when they print it (formatters/escape.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from mlflow_lint.finding import Finding
from mlflow_lint.redact import MASK, Redactor

WINDOW = 160  # characters shown around the column of a long line (4 MiB on one line stays cheap)
# Families whose findings are about a secret value: the secret audit, the basic-auth ini
# (admin password, database URI), Secret manifests; and the URI rules, whose values may hold one.
SECRET_CODES = frozenset({"MLF102", "MLF508", "MLF505", "MLF512", "MLF513", "MLF704", "MLF706", "MLF705"})
_SECRET_FAMILIES = ("MLF3",)
# Key names that hold (or, misspelt, may hold) a secret: `adminPasword` is an unknown key whose
# value the engine never collected as a secret, but it is one.
_SECRET_KEY = r"(?i)pas+w|pwd|passphrase|secr?e?t|token|cred|priv|key|salt|cert|sig|api|conn"
# Value tokens shown as they are: words, camelCase and SNAKE_CASE names with at most two trailing
# digits, numbers up to 12 digits. Any other run of 8+ letters and digits may be a random secret.
_PLAIN_TOKEN = r"[a-z]+\d{0,2}|[A-Z]+\d{0,2}|[A-Z]?[a-z]+(?:[A-Z][a-z]*)*\d{0,2}|\d{1,12}"
_TOKEN = r"[A-Za-z0-9]{8,}"
# `key: value`, `key = value` (ini), `- --option=value`, `- value`; the value is what gets masked.
_VALUE = r"""(?x)^(?P<lead>\s*(?:-\s+)*(?:(?P<key>[^\s:=#'"][^:=#]*?|"[^"]*"|'[^']*')\s*(?::(?=\s|$)|=)\s*)?)
                        (?P<value>.*?)(?P<tail>\s+\#.*)?$"""
_URI_PASSWORD = r"(://[^/\s:@]*:)[^@\s/]+@"
# Patterns are compiled by `re` on first use (its cache keeps them): a clean file never needs them.


def about_a_secret(finding: Finding) -> bool:
    return bool(finding.secret_digest) or finding.code in SECRET_CODES or finding.code.startswith(_SECRET_FAMILIES)


def masked(line: str, secret: bool) -> str:
    """`line` with URI passwords masked, and the whole value masked when it is (or may be) a secret."""
    line = re.sub(_URI_PASSWORD, rf"\1{MASK}@", line)
    match = re.match(_VALUE, line)
    if match is None or not match["value"]:
        return line
    key, value = match["key"] or "", match["value"]
    option = value.split("=", 1)[0] if "=" in value else ""  # `- --password=...`, `- KEY=value`
    if secret or re.search(_SECRET_KEY, key) or re.search(_SECRET_KEY, option):
        return f"{match['lead']}{MASK}{match['tail'] or ''}"
    return match["lead"] + re.sub(_TOKEN, _random_masked, value) + (match["tail"] or "")


def _random_masked(token: re.Match[str]) -> str:
    """A run of 8+ letters and digits that is not a plain word or name may be a secret: masked."""
    return token.group() if re.fullmatch(_PLAIN_TOKEN, token.group()) else MASK


def window(line: str, column: int) -> tuple[str, int]:
    """At most about WINDOW characters of `line` around `column`, and the offset of the first one."""
    if len(line) <= WINDOW:
        return line, 0
    start = max(0, min(column - 1 - WINDOW // 4, len(line) - WINDOW))
    return line[start : start + WINDOW], start


def attach(
    findings: Iterable[Finding], texts: Mapping[str, str], redactor: Redactor, mask_all: bool = False
) -> list[Finding]:
    """`findings` with `source` (the redacted line, or a window of it) and `source_start` filled in.

    `mask_all` masks every value shown: for texts whose secrets were not all collected
    (a file that did not load, Secret manifests whose `data` is base64).
    """
    lines: dict[str, list[str]] = {}
    out: list[Finding] = []
    for finding in findings:
        text = texts.get(finding.file)
        if text is None or finding.line <= 0 or finding.source:
            out.append(finding)
            continue
        mine = lines.get(finding.file)
        if mine is None:
            mine = lines[finding.file] = text.split("\n")
        if finding.line > len(mine):
            out.append(finding)
            continue
        shown, start = window(mine[finding.line - 1].rstrip("\r"), finding.column)
        shown = redactor.text(masked(shown, mask_all or about_a_secret(finding)))
        out.append(finding._replace(source=shown or " ", source_start=start))
    return out
