"""MLF7xx: Kubernetes Secret manifests (`--secrets`) and the references the values make to them.

Without `--secrets` these rules say nothing: a Secret that was not given is not missing.
MLF701 and MLF704 are about the manifests themselves and are reported once per run by the
engine; the others resolve what the values reference (facts file 3.5).
"""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_lint.deployment import SecretRef
from mlflow_lint.finding import Hit, Location, Severity
from mlflow_lint.passwords import judge
from mlflow_lint.paths import format_path
from mlflow_lint.rules.base import Rule, engine_rule, rule
from mlflow_lint.uri_checks import backend_kind, db_uri_problems, is_placeholder
from mlflow_lint.uris import parse_db_uri, redact
from mlflow_lint.versions import MlflowVersion

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context
    from mlflow_lint.k8s_secrets import SecretIndex, SecretObject

SECRETS = ("secrets",)
BACKEND_KEY = "MLFLOW_BACKEND_STORE_URI"
# Non-MLflow credentials are judged without MLflow's user-password rules (any version >= 2.22).
_NOT_MLFLOW = MlflowVersion((2, 22, 0), "not an MLflow password")
_CREDENTIAL_WORDS = ("PASSWORD", "SECRET")

INVALID_MANIFEST = engine_rule(
    "MLF701",
    "invalid-secret-manifest",
    Severity.ERROR,
    """
    A manifest given with `--secrets` that Kubernetes would refuse, or that is not a manifest.

    Why it matters: `kubectl apply` fails (bad base64 in `data`, a non-string value, no
    `metadata.name`, a misspelt `kind`), so the Secret the release needs never exists.
    Example: `data: {MLFLOW_BACKEND_STORE_URI: postgresql://...}` (plain text under `data`).
    Fix: base64-encode `data` values or move them to `stringData`; quote numbers and
    booleans; give every object a `metadata.name` and a correctly spelt `kind`.
    """,
)

PLAINTEXT_SECRET = engine_rule(
    "MLF704",
    "plaintext-secret-manifest",
    Severity.WARNING,
    """
    A `kind: Secret` manifest with real values in `data` or `stringData`, kept next to the values.

    Why it matters: base64 is an encoding, not encryption; anyone who can read the repository
    (or the CI logs) can read the credentials. Decision: a warning, not an error, because the
    linter cannot tell a committed file from one generated for the check; SealedSecrets,
    ExternalSecrets and SOPS-encrypted Secrets (`sops:` key) are not flagged.
    Example: `stringData: {MLFLOW_BACKEND_STORE_URI: postgresql://mlflow:pw@db/mlflow}` in git.
    Fix: commit a SealedSecret, an ExternalSecret or a SOPS-encrypted file instead, or
    keep the manifest out of the repository.
    """,
)


Reference = SecretRef  # a Secret the pod references, and the keys it needs (deployment.py)


def references(ctx: Context) -> list[SecretRef]:
    """Every Secret the rendered pod references, with its required keys (facts 3.5)."""
    return ctx.deployment.secret_refs


def _index(ctx: Context) -> SecretIndex | None:
    return ctx.extras.get("secrets")


def _where(location: Location) -> str:
    return f"{location.file}:{location.line}"


@rule(code="MLF702", name="missing-referenced-secret", severity=Severity.ERROR, needs=SECRETS)
def missing_referenced_secret(ctx: Context) -> Iterator[Hit]:
    """A Secret named in the values is not among the manifests given with `--secrets`.

    Why it matters: the chart mounts these Secrets without `optional: true`, so the pod
    stays in CreateContainerConfigError (or ContainerCreating for the basic-auth volume)
    until a Secret of exactly that name exists in the namespace. The seed README creates
    `mlflow-database-backend-store-secret` but its values use `mlflow-mysql-backend-store-secret`.
    Example: `backendStore.existingSecret: mlflow-mysql-backend-store-secret` with only
    `mlflow-database-backend-store-secret` in the manifests.
    Fix: use the name of the Secret you create (the "did you mean" names the closest), or
    add the manifest to `--secrets`.
    """
    index = _index(ctx)
    if index is None:
        return
    for ref in references(ctx):
        if ref.optional or index.find(ref.name) is not None:
            continue
        near = index.suggest(ref.name)
        if ref.name in index.configmaps:
            extra = f"; `{ref.name}` is a ConfigMap ({_where(index.configmaps[ref.name])}), not a Secret"
        else:
            extra = f"; did you mean `{near}`?" if near else f" (found: {', '.join(index.names()) or 'none'})"
        yield Hit(
            ref.path,
            f"Secret `{ref.name}` ({format_path(ref.path)}) is not in the --secrets manifests{extra}",
            "the pod cannot start until a Secret of exactly this name exists",
        )


@rule(code="MLF703", name="secret-missing-key", severity=Severity.ERROR, needs=SECRETS)
def secret_missing_key(ctx: Context) -> Iterator[Hit]:
    """A referenced Secret lacks a key the chart or MLflow needs.

    Why it matters: envFrom turns every key into an env var of the same name, so a key
    named `BACKEND_STORE_URL` (the seed README's example) or `BACKEND_STORE_URI` (v1's docs)
    is never read and MLflow runs on the pod-local default store; a missing
    `basic_auth.ini` leaves an empty mount; a missing `secretKeyRef` key blocks the pod.
    Example: `kubectl create secret generic db --from-literal=BACKEND_STORE_URL=...` for
    `backendStore.existingSecret: db`.
    Fix: rename the key in the Secret as the message says.
    """
    index = _index(ctx)
    if index is None:
        return
    for ref in references(ctx):
        secret = index.find(ref.name)
        if secret is None or secret.open_keys or not ref.keys:
            continue
        missing = [k for k in ref.keys if k not in secret.data]
        if not missing or (ref.any_of and len(missing) < len(ref.keys)):
            continue
        wanted = " or ".join(f"`{k}`" for k in missing) if ref.any_of else ", ".join(f"`{k}`" for k in missing)
        near = _near_miss(missing, list(secret.data))
        yield Hit(
            ref.path,
            f"{secret.describe()} has no key {wanted} ({ref.why or 'the release needs it'}){near}",
            "rename or add the key in the Secret",
        )


def _near_miss(missing: list[str], present: list[str]) -> str:
    import difflib  # only when a suggestion is wanted

    for key in missing:
        close = difflib.get_close_matches(key, present, n=1, cutoff=0.5)
        if close:
            return f"; it has `{close[0]}`, which nothing reads under that name"
    return f"; it has {', '.join(f'`{k}`' for k in sorted(present))}" if present else "; it has no keys"


def mounted(ctx: Context) -> Iterator[tuple[str, SecretObject, str]]:
    """(env var name, Secret, key) for every Secret value the main container sees as env."""
    index = _index(ctx)
    if index is None:
        return
    for ref in references(ctx):
        secret = index.find(ref.name)
        if secret is None:
            continue
        if ref.env_from:
            for key in secret.data:
                yield ref.prefix + key, secret, key
        elif ref.env_name and ref.keys[0] in secret.data:
            yield ref.env_name, secret, ref.keys[0]


@rule(code="MLF705", name="invalid-backend-uri-in-secret", severity=Severity.ERROR, needs=SECRETS)
def invalid_backend_uri_in_secret(ctx: Context) -> Iterator[Hit]:
    """The backend store URI inside a referenced Secret is one `mlflow server` refuses.

    Why it matters: the value reaches MLflow as MLFLOW_BACKEND_STORE_URI; a client URI
    (`http://`, `databricks`), an unknown dialect (`postgres://`), two `+` or a missing
    database name stop the server at start-up, and nothing in the values shows it.
    Example: `stringData: {MLFLOW_BACKEND_STORE_URI: "postgres://mlflow@db:5432/mlflow"}`.
    Fix: `postgresql://user:password@host:5432/database` (or mysql, mssql, sqlite, a path).
    """
    for env_name, secret, key in mounted(ctx):
        value = secret.data.get(key)
        if env_name != BACKEND_KEY or not value or is_placeholder(value):
            continue
        kind = backend_kind(value.strip())
        if kind == "client":
            problems = ["it is a client tracking URI; `mlflow server` accepts only a file path or a database URI"]
        else:
            problems = db_uri_problems(value.strip()) if kind == "db" else []
        for problem in problems[:1]:
            yield Hit(
                (secret.name, key),
                f"{secret.kind} `{secret.name}` key `{key}` `{redact(value)}`: {problem}",
                "fix the URI in the Secret",
                location=secret.key_location(key),
            )


@rule(code="MLF706", name="weak-secret-credential", severity=Severity.WARNING, needs=SECRETS)
def weak_secret_credential(ctx: Context) -> Iterator[Hit]:
    """A password in a referenced Secret is empty, well known or equal to its user name.

    Why it matters: moving a credential into a Secret hides it from the values file but
    does not make `minioadmin` or `password` any stronger. MLFLOW_AUTH_ADMIN_PASSWORD
    (MLflow 3.17.2+) is also held to MLflow's own minimum (12 characters).
    Example: `stringData: {AWS_SECRET_ACCESS_KEY: minioadmin}`.
    Fix: rotate to a long random value, created out of band (a SealedSecret or an ExternalSecret):
    a committed Secret manifest holding the new value in plain text is MLF304.
    """
    seen = {name: (secret, key) for name, secret, key in mounted(ctx)}
    for env_name, (secret, key) in seen.items():
        value = secret.data.get(key)
        if value is None:
            continue
        reasons = _weakness(ctx, env_name, value, seen)
        if reasons:
            yield Hit(
                (secret.name, key),
                f"{secret.kind} `{secret.name}` key `{key}` ({env_name}) is weak: {'; '.join(reasons)}",
                "rotate it to a long random value",
                location=secret.key_location(key),
            )


def _weakness(ctx: Context, env_name: str, value: str, seen: dict[str, tuple[SecretObject, str]]) -> list[str]:
    if env_name == "MLFLOW_AUTH_ADMIN_PASSWORD":
        user_ref = seen.get("MLFLOW_AUTH_ADMIN_USERNAME")
        user = (user_ref[0].data.get(user_ref[1]) or "") if user_ref else ""
        verdict = judge(value, user, ctx.mlflow)
        return [verdict.rejected_by_mlflow] if verdict.rejected_by_mlflow else list(verdict.reasons)
    if "://" in value:
        parsed = parse_db_uri(value.strip())
        if parsed is None or not parsed.password:
            return []
        return [f"the URI password: {r}" for r in judge(parsed.password, parsed.username, _NOT_MLFLOW).reasons]
    if any(word in env_name.upper() for word in _CREDENTIAL_WORDS):
        return list(judge(value, "", _NOT_MLFLOW).reasons)
    return []


RULES: tuple[Rule, ...] = (
    INVALID_MANIFEST,
    missing_referenced_secret,
    secret_missing_key,
    PLAINTEXT_SECRET,
    invalid_backend_uri_in_secret,
    weak_secret_credential,
)
