"""The last line of defence against printing a secret.

Messages are written never to quote credentials; this module makes sure of it anyway.
Every value the linter knows to be secret (credential keys of the chart, URI passwords,
secret-named env values, Secret manifest data, INI passwords) is collected, and any text
about to be printed has every 8-character piece of them replaced, so not even part of a
secret survives in a message, hint, log or error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from mlflow_lint.env_catalog import SECRET_WORDS
from mlflow_lint.finding import Finding
from mlflow_lint.passwords import COMMON
from mlflow_lint.secrets.auditor import secrets_in
from mlflow_lint.secrets.collect import credential_parts, looks_like_a_secret, named_parts, uri_passwords
from mlflow_lint.secrets.filters import holds_a_secret

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.context import Context

PIECE = 8  # the shortest fragment of a secret that must never appear
MASK = "****"
_COMMON_TEXT = "\n".join(COMMON)  # a piece found in here is public knowledge, not a fragment of a secret


class Redactor:
    """Scrubs known secrets, and every 8-character piece of them, from text."""

    def __init__(self, secrets: Iterable[str] | Callable[[], Iterable[str]]) -> None:
        # Given a function, the secrets are collected when the first text is scrubbed: a clean
        # file has nothing to print, and walking its values for secrets was a fifth of its lint.
        self._collect = secrets if callable(secrets) else None
        if self._collect is None:
            self._load(secrets)  # type: ignore[arg-type]

    def _load(self, secrets: Iterable[str]) -> None:
        # A well-known password ("password", "admin") tells a reader nothing that the
        # weak-password finding does not already say, and masking it would garble every
        # message that uses the word; any other secret is masked wherever it appears.
        whole = {s for s in secrets if s and s.lower() not in COMMON}
        self.whole = sorted(whole, key=len, reverse=True)
        # Nor a piece of a well-known password: `password1234 # note` must not turn the key
        # name `admin_password` into `admin_****` (the whole value is still masked).
        self.pieces = {
            piece
            for s in whole
            if len(s) >= PIECE
            for i in range(len(s) - PIECE + 1)
            if (piece := s[i : i + PIECE]).lower() not in _COMMON_TEXT
        }

    def text(self, text: str) -> str:
        if self._collect is not None:
            collect, self._collect = self._collect, None
            self._load(collect())
        if not text or not self.whole:
            return text
        for secret in self.whole:
            if len(secret) >= 4 and secret in text:
                text = text.replace(secret, MASK)
        if self.pieces and len(text) >= PIECE:
            text = self._pieces(text)
        return text

    def _pieces(self, text: str) -> str:
        hits = [i for i in range(len(text) - PIECE + 1) if text[i : i + PIECE] in self.pieces]
        if not hits:
            return text
        masked = list(text)
        for start in hits:
            for index in range(start, start + PIECE):
                masked[index] = "\0"
        return re.sub("\0+", MASK, "".join(masked))

    def finding(self, finding: Finding) -> Finding:
        # The path too: a secret pasted one line too high becomes a key, and keys are in paths.
        message, hint, path = self.text(finding.message), self.text(finding.hint), self.text(finding.path)
        if message == finding.message and hint == finding.hint and path == finding.path:
            return finding
        return finding._replace(message=message, hint=hint, path=path)


def collect_secrets(ctx: Context) -> set[str]:
    """Every secret value the user's layers hold (the chart's public defaults are not secret)."""
    found: set[str] = set()
    for layer in ctx.values.layers:
        _walk_schema_secrets(ctx.chart.schema, layer.data, found)
        _walk_strings(layer.data, found)
    found.update(secrets_in(ctx))  # detector hits anywhere: cloud keys, private keys, URI passwords
    for extra in ctx.extras.get("secret_values", ()):
        found.add(extra)
    return found


def _walk_schema_secrets(schema: dict[str, Any], data: Any, found: set[str]) -> None:
    if not isinstance(data, dict):
        return
    for key, sub in schema.get("properties", {}).items():
        if key not in data:
            continue
        if sub.get("x-secret") == "credential" and not _file_store_path(key, data[key]):
            found.update(credential_parts(data[key]))  # a URI's password, a key file's private key...
        _walk_schema_secrets(sub, data[key], found)


def _file_store_path(key: str, value: Any) -> bool:
    """A backend store URI without `://` is a file-store path: nothing in it is secret."""
    return key == "backendStoreUri" and isinstance(value, str) and "://" not in value


def _walk_strings(data: Any, found: set[str]) -> None:
    if isinstance(data, dict):
        name = data.get("name") if isinstance(data.get("name"), str) else ""
        for key, value in data.items():
            # The env catalogue's secret words, without its `_FILE`/`_URL` exclusions: redaction errs wide.
            if (key == "value" and name and re.search(SECRET_WORDS, name)) or holds_a_secret(str(key)):
                found.update(named_parts(value))
            if looks_like_a_secret(str(key)):
                found.add(str(key))  # a secret written as a key shows up in unknown-key messages
            _walk_strings(value, found)
    elif isinstance(data, list):
        for item in data:
            _walk_strings(item, found)
    elif isinstance(data, str) and "://" in data:
        found.update(uri_passwords(data))
