"""Chart-independent judgement of one value from its key path: no chart key is named here.

The auditor walks every string leaf of every document (values of any chart, umbrella
sub-trees, manifests) and asks this module four questions about it:

- does its path sit inside a reference to a Secret (`existingSecret: {name, passwordKey}`,
  `valueFrom.secretKeyRef`, `externalSecrets.data[].remoteRef`)? Then nothing below is a secret;
- does its name say it holds a credential, given the value (`flaskServerSecretKey: 3f9a...` holds
  one, `clientSecretKey: client-secret` names the key inside a Secret)?
- is it base64 of something (a Secret's `data`, a `keyFileBase64`)? Then the decoded text is judged;
- is it a config blob (`basic_auth.ini`, `.env`, `application.properties` pasted into a value)?
  Then each `name = value` line is judged like a key of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from mlflow_lint.secrets import filters

# Keys whose whole sub-tree points at secrets kept elsewhere (Kubernetes EnvVarSource and
# EnvFromSource, External Secrets Operator); `existing*` keys of every chart are found by name.
_REFERENCE_CONTAINERS = frozenset(
    (
        "valueFrom",
        "secretKeyRef",
        "configMapKeyRef",
        "envFrom",
        "secretRef",
        "configMapRef",
        "remoteRef",
        "secretStoreRef",
        "externalSecrets",
        "externalSecret",
        "sealedSecrets",
        "dataFrom",
        "extraSecretNamesForEnvFrom",
        "imagePullSecrets",
        "pullSecrets",
        "encryptedData",
    )
)
_ENV_NAME = r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$"
# A value that names a key inside a Secret, or a Secret: `client-secret`, `POSTGRES_PASSWORD`,
# `mlflow-db-credentials`. It has separators and a word about credentials.
_KEY_NAME = r"^[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)+$"
_KEY_NAME_WORDS = frozenset(
    (
        "password",
        "passwd",
        "pwd",
        "pass",
        "secret",
        "secrets",
        "key",
        "keys",
        "token",
        "tokens",
        "credential",
        "credentials",
        "creds",
        "user",
        "username",
        "auth",
        "access",
        "id",
        "apikey",
        "cert",
        "ini",
        "uri",
        "url",
        "dsn",
        "connection",
        "string",
        "conn",
        "config",
        "json",
        "file",
        "crt",
        "pem",
        "tls",
    )
)
_BASE64 = r"^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
# No lazy group before `\s*$`: a hostile line of spaces would make it quadratic; the value is stripped in Python.
_BLOB_LINE = r"^\s*(?:export\s+)?[\"']?([A-Za-z_][A-Za-z0-9_.-]*)[\"']?[ \t]*[:=](.*)$"
_OBJECT_NAME = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$"  # a DNS-1123 label with a hyphen: `mlflow-db-credentials`
_STORE_PATH = r"^[a-z][a-z0-9_.-]*(?:/[a-z0-9_.-]+)+$"  # lower-case segments: random text has upper case
_PROSE = r"^[A-Za-z,.'()-]+(?: [A-Za-z,.'()-]+){3,}$"


def in_reference(path: tuple[object, ...]) -> bool:
    """The leaf sits under a key that points at a Secret: `existingSecret.passwordKey`, `valueFrom`."""
    for part in path[:-1]:
        if isinstance(part, str) and (part in _REFERENCE_CONTAINERS or _starts_existing(part)):
            return True
    return False


@lru_cache(maxsize=4096)
def _starts_existing(key: str) -> bool:
    parts = filters.words(key)
    return bool(parts) and parts[0] == "existing"


def env_like(name: str) -> bool:
    """`AWS_SECRET_ACCESS_KEY` as a map key (`extraEnvVars: {NAME: value}`): an env var's name."""
    return "_" in name and name.isupper() and bool(re.match(_ENV_NAME, name))


@lru_cache(maxsize=4096)
def names_a_key(value: str) -> bool:
    """`client-secret`, `MLFLOW_FLASK_SERVER_SECRET_KEY`, `mlflow-db-credentials`: a name, not a secret."""
    text = value.strip()
    if len(text) > 80 or not re.match(_KEY_NAME, text):
        return False
    if env_like(text):
        return True  # `AZURE_STORAGE_CONNECTION_STRING`: an env var's or a Secret key's name
    return any(word in _KEY_NAME_WORDS for word in filters.words(text))


@lru_cache(maxsize=4096)
def _ambiguous(name: str) -> bool:
    """`secretKey`, `flaskServerSecretKey`, `jwtSecretKey`: the secret itself, or the key it lives under.

    filters.names_a_secret reads `...SecretKey` as a reference (`clientSecretKey: client-secret`);
    the value decides (see holds).
    """
    parts = filters.words(name)
    return (
        len(parts) >= 2
        and parts[-2:] == ("secret", "key")
        and parts[0] not in ("existing", "use")
        and "of" not in parts
    )


def holds(name: str, value: str) -> bool:
    """The value under `name` is a credential (the caller has already skipped ignorable values)."""
    if not name:
        return False
    if filters.holds_a_secret(name):
        return (
            not names_a_key(value) and not is_prose(value) and not _secret_name(name, value) and not _store_path(value)
        )
    if _ambiguous(name):  # `clientSecretKey: clientSecretValueInsideSecret` names a key too
        return not names_a_key(value) and not _camel_key_name(value) and not _store_path(value)
    return False


def _camel_key_name(value: str) -> bool:
    parts = filters.words(value)
    return value.isalpha() and len(parts) >= 3 and any(word in _KEY_NAME_WORDS for word in parts)


def _store_path(value: str) -> bool:
    """`database/creds/mlflow-role` (a Vault agent annotation), `prod/mlflow/db`: a path in a secret store."""
    return bool(re.match(_STORE_PATH, value.strip()))


def _secret_name(name: str, value: str) -> bool:
    """`certificatesSecret: mlflow-tls`, `tokenSecret: ci-token`: a name ending in "secret" with a
    Kubernetes object name as its value names a Secret."""
    parts = filters.words(name)
    return len(parts) >= 2 and parts[-1] in ("secret", "secrets") and bool(re.match(_OBJECT_NAME, value.strip()))


def is_prose(value: str) -> bool:
    """`Ask the platform team for it`: a sentence, not a credential."""
    return value.count(" ") >= 3 and bool(re.match(_PROSE, value.strip()))


def decoded(value: str) -> str | None:
    """The text a base64 value encodes, when it is base64 of printable UTF-8 (else None)."""
    text = value.strip()
    if len(text) < 12 or not text.isascii() or not re.match(_BASE64, text):
        return None
    import binascii  # base64's own decoder without the base64 module's imports (the alphabet is checked above)

    try:
        raw = binascii.a2b_base64(text, strict_mode=True)
        out = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    if not out.strip() or not all(c.isprintable() or c in "\n\r\t" for c in out):
        return None
    return out


def is_base64_of_text(value: str) -> bool:
    return decoded(value) is not None


def blob_pairs(text: str) -> Iterator[tuple[int, str, str]]:
    """(line index, name, value) of each `name = value` / `name: value` line of a multi-line value."""
    if "\n" not in text.strip():
        return
    for number, line in enumerate(text.split("\n")):
        if not line.strip() or line.lstrip().startswith(("#", ";", "[", "//")):
            continue
        match = re.match(_BLOB_LINE, line)
        value = match[2].strip().strip("\"'") if match else ""
        if match and value:
            yield number, match[1], value


def ignorable(value: str) -> bool:
    """Never a literal secret: empty, a reference, a template, a path, a placeholder, a mask."""
    return not value.strip() or "{{" in value or filters.ignorable(value)
