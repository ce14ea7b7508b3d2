"""What the Redactor must scrub from a value, without scrubbing what is public.

A credential key holds a secret, but not every character of it is secret: in a database
URI only the password is, in a service-account JSON the private key. Collecting the whole
value would mask `postgresql://` or `https://` in every message; collecting nothing but the
obvious part would miss a secret placed oddly. So: structured values give their secret
parts (and their other encodings); anything unrecognised is collected whole. Placeholders
and references are not secrets and are never collected (so a message may show
`<YOUR_AWS_ACCESS_KEY_ID>`).
"""

from __future__ import annotations

from mlflow_lint.secrets import detectors, filters
from mlflow_lint.uris import USERINFO_PASSWORD

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_JSON_SECRET_KEYS = frozenset(
    (
        "private_key",
        "private_key_id",
        "client_secret",
        "refresh_token",
        "password",
        "secret",
        "token",
        "access_token",
        "api_key",
        "key",
    )
)
_WORDS = frozenset(["true", "false", "yes", "no", "on", "off", "none", "null"])  # masking these would garble messages


def credential_parts(value: Any) -> set[str]:
    """The secret strings inside the value of a chart credential key (any type)."""
    if isinstance(value, bool) or value is None:
        return set()
    if isinstance(value, (int, float)):
        return {str(value)}
    if isinstance(value, (list, dict)):
        return _nested(value)
    return _text_parts(str(value))


def _nested(value: Any) -> set[str]:
    out: set[str] = set()
    items = value.values() if isinstance(value, dict) else value
    for item in items:
        out |= credential_parts(item)
    return out


def _text_parts(text: str) -> set[str]:
    if not text.strip() or text.strip().lower() in _WORDS or filters.is_placeholder(text) or filters.is_reference(text):
        return set()
    out = detectors.secret_parts(text)
    if "://" in text and " " not in text.strip():
        out |= uri_passwords(text)
        return out  # the rest of a URI (scheme, user, host, path) is not secret
    data = _json_object(text)
    if data is not None:
        out |= {v for k, v in data.items() if k in _JSON_SECRET_KEYS and isinstance(v, str) and v}
        return out
    out.add(text)
    return out


def _json_object(text: str) -> dict[str, Any] | None:
    if not text.lstrip().startswith("{"):
        return None
    import json  # only for values that look like JSON

    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def uri_passwords(text: str) -> set[str]:
    """URI passwords as written and decoded, except placeholders such as `<password>` or `$(DB_PW)`."""
    from urllib.parse import unquote  # only once a value holds a URI

    out: set[str] = set()
    for match in USERINFO_PASSWORD.finditer(text):
        raw = match["pw"]
        if raw and not filters.is_placeholder(raw) and not filters.is_reference(raw):
            out |= {raw, unquote(raw)}
    return out


def named_parts(value: Any) -> set[str]:
    """The value of an env var or key whose name says it is secret (URIs: their password only)."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        return set()
    return _text_parts(str(value))


def looks_like_a_secret(text: str) -> bool:
    """A string with a credential's shape (a detector hit, or random-looking): for mapping keys."""
    return bool(detectors.scan(text)) or filters.is_high_entropy(text)
