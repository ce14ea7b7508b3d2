"""Detectors: find credentials inside any string of the values, by their shape.

Each detector has a stable `kind` (like detect-secrets' `secret_type`: baselines key on it,
so never rename one) and yields `Detection`s holding the secret in memory only. Patterns
follow gitleaks' rule set (`aws-access-token`, `alibaba-access-key-id`, `private-key`,
`gcp-service-account`) plus what MLflow adds: passwords in any `scheme://user:pass@` URI.
Placeholders (`<YOUR_AWS_ACCESS_KEY_ID>`, AWS's `...EXAMPLE` keys) and references
(`$(DB_PASSWORD)`) are never reported as secrets: `filters` decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from mlflow_lint.records import NamedTuple
from mlflow_lint.secrets import filters
from mlflow_lint.uris import USERINFO_PASSWORD


class Detection(NamedTuple):
    """One secret found in a string. `secret` is never printed; `parts` are extra forms to redact."""

    kind: str
    label: str
    secret: str
    parts: tuple[str, ...] = ()

    @property
    def redactable(self) -> tuple[str, ...]:
        return (self.secret, *self.parts)


# Pattern texts, compiled by `re` on first use (its cache keeps them): each detector first
# checks for a keyword its pattern cannot match without (gitleaks' `keywords`), so a typical
# values file, whose strings hold none of them, compiles and runs almost none of these.
AWS_KEY_ID = r"(?<![A-Z0-9])((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Z0-9])"
AWS_KEY_PREFIXES = ("A3T", "AKIA", "ASIA", "ABIA", "ACCA")
AWS_SECRET_INLINE = r"(?i)aws_?secret_?access_?key[\"']?\s*[:=]\s*[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
AWS_SECRET_VALUE = r"^[A-Za-z0-9/+]{40}$"
AZURE_KEY_PART = r"(?i)(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{20,}={0,2})"
AZURE_SAS_SIG = r"(?i)(?:^|[?&;])sig=([A-Za-z0-9%+/=]{20,})"
AZURE_ACCOUNT_KEY = r"(?<![A-Za-z0-9+/=])([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])"
PEM_PRIVATE = r"(?s)-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----(.*?)(?:-----END \1-----|$)"
ALIBABA_KEY_ID = r"(?<![A-Za-z0-9])(LTAI[A-Za-z0-9]{12,30})(?![A-Za-z0-9])"
ALIBABA_SECRET_VALUE = r"^[A-Za-z0-9]{30}$"
_SECRET_QUERY = r"(?i)^(?:password|passwd|pwd|secret|token|access_?token|sig|key|private_?key)$"


def _may_contain(text: str, *words: str) -> bool:
    """Whether a case-insensitive pattern needing all lower-case `words` could match `text`.

    Exact only for ASCII text: `re.I` also matches e.g. U+017F for `s`, so anything else is
    left to the pattern itself.
    """
    if not text.isascii():
        return True
    lower = text.lower()
    return all(word in lower for word in words)


def aws_access_key_id(text: str) -> Iterator[Detection]:
    if not any(prefix in text for prefix in AWS_KEY_PREFIXES):
        return
    for match in re.finditer(AWS_KEY_ID, text):
        if not filters.is_placeholder(match[1]):
            yield Detection("aws-access-key-id", "an AWS access key id", match[1])


def aws_secret_inline(text: str) -> Iterator[Detection]:
    """`aws_secret_access_key=...` written inside a longer string (args, INI or JSON text)."""
    if not _may_contain(text, "aws", "secret", "access", "key"):
        return
    for match in re.finditer(AWS_SECRET_INLINE, text):
        if not filters.is_placeholder(match[1]):
            yield Detection("aws-secret-access-key", "an AWS secret access key", match[1])


def azure_connection_string(text: str) -> Iterator[Detection]:
    for match in _azure_key_parts(text):
        if not filters.is_placeholder(match[1]):
            yield Detection("azure-storage-key", "an Azure storage account key", match[1])
    if not _may_contain(text, "sig="):
        return
    for match in re.finditer(AZURE_SAS_SIG, text):
        if not filters.is_placeholder(match[1]):
            yield Detection("azure-sas-signature", "an Azure SAS token signature", match[1], (_unquote(match[1]),))


def _azure_key_parts(text: str) -> Iterator[re.Match[str]]:
    if _may_contain(text, "key="):  # `AccountKey=` / `SharedAccessKey=`
        yield from re.finditer(AZURE_KEY_PART, text)


def azure_account_key(text: str) -> Iterator[Detection]:
    if len(text) < 88 or "==" not in text:
        return  # 86 base64 characters and `==`
    if next(_azure_key_parts(text), None) is not None:
        return  # already reported as part of the connection string
    for match in re.finditer(AZURE_ACCOUNT_KEY, text):
        if filters.shannon_entropy(match[1]) >= 4.0:
            yield Detection("azure-storage-key", "an Azure storage account key", match[1])


def private_key(text: str) -> Iterator[Detection]:
    if "-----BEGIN " not in text or "PRIVATE KEY" not in text:
        return
    if _service_account(text) is not None:
        return  # the service-account detector reports the key with its context
    for match in re.finditer(PEM_PRIVATE, text):
        body = match[2].strip()
        if body and not filters.is_placeholder(body) and _real_pem(body):
            yield Detection("private-key", f"a PEM {match[1].lower()}", body, tuple(_pem_lines(body)))


def gcp_service_account(text: str) -> Iterator[Detection]:
    account = _service_account(text)
    if account is None:
        return
    key, key_id = _text(account.get("private_key")), _text(account.get("private_key_id"))
    body = _pem_body(key) if key else ""
    if key and not (body and _real_pem(body)):
        return  # `"private_key": "-----BEGIN PRIVATE KEY-----\n<your key>\n..."`: a template
    secret = body or key or key_id
    if secret and not filters.is_placeholder(secret):
        parts = tuple(p for p in (key, key_id, *_pem_lines(body)) if p and p != secret)
        yield Detection("gcp-service-account-key", "a GCP service-account key", secret, parts)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _service_account(text: str) -> dict[str, object] | None:
    if "service_account" not in text:
        return None
    import json  # only for text that names a service account

    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and data.get("type") == "service_account":
        return data
    if re.search(r"\"type\"\s*:\s*\"service_account\"", text):
        found = re.search(r"\"private_key\"\s*:\s*\"((?:[^\"\\]|\\.)*)\"", text)
        key = found[1].replace("\\n", "\n") if found else ""
        return {"type": "service_account", "private_key": key}
    return None


def _pem_body(key: str) -> str:
    match = re.search(PEM_PRIVATE, key) if "-----BEGIN " in key else None
    return match[2].strip() if match else ""


def _real_pem(body: str) -> bool:
    """A PEM body that looks like key material: 32+ base64 characters once headers
    (`Proc-Type: ...`) and line breaks are removed; `your key here` or `...` is not."""
    data = "".join(line.strip() for line in body.replace("\\n", "\n").splitlines() if ":" not in line)
    return len(data) >= 32 and re.fullmatch(r"[A-Za-z0-9+/=]+", data) is not None


def _pem_lines(body: str) -> list[str]:
    """Each base64 line of a PEM body: a message quoting one line must still be scrubbed."""
    return [line.strip() for line in body.splitlines() if len(line.strip()) >= 8]


def alibaba_access_key_id(text: str) -> Iterator[Detection]:
    if "LTAI" not in text:
        return
    for match in re.finditer(ALIBABA_KEY_ID, text):
        if not filters.is_placeholder(match[1]):
            yield Detection("alibaba-access-key-id", "an Alibaba Cloud AccessKey ID", match[1])


def uri_password(text: str) -> Iterator[Detection]:
    """`scheme://user:pass@host` in any string, and `?password=` style query parameters."""
    for match in USERINFO_PASSWORD.finditer(text):
        raw = match["pw"]
        if raw and not filters.is_reference(raw) and not filters.is_placeholder(raw) and not filters.is_trivial(raw):
            yield Detection("uri-password", "a password in a URI", _unquote(raw), (raw,))
    for name, value in _query_pairs(text):
        if re.match(_SECRET_QUERY, name) and value and not filters.ignorable(value):
            yield Detection("uri-password", f"a `{name}` query parameter in a URI", value)


def _query_pairs(text: str) -> list[tuple[str, str]]:
    if "://" not in text or "?" not in text:
        return []
    from urllib.parse import parse_qsl

    query = text.split("?", 1)[1].split("#", 1)[0]
    return parse_qsl(query, keep_blank_values=False)


def _unquote(text: str) -> str:
    """Percent-decoding; urllib.parse is imported only once a URI holds a secret."""
    from urllib.parse import unquote

    return unquote(text)


# Service tokens with a fixed prefix (gitleaks' rules of the same names); each entry is
# (kind, label, keyword the text must hold, pattern). The keyword test keeps a typical
# values file from running any of these patterns.
TOKEN_PATTERNS: tuple[tuple[str, str, str, str], ...] = (
    ("github-token", "a GitHub token", "gh", r"(?<![A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{36,251})(?![A-Za-z0-9_])"),
    (
        "github-token",
        "a GitHub fine-grained personal access token",
        "github_pat_",
        r"(?<![A-Za-z0-9_])(github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])",
    ),
    (
        "gitlab-token",
        "a GitLab token",
        "gl",
        r"(?<![A-Za-z0-9_-])((?:glpat|gldt|glrt|glptt|gloas|glcbt|glft|glimt|glagent|glsoat)-[A-Za-z0-9_-]{20,64})"
        r"(?![A-Za-z0-9_-])",
    ),
    (
        "slack-token",
        "a Slack token",
        "xox",
        r"(?<![A-Za-z0-9-])(xox[abposre]-(?:\d+-)+[A-Za-z0-9]{8,64})(?![A-Za-z0-9-])",
    ),
    (
        "slack-token",
        "a Slack app token",
        "xapp-",
        r"(?<![A-Za-z0-9-])(xapp-\d-[A-Z0-9]{8,}-\d{6,}-[a-f0-9]{32,})(?![A-Za-z0-9-])",
    ),
    (
        "slack-webhook",
        "a Slack incoming-webhook URL",
        "hooks.slack.com",
        r"hooks\.slack\.com/(?:services|workflows|triggers)/(T[A-Z0-9]{6,12}/[AB][A-Z0-9]{6,12}/[A-Za-z0-9]{20,40})",
    ),
    (
        "databricks-token",
        "a Databricks personal access token",
        "dapi",
        r"(?<![A-Za-z0-9])(dapi[a-f0-9]{32}(?:-\d)?)(?![A-Za-z0-9])",
    ),
    ("huggingface-token", "a Hugging Face access token", "hf_", r"(?<![A-Za-z0-9_])(hf_[A-Za-z]{34})(?![A-Za-z0-9_])"),
    ("google-api-key", "a Google API key", "AIza", r"(?<![A-Za-z0-9_-])(AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])"),
    (
        "openai-api-key",
        "an OpenAI API key",
        "T3BlbkFJ",
        r"(?<![A-Za-z0-9_-])(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])",
    ),
    ("npm-token", "an npm access token", "npm_", r"(?<![A-Za-z0-9_])(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])"),
)
JWT = r"(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_.-])"


def service_tokens(text: str) -> Iterator[Detection]:
    """Prefixed tokens (GitHub, GitLab, Slack, Databricks, Hugging Face, Google, OpenAI, npm)."""
    for kind, label, keyword, pattern in TOKEN_PATTERNS:
        if keyword not in text:
            continue
        for match in re.finditer(pattern, text):
            if not filters.is_placeholder(match[1]) and _random_enough(match[1]):
                yield Detection(kind, label, match[1])


def _random_enough(token: str) -> bool:
    """A structure check shared by the prefixed tokens: the random part is not `ghp_xxxx...`."""
    body = token.split("_", 1)[-1] if "_" in token[:12] else token.split("-", 1)[-1]
    return len(set(body)) >= 8 and filters.shannon_entropy(body) >= 3.0


def json_web_token(text: str) -> Iterator[Detection]:
    """`eyJ...` JWTs whose header really is a JSON object naming an algorithm or a type."""
    if "eyJ" not in text or text.count(".") < 2:
        return
    for match in re.finditer(JWT, text):
        header = _b64url_json(match[1].split(".", 1)[0])
        if header is not None and ("alg" in header or "typ" in header) and not filters.is_placeholder(match[1]):
            yield Detection("jwt", "a JSON Web Token", match[1])


def _b64url_json(part: str) -> dict[str, object] | None:
    import base64
    import binascii
    import json

    try:
        data = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (binascii.Error, ValueError):
        return None
    return data if isinstance(data, dict) else None


Detector = Callable[[str], Iterator[Detection]]

DETECTORS: tuple[Detector, ...] = (
    aws_access_key_id,
    aws_secret_inline,
    azure_connection_string,
    azure_account_key,
    gcp_service_account,
    private_key,
    alibaba_access_key_id,
    service_tokens,
    json_web_token,
    uri_password,
)


@lru_cache(maxsize=8192)  # a pure function of the text; the same strings recur across files
def scan(text: str) -> tuple[Detection, ...]:
    """Every credential found in `text` by shape alone (no key name needed), one per secret."""
    out: list[Detection] = []
    seen: set[str] = set()
    for detector in DETECTORS:
        for found in detector(text):
            if found.secret not in seen:
                seen.add(found.secret)
                out.append(found)
    return tuple(out)


def by_name(name: str, value: str) -> Detection | None:
    """Shapes that are only recognisable with the name: AWS and Alibaba secret keys."""
    words = filters.words(name)
    text = value.strip()
    if filters.is_placeholder(text):
        return None
    aws = "secret" in words and ("aws" in words or "access" in words)
    if aws and len(text) == 40 and re.match(AWS_SECRET_VALUE, text) and filters.shannon_entropy(text) >= 3.5:
        return Detection("aws-secret-access-key", "an AWS secret access key", text)
    alibaba = "secret" in words and ("oss" in words or "alibaba" in words or "aliyun" in words)
    if alibaba and len(text) == 30 and re.match(ALIBABA_SECRET_VALUE, text):
        return Detection("alibaba-access-key-secret", "an Alibaba Cloud AccessKey secret", text)
    return None


def secret_parts(value: str) -> set[str]:
    """Every secret string inside `value` (for redaction): detections plus their other forms."""
    out: set[str] = set()
    for found in scan(value):
        out.update(part for part in found.redactable if part)
    return out
