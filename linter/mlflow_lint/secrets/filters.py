"""Pure predicates that keep the secret auditor quiet about things that are not secrets.

Generic scanners flag keys that only NAME a secret (`passwordKey`, `secretName`,
`keyOfSecretAccessKey`: linter-anchors section 3) and values that only point at one
(`$(DB_PASSWORD)`, a file path, `<path:vault/data/x#pw>`). Every test here is a plain
function of its input, so each can be tested with payload tables.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

# Pattern texts are compiled by `re` on first use (its cache keeps them), and each is tried
# only when the value holds a character or word the pattern cannot match without: most
# values of a typical file are plain words that none of these patterns needs to look at.

# Whole-value references: Kubernetes `$(VAR)`, shell/envsubst `${VAR}`, Helm/Go templates,
# argocd-vault-plugin `<path:...>`, helm-secrets/vals `ref+...`, sops `ENC[...]`,
# External Secrets / Vault style URIs.
_REFERENCE = r"""(?x)^\s*(?:
        \$\([A-Za-z_][A-Za-z0-9_.-]*\)
      | \$\{[^}]+\}
      | \$[A-Z_][A-Z0-9_]*
      | \{\{.*\}\}
      | <path:[^>]+>
      | ref\+[a-z0-9]+://\S+
      | ENC\[[^\]]+\]
      | (?:vault|secretsmanager|awssm|gcpsm|azkv|akv|op|sops)://\S+
      | (?:vault|sm|ssm):[A-Za-z0-9_/.#:-]+
    )\s*$"""
# every alternative starts with (`://`: holds) one of these
_REFERENCE_MARKS = ("$", "{{", "<path:", "ref+", "ENC[", "://", "vault:", "sm:")
_FILE_PATH = r"^(?:/|\./|\.\./|~/)[^\s:]*$|^[A-Za-z]:\\[^\s]*$"
_TRIVIAL = frozenset(
    ("true", "false", "yes", "no", "on", "off", "y", "n", "none", "null", "nil", "enabled", "disabled")
)
_MASKED = r"^(?:\*{3,}|x{3,}|X{3,}|•{3,}|-{3,}|\.{3,}|_+|redacted|REDACTED|hidden|<redacted>)$"
_MASK_STARTS = "*xX•-._rRh<"


def _ascii_lower(value: str) -> str | None:
    """`value` lower-cased, or None when it is not ASCII: `re.I` then matches more than `lower()`
    finds (U+017F matches `s`), so keyword tests of case-insensitive patterns must not skip it."""
    return value.lower() if value.isascii() else None


_ACCOUNT_WORDS = ("account-id", "account_id", "ACCOUNT_ID", "AWS_ACCOUNT_ID", "123456789012", "111122223333")

# Placeholder fragments: `<YOUR_AWS_ACCESS_KEY_ID>`, `YOUR_REGION`, `changeme`, `REPLACE_ME`,
# RFC 2606 example hosts, AWS's documentation account ids and example keys. Each pattern
# comes with a test for what it cannot match without: (pattern, flags, may_match(value, lower)).
_PLACEHOLDER_PATTERNS: tuple[tuple[str, int, Callable[[str, str], bool]], ...] = (
    (r"<(?!path:)[A-Za-z_][^<>\n]{0,80}>", 0, lambda v, low: "<" in v and ">" in v),
    (r"(?<![A-Za-z0-9])(?:YOUR|your|Your)[_-][A-Za-z0-9_-]+", 0, lambda v, low: "your" in low),
    (
        r"(?<![A-Za-z0-9_])(?:change[-_]?(?:me|it)|CHANGE[-_]?(?:ME|IT)|ChangeMe)(?![A-Za-z0-9_])",
        0,
        lambda v, low: "change" in low,
    ),
    (
        r"(?<![A-Za-z0-9_])(?:REPLACE[_-]?ME|replace[_-]me|TODO|FIXME|TBD)(?![A-Za-z0-9_])",
        0,
        lambda v, low: "replace" in low or "TODO" in v or "FIXME" in v or "TBD" in v,
    ),
    (r"(?<![A-Za-z0-9_])(?:x{3,}|X{3,})(?![A-Za-z0-9_])", 0, lambda v, low: "xxx" in v or "XXX" in v),
    # a token's prefix with a stand-in body: `ghp_xxxxxxxx`, `sk-XXXXXXXX`, `glpat-********`
    (
        r"(?<![A-Za-z0-9])[A-Za-z]{2,12}[_-](?:x{4,}|X{4,}|\*{4,})(?![A-Za-z0-9_])",
        0,
        lambda v, low: "xxxx" in low or "****" in v,
    ),
    (
        r"(?<![A-Za-z0-9-])(?:[A-Za-z0-9-]+\.)*example\.(?:com|net|org)(?![A-Za-z0-9-])",
        re.I,
        lambda v, low: "example" in low,
    ),
    (
        r"(?<![A-Za-z0-9-])(?:[A-Za-z0-9-]+\.)+(?:example|invalid)(?![A-Za-z0-9.-])",
        re.I,
        lambda v, low: "example" in low or "invalid" in low,
    ),
    (r"(?<![A-Za-z0-9-])chart-example\.local(?![A-Za-z0-9-])", 0, lambda v, low: "chart-example" in v),
    (
        r"(?<=:)(?:account-id|account_id|ACCOUNT_ID|AWS_ACCOUNT_ID|123456789012|111122223333)(?=:)",
        0,
        lambda v, low: any(f":{word}:" in v for word in _ACCOUNT_WORDS),
    ),
    (r"(?<![A-Za-z0-9])[A-Z0-9]{12,16}EXAMPLE(?![A-Za-z0-9])", 0, lambda v, low: "EXAMPLE" in v),
    (r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{20,36}EXAMPLEKEY(?![A-Za-z0-9/+])", 0, lambda v, low: "EXAMPLEKEY" in v),
)


def is_reference(value: str) -> bool:
    """The whole value points at a secret kept elsewhere (`$(VAR)`, `${VAR}`, `<path:...>`...)."""
    return any(mark in value for mark in _REFERENCE_MARKS) and bool(re.match(_REFERENCE, value))


def is_file_path(value: str) -> bool:
    """An absolute or relative file path (e.g. `/var/run/secrets/token`): names a file, holds nothing."""
    text = value.strip()
    if not text.startswith(("/", "./", "../", "~/")) and text[1:3] != ":\\":
        return False
    return bool(re.match(_FILE_PATH, text))


def is_trivial(value: str) -> bool:
    """Empty, a boolean word, a number, or an obvious mask such as `****`."""
    text = value.strip()
    if not text or text.lower() in _TRIVIAL or (text[0] in _MASK_STARTS and re.match(_MASKED, text)):
        return True
    try:
        float(text)
    except ValueError:
        return False
    return True


# The same strings come back again and again (key names in every file, chart defaults in
# every layer, 1,000 values files in one pre-commit run): these pure functions of one string
# remember their answers, within bounds.
_memo = lru_cache(maxsize=8192)


@_memo
def placeholders_in(value: str) -> tuple[str, ...]:
    """Every placeholder fragment of `value`, in order of appearance, without duplicates."""
    found: list[tuple[int, str]] = []
    lower = _ascii_lower(value)
    for pattern, flags, may_match in _PLACEHOLDER_PATTERNS:
        if lower is None or may_match(value, lower):
            found.extend((m.start(), m.group(0)) for m in re.finditer(pattern, value, flags))
    out: list[str] = []
    for _, text in sorted(found):
        if not any(text in earlier or earlier in text for earlier in out):
            out.append(text)
    return tuple(out)


@_memo
def is_placeholder(value: str) -> bool:
    """The whole value is placeholder text: nothing real remains once the fragments are removed."""
    text = value.strip()
    if not text:
        return False
    rest = text
    for fragment in placeholders_in(text):
        rest = rest.replace(fragment, "")
    return not re.sub(r"[\s:/@.+_=-]", "", rest) or _only_scaffolding(rest)


def _only_scaffolding(rest: str) -> bool:
    """What remains of `<dialect>+<driver>://<user>:<password>@<host>` is URI punctuation only."""
    return not re.sub(r"[^A-Za-z0-9]", "", rest)


@_memo
def ignorable(value: str) -> bool:
    """A value that can never be a literal secret: reference, path, trivial or placeholder."""
    return is_reference(value) or is_file_path(value) or is_trivial(value) or is_placeholder(value)


def shannon_entropy(value: str) -> float:
    """Bits per character (detect-secrets' measure): ~4.0+ for random base64, ~3.0 for hex."""
    if not value:
        return 0.0
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


HEX = r"^[0-9a-fA-F]+$"
BASE64ISH = r"^[A-Za-z0-9+/=_.~-]+$"


def is_high_entropy(value: str) -> bool:
    """Looks random: hex of 32+ chars over 3.0 bits/char, or base64-like text of 20+ with digits over 4.0."""
    text = value.strip()
    if len(text) < 20:
        return False  # too short for either shape
    if re.match(HEX, text):
        return len(text) >= 32 and shannon_entropy(text) >= 3.0
    if re.match(BASE64ISH, text) and re.search(r"\d", text) and re.search(r"[A-Za-z]", text):
        return len(text) >= 20 and shannon_entropy(text) >= 4.0
    return False


# --- names: does a key or env var name HOLD a secret, or only NAME one? -------------------

_TOKEN = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_CREDENTIAL_WORDS = frozenset(
    (
        "password",
        "passwd",
        "pwd",
        "pass",
        "pw",
        "pswd",
        "passphrase",
        "secret",
        "secrets",
        "token",
        "credential",
        "credentials",
        "creds",
        "apikey",
    )
)
_CREDENTIAL_PAIRS = frozenset(
    {
        ("access", "key"),
        ("account", "key"),
        ("private", "key"),
        ("api", "key"),
        ("secret", "key"),
        ("master", "key"),
        ("signing", "key"),
        ("encryption", "key"),
        ("connection", "string"),
        ("sas", "token"),
        ("client", "secret"),
        ("shared", "key"),
        ("auth", "key"),
    }
)
# Last words that make a name point at a secret instead of holding it.
_REFERENCE_LAST = frozenset(
    (
        "name",
        "names",
        "file",
        "path",
        "dir",
        "ref",
        "refs",
        "arn",
        "url",
        "uri",
        "endpoint",
        "id",
        "ids",
        "user",
        "username",
        "region",
        "length",
        "size",
        "ttl",
        "enabled",
        "type",
        "mode",
        "version",
        "timeout",
        "header",
        "expiry",
        "expiration",
        "location",
        "mount",
        "prefix",
        "suffix",
        "selector",
        "provider",
        "store",
        "class",
        "format",
        "encoding",
        "rotation",
        "age",
        "count",
        # settings about a credential, not the credential: `tokenAudience`, `passwordPolicy`, `secretRefreshInterval`
        "audience",
        "issuer",
        "scope",
        "scopes",
        "policy",
        "algorithm",
        "method",
        "interval",
        "period",
        "duration",
        "lifetime",
        "strategy",
        "source",
        "hint",
        "description",
        "help",
        "message",
        "template",
        "pattern",
        "regex",
        "min",
        "max",
        "minimum",
        "maximum",
        "strength",
        "complexity",
        "requirements",
        "annotations",
        "labels",
        "filename",
        "filenames",
    )
)
_DIGEST_WORDS = frozenset(
    (
        "checksum",
        "checksums",
        "digest",
        "hash",
        "hashed",
        "sha",
        "sha1",
        "sha256",
        "sha512",
        "md5",
        "fingerprint",
        "etag",
    )
)
_REFERENCE_FIRST = frozenset(["existing", "use", "enable", "enabled", "disable", "create"])
_KEY_OF = frozenset(["password", "username", "user", "token", "secret", "cert", "certificate", "ca", "tls"])


@_memo
def words(name: str) -> tuple[str, ...]:
    """`keyOfSecretAccessKey` -> key of secret access key; `AWS_SECRET_ACCESS_KEY` likewise."""
    out: list[str] = []
    for part in re.split(r"[^A-Za-z0-9]+", name):
        out.extend(token.lower() for token in _TOKEN.findall(part))
    return tuple(out)


@_memo
def names_a_secret(name: str) -> bool:
    """`secretName`, `passwordKey`, `keyOfSecretAccessKey`, `existingSecret`, `TOKEN_FILE`: references."""
    parts = words(name)
    if not any(word in _CREDENTIAL_WORDS or word == "key" for word in parts):
        return False  # `replicaCount`: about no secret at all
    if parts[-1] in _REFERENCE_LAST or parts[0] in _REFERENCE_FIRST or "of" in parts:
        return True
    # `passwordKey`, `usernameKey`, `tlsKey`: the key (inside a Secret) under which the value lives.
    return parts[-1] == "key" and len(parts) >= 2 and parts[-2] in _KEY_OF and not name.isupper()


@_memo
def holds_a_secret(name: str) -> bool:
    """The name says its value is a credential: `*_PASSWORD`, `AWS_SECRET_ACCESS_KEY`, `apiToken`."""
    if names_a_secret(name):
        return False
    parts = words(name)
    if any(word in _DIGEST_WORDS for word in parts):
        return False  # `checksum/secret`, `passwordHash`, `tokenDigest`: a digest of a secret, not the secret
    if any(word in _CREDENTIAL_WORDS for word in parts):
        return True
    return any(pair in _CREDENTIAL_PAIRS for pair in itertools.pairwise(parts))


@_memo
def looks_secret(name: str) -> bool:
    """A weaker signal for any key name (annotations, labels): secret-ish words, not a reference."""
    if names_a_secret(name):
        return False
    return holds_a_secret(name) or any(word in ("key", "auth", "apikey", "pat") for word in words(name))
