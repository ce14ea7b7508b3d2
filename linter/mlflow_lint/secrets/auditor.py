"""The secret auditor: walks the user's values once and sorts every secret it finds by rule.

Chart-aware first: a leaf the schema marks `x-secret: credential` holds a secret (MLF301),
one marked `reference` only names a Secret and is never reported. Everywhere else the
shape detectors run (URI passwords, cloud keys, private keys), then names decide
(`extraEnv[].name: MLFLOW_AUTH_ADMIN_PASSWORD`, an annotation called `api-token`). Only
values some layer sets are audited: the chart's own defaults are public.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlflow_lint.charts import schema_at
from mlflow_lint.finding import Hit, Location
from mlflow_lint.passwords import COMMON
from mlflow_lint.paths import Path, format_path
from mlflow_lint.records import NamedTuple
from mlflow_lint.secrets import detectors, filters, judge
from mlflow_lint.secrets.detectors import Detection
from mlflow_lint.uris import redact as redact_uri

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.context import Context

PLAINTEXT_CREDENTIAL, PASSWORD_IN_URI, NAMED_SECRET = "MLF301", "MLF302", "MLF303"
AWS_KEY, AZURE_KEY, PRIVATE_KEY, ALIBABA_KEY, HIGH_ENTROPY = "MLF304", "MLF305", "MLF306", "MLF307", "MLF308"
WEAK_PASSWORD, NAMED_VALUE, SERVICE_TOKEN = "MLF309", "MLF311", "MLF312"
MLFLOW_DEFAULT_PASSWORD = "password1234"  # shipped in basic_auth.ini 2.22-3.15; MLflow's own advisory

CODE_OF_KIND = {
    "uri-password": PASSWORD_IN_URI,
    "aws-access-key-id": AWS_KEY,
    "aws-secret-access-key": AWS_KEY,
    "azure-storage-key": AZURE_KEY,
    "azure-sas-signature": AZURE_KEY,
    "private-key": PRIVATE_KEY,
    "gcp-service-account-key": PRIVATE_KEY,
    "alibaba-access-key-id": ALIBABA_KEY,
    "alibaba-access-key-secret": ALIBABA_KEY,
    "github-token": SERVICE_TOKEN,
    "gitlab-token": SERVICE_TOKEN,
    "slack-token": SERVICE_TOKEN,
    "slack-webhook": SERVICE_TOKEN,
    "databricks-token": SERVICE_TOKEN,
    "huggingface-token": SERVICE_TOKEN,
    "google-api-key": SERVICE_TOKEN,
    "openai-api-key": SERVICE_TOKEN,
    "npm-token": SERVICE_TOKEN,
    "jwt": SERVICE_TOKEN,
}

# Where each chart credential should live instead: (existingSecret key, keys it must hold).
EXISTING_SECRET = {
    "backendStore": ("backendStore.existingSecret", "`MLFLOW_BACKEND_STORE_URI`"),
    "s3": ("artifactStore.s3.existingSecret", "`AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`"),
    "gcp": ("artifactStore.gcp.existingSecret", "`keyfile.json`"),
    "azure": ("artifactStore.azure.existingSecret", "`AZURE_STORAGE_CONNECTION_STRING` or `AZURE_STORAGE_ACCESS_KEY`"),
    "oss": ("artifactStore.oss.existingSecret", "`MLFLOW_OSS_KEY_ID` and `MLFLOW_OSS_KEY_SECRET`"),
    "basicAuth": ("trackingServer.basicAuth.existingSecret", "`basic_auth.ini`"),
}
ENV_HINT = (
    "take the value from a Secret instead: `valueFrom: {secretKeyRef: {name: <secret>, key: <key>}}` "
    "(or `extraEnvFrom`); literal values land in git and in `helm get values`"
)
_URI_OPTIONS = (
    r"^--(backend-store-uri|registry-store-uri|default-artifact-root|artifacts-destination"
    r"|read-replica-backend-store-uri|workspace-store-uri)(=|$)"
)  # compiled by `re` when needed


def digest(secret: str) -> str:
    """The sha256 hex of a secret: stable for baselines, useless for recovering the value."""
    import hashlib  # about 3 ms to import (OpenSSL): only files holding a secret pay for it

    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Item(NamedTuple):
    """One audit result; `secret` stays in memory and only its digest leaves the auditor."""

    code: str
    path: Path
    message: str
    hint: str = ""
    secret: str = ""
    at_key: bool = False
    location: Location | None = None  # in another file than the values (a manifest)

    def hit(self) -> Hit:
        secret_digest = digest(self.secret) if self.secret else ""
        return Hit(self.path, self.message, self.hint, self.at_key, self.location, secret_digest)


class Leaf(NamedTuple):
    """A user-set scalar: where, what, and the names that give it meaning."""

    path: Path
    value: Any
    key: str  # the mapping key holding it ("" for a list item)
    env_name: str  # the `name` of an env-var entry when this is its `value`
    location: Location | None = None  # set for leaves of manifests (values leaves are located by path)


_LEAVES: list[tuple[Any, list[Leaf]]] = []


def user_leaves(ctx: Context) -> list[Leaf]:
    """Every scalar of the merged values that some layer sets (chart defaults are public).

    Four rules walk these per file; the walk is done once per merged values (like `audit`).
    """
    if _LEAVES and _LEAVES[0][0] is ctx.values:
        return _LEAVES[0][1]
    leaves = list(_leaves(ctx, ctx.values.data, (), ""))
    _LEAVES[:] = [(ctx.values, leaves)]
    return leaves


def _leaves(ctx: Context, data: Any, path: Path, env_name: str) -> Iterator[Leaf]:
    if isinstance(data, dict):
        entry_name = data.get("name")
        name = entry_name if isinstance(entry_name, str) and "value" in data else ""
        for key, value in data.items():
            yield from _leaves(ctx, value, (*path, key), name if key == "value" else "")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _leaves(ctx, item, (*path, index), "")
    elif data is not None and not isinstance(data, bool) and ctx.values.is_set_by_user(path):
        key = path[-1] if path and isinstance(path[-1], str) else ""
        yield Leaf(path, data, key, env_name)


_CACHE: list[tuple[Any, list[Item]]] = []
_MISSING = object()


def _shadowed(ctx: Context) -> Iterator[Leaf]:
    """Leaves that a layer sets and a later layer replaces, located in their own file or flag."""
    for layer in ctx.values.layers:
        for leaf in _leaves_of(layer.data, (), ""):
            pos = layer.positions.get(leaf.path)
            if pos is None or ctx.values.get(leaf.path, _MISSING) == leaf.value:
                continue
            yield leaf._replace(location=Location(layer.file, pos.line, pos.column))


def _leaves_of(data: Any, path: Path, env_name: str) -> Iterator[Leaf]:
    if isinstance(data, dict):
        entry_name = data.get("name")
        name = entry_name if isinstance(entry_name, str) and "value" in data else ""
        for key, value in data.items():
            yield from _leaves_of(value, (*path, key), name if key == "value" else "")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _leaves_of(item, (*path, index), "")
    elif data is not None and not isinstance(data, bool):
        yield Leaf(path, data, path[-1] if path and isinstance(path[-1], str) else "", env_name)


def audit(ctx: Context) -> list[Item]:
    """All secret findings of the release (computed once per merged values)."""
    if _CACHE and _CACHE[0][0] is ctx.values:
        return _CACHE[0][1]
    items = [item for leaf in user_leaves(ctx) for item in _audit_leaf(ctx, leaf)]
    if len(ctx.values.layers) > 1:  # a value a later layer overrides is still in its file or flag
        items.extend(item for leaf in _shadowed(ctx) for item in _audit_leaf(ctx, leaf))
    if "secrets" in ctx.extras:  # --secrets manifests: every document, every string
        from mlflow_lint.secrets.manifests import manifest_items

        items.extend(manifest_items(ctx))
    _CACHE[:] = [(ctx.values, items)]
    return items


def hits(ctx: Context, code: str) -> Iterator[Hit]:
    """The hits of one rule code."""
    for item in audit(ctx):
        if item.code == code:
            yield item.hit()


def _audit_leaf(ctx: Context, leaf: Leaf) -> Iterator[Item]:
    node = schema_at(ctx.chart.schema, leaf.path) or {}
    marker = node.get("x-secret")
    if marker == "reference":
        return
    text = str(leaf.value)
    if marker == "credential":
        yield from _credential(leaf, text, seed_chart=ctx.chart.name.startswith("seed"))
        return
    yield from classify(leaf)


def classify(leaf: Leaf, where: str = "", env_keys: bool = True) -> Iterator[Item]:
    """The findings of one leaf anywhere (any chart, a manifest): shapes first, then names.

    `where` prefixes messages about another file ("Secret `x`: "); `env_keys` reads an
    ENV_VAR-shaped key as an env var's name (values' map-form env; not a Secret's data keys).
    """
    if judge.in_reference(leaf.path):
        return
    if not isinstance(leaf.value, str):
        yield from _number(leaf, where)
        return
    text = leaf.value
    found = list(detectors.scan(text))  # a copy: scan() answers from a shared cache
    named = detectors.by_name(leaf.env_name or leaf.key, text) if (leaf.env_name or leaf.key) else None
    if named is not None and named.secret not in {d.secret for d in found}:
        found.append(named)
    if found:
        for detection in found:
            yield _shaped(leaf, text, detection, where)
        return
    plain = judge.decoded(text) if len(text) >= 12 else None
    if plain is None:
        yield from _named(leaf, text, where, env_keys)
    elif not judge.ignorable(plain):  # base64 of `changeme` or of AWS's documentation key: nothing
        yield from _encoded(leaf, text, plain, where, env_keys)


def _number(leaf: Leaf, where: str) -> Iterator[Item]:
    """`password: 12345678`: YAML made the password a number."""
    name = leaf.env_name or leaf.key
    value = leaf.value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1000 and judge.holds(name, str(value)):
        message = (
            f"{where}`{format_path(leaf.path)}` holds a literal credential (a number) under the "
            f"secret-like name `{name}`"
        )
        yield _item(leaf, NAMED_VALUE, message, _hint(leaf), str(value))


def _encoded(leaf: Leaf, text: str, plain: str, where: str, env_keys: bool) -> Iterator[Item]:
    """A base64 value: the decoded text's format decides, else its name."""
    found = [d._replace(label=f"base64-encoded {d.label}", parts=(*d.parts, text)) for d in detectors.scan(plain)]
    for detection in found:
        yield _shaped(leaf, text, detection, where, encoded=True)
    if found:
        return
    name = leaf.env_name or leaf.key
    if judge.holds(name, plain):
        message = (
            f"{where}`{format_path(leaf.path)}` holds a base64-encoded credential under the secret-like "
            f"name `{name}`; base64 is an encoding, not encryption"
        )
        yield _item(leaf, NAMED_VALUE, message, _hint(leaf), plain)
    else:
        yield from _named(leaf, text, where, env_keys)


def _item(leaf: Leaf, code: str, message: str, hint: str, secret: str) -> Item:
    return Item(code, leaf.path, message, hint, secret, location=leaf.location)


def _credential(leaf: Leaf, text: str, seed_chart: bool = True) -> Iterator[Item]:
    """A chart credential key (`createSecret.*`): anything real in it is a plaintext credential."""
    if filters.is_placeholder(text) or filters.is_reference(text) or not text.strip():
        return
    where = format_path(leaf.path)
    owner = EXISTING_SECRET.get(_owner(leaf.path)) if seed_chart else None
    if owner is None:  # another chart's credential key: its own existingSecret setting sits beside it
        hint = "put it in a Kubernetes Secret and name that Secret in the chart's `existingSecret` setting for it"
    else:
        hint = f"put it in a Kubernetes Secret with key {owner[1]} and set `{owner[0]}` to the Secret's name"
    # A backend store URI is a credential only through its password: a file-store path is not one.
    if "://" in text or leaf.path[-1:] == ("backendStoreUri",):
        found = [d for d in detectors.scan(text) if d.kind == "uri-password"]
        if found:
            message = (
                f"`{where}` holds a database password in plain text (`{redact_uri(text)}`); "
                "values land in git and in Helm's release Secret (`helm get values`)"
            )
            yield _item(leaf, PLAINTEXT_CREDENTIAL, message, hint, found[0].secret)
        return
    what = "a GCP service-account key" if leaf.key == "keyFile" else "a credential"
    message = (
        f"`{where}` holds {what} in plain text; values land in git and in Helm's release Secret (`helm get values`)"
    )
    yield _item(leaf, PLAINTEXT_CREDENTIAL, message, hint, text)


def _owner(path: Path) -> str:
    if path[:1] == ("backendStore",):
        return "backendStore"
    if path[:2] == ("trackingServer", "basicAuth"):
        return "basicAuth"
    return str(path[1]) if len(path) > 1 and path[0] == "artifactStore" else ""


def _shaped(leaf: Leaf, text: str, found: Detection, prefix: str = "", encoded: bool = False) -> Item:
    where = format_path(leaf.path)
    code = CODE_OF_KIND[found.kind]
    if code == PASSWORD_IN_URI and not encoded:
        message = f"{prefix}`{where}` holds {found.label} (`{_shown_uri(text)}`)"
        return _item(leaf, code, message + _uri_consequence(leaf), _uri_hint(leaf), found.secret)
    lands = "anyone who can read the file can read it" if prefix else "values land in git and in `helm get values`"
    message = f"{prefix}`{where}` holds {found.label} in plain text; {lands}"
    return _item(leaf, code, message, _hint(leaf), found.secret)


def _shown_uri(text: str) -> str:
    shown = redact_uri(text.strip())
    return shown if len(shown) <= 120 else shown[:117] + "..."


def _uri_consequence(leaf: Leaf) -> str:
    if leaf.path[-1:] in (("defaultArtifactRoot",), ("artifactsDestination",)) or _artifact_arg(leaf):
        return (
            "; MLflow stores artifact locations in the tracking database and shows them to every user "
            "who can read an experiment"
        )
    if leaf.path[:2] == ("trackingServer", "extraArgs"):
        return "; command-line arguments are visible in the pod spec and to anyone who can list processes"
    return "; values land in git and in `helm get values`"


def _artifact_arg(leaf: Leaf) -> bool:
    text = leaf.value if isinstance(leaf.value, str) else ""
    return leaf.path[:2] == ("trackingServer", "extraArgs") and (
        "artifact-root" in text or "artifacts-destination" in text
    )


def _uri_hint(leaf: Leaf) -> str:
    text = leaf.value if isinstance(leaf.value, str) else ""
    if leaf.path[-1:] in (("defaultArtifactRoot",), ("artifactsDestination",)) or _artifact_arg(leaf):
        return (
            "use a store whose credentials come from the environment (S3, GCS, Azure, SFTP with a mounted "
            "key) instead of a password in the URI"
        )
    if (
        leaf.path[:2] == ("trackingServer", "extraArgs") and re.match(_URI_OPTIONS, text)
    ) or leaf.env_name in _DATABASE_URI_ENV:
        return (
            "pass the database URI through `backendStore.existingSecret` (key `MLFLOW_BACKEND_STORE_URI`) "
            "or an env var from `secretKeyRef`"
        )
    if leaf.env_name:  # MLFLOW_TRACKING_URI, an endpoint URL...: the whole value goes to a Secret
        return (
            f"store the whole URI in a Kubernetes Secret and set `{leaf.env_name}` with "
            "`extraEnv[].valueFrom.secretKeyRef`"
        )
    return "keep the password in a Kubernetes Secret and reference it"


# Env vars that hold a database URI (the backend store's); other URIs in env get their own hint.
_DATABASE_URI_ENV = frozenset(
    {"MLFLOW_BACKEND_STORE_URI", "MLFLOW_BACKEND_STORE_URL", "BACKEND_STORE_URI", "MLFLOW_DATABASE_URI", "DATABASE_URL"}
)


def _hint(leaf: Leaf) -> str:
    if leaf.env_name:
        return ENV_HINT
    if leaf.path[:2] == ("trackingServer", "extraArgs"):
        return "pass it through an env var from a Secret (`extraEnv[].valueFrom.secretKeyRef`) instead of an argument"
    return "move it into a Kubernetes Secret and reference the Secret instead"


def _named(leaf: Leaf, text: str, prefix: str = "", env_keys: bool = True) -> Iterator[Item]:
    """Literal values under names that say they are secrets (env vars, options, any key, config lines)."""
    if judge.ignorable(text) or "://" in text:
        return  # URIs: only their password is secret, and the shape detector has judged it
    where = format_path(leaf.path)
    env = leaf.env_name or (leaf.key if env_keys and judge.env_like(leaf.key) else "")
    if env and _env_holds_secret(env) and not judge.names_a_key(text):
        lands = "anyone who can read the file can read it" if prefix else "values land in git and in `helm get values`"
        message = f"{prefix}env var `{env}` (`{where}`) has a literal secret value; {lands}"
        yield _item(leaf, NAMED_SECRET, message, ENV_HINT, text)
        yield from _mlflow_default(leaf, text, prefix)
        return
    option = _option_name(text) if leaf.path[:2] == ("trackingServer", "extraArgs") else None
    if option is not None:
        name, value = option
        if filters.holds_a_secret(name) and value and not filters.ignorable(value):
            message = f"`{where}` passes a literal secret with `--{name}`; arguments are visible in the pod spec"
            yield _item(leaf, NAMED_SECRET, message, _hint(leaf), value)
        return
    name = leaf.env_name or leaf.key
    if name and judge.holds(name, text):
        weak = " (a well-known default password, too)" if text.lower() in COMMON else ""
        message = f"{prefix}`{where}` holds a literal credential under the secret-like name `{name}`{weak}"
        yield _item(leaf, NAMED_VALUE, message, _hint(leaf), text)
        yield from _mlflow_default(leaf, text, prefix)
        return
    if "\n" in text.strip():
        yield from _config_lines(leaf, text, prefix)
        return
    if name and filters.looks_secret(name) and filters.is_high_entropy(text):
        message = f"{prefix}`{where}` looks like a secret: a random-looking value under the secret-like name `{name}`"
        yield _item(leaf, HIGH_ENTROPY, message, _hint(leaf), text)


def _config_lines(leaf: Leaf, text: str, prefix: str) -> Iterator[Item]:
    """`admin_password = ...` or `DB_PASSWORD=...` lines of a config file pasted into one value."""
    where = format_path(leaf.path)
    for number, name, value in judge.blob_pairs(text):
        if judge.ignorable(value) or "://" in value or not judge.holds(name, value):
            continue
        message = f"{prefix}`{where}` holds a config text whose line {number + 1} sets `{name}` to a literal credential"
        line_leaf = leaf._replace(location=_line_below(leaf.location, number))
        yield _item(line_leaf, NAMED_VALUE, message, _hint(leaf), value)
        yield from _mlflow_default(line_leaf, value, prefix)


def _line_below(location: Location | None, offset: int) -> Location | None:
    """The line `offset` lines into a literal block starting below `location` (manifests only)."""
    if location is None or location.line <= 0:
        return location
    return Location(location.file, location.line + 1 + offset, 1) if offset >= 0 else location


def _mlflow_default(leaf: Leaf, text: str, prefix: str) -> Iterator[Item]:
    """MLflow's shipped admin password, wherever it is used: an error on every MLflow version."""
    if text.strip() != MLFLOW_DEFAULT_PASSWORD or leaf.env_name == "MLFLOW_AUTH_ADMIN_PASSWORD":
        return  # the env var is judged by weak.py with the release's MLflow version
    message = (
        f"{prefix}`{format_path(leaf.path)}` is the admin password MLflow shipped in basic_auth.ini "
        "(2.22-3.15); MLflow's own security advisory says to change it, and 3.17.2 refuses it"
    )
    yield _item(leaf, WEAK_PASSWORD, message, "use a long random password kept in a Secret", text)


def _env_holds_secret(name: str) -> bool:
    try:
        from mlflow_lint import env_catalog
    except ImportError:  # pragma: no cover - the catalogue is part of the package
        return filters.holds_a_secret(name)
    return env_catalog.is_secret(name) or (env_catalog.lookup(name) is None and filters.holds_a_secret(name))


def _option_name(text: str) -> tuple[str, str] | None:
    match = re.match(r"^--?([A-Za-z][A-Za-z0-9_-]*)=(.*)$", text.strip(), re.S)
    return (match[1], match[2]) if match else None


def secrets_in(ctx: Context) -> set[str]:
    """Every secret string the auditor knows of, in every form, for the Redactor."""
    out: set[str] = set()
    for leaf in user_leaves(ctx):
        if isinstance(leaf.value, str):
            out.update(detectors.secret_parts(leaf.value))
            named = detectors.by_name(leaf.env_name or leaf.key, leaf.value)
            if named is not None:
                out.update(named.redactable)
    out.update(item.secret for item in audit(ctx) if item.secret)
    return out
