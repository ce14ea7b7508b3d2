"""MLF3xx: the secret auditor (plaintext credentials, weak passwords, placeholders).

The work is done once per release by `mlflow_lint.secrets` (auditor, weak, placeholders);
each rule here is the view of one kind of result, so every kind can be selected,
re-graded or suppressed on its own. A value is reported by one rule only: a chart
credential key by MLF301, a recognised shape by its provider rule, and only the rest by
the name-based rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_lint.finding import Hit, Severity
from mlflow_lint.rules.base import rule
from mlflow_lint.secrets import auditor
from mlflow_lint.secrets.placeholders import placeholders
from mlflow_lint.secrets.weak import weak_passwords

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context


@rule(code="MLF301", name="plaintext-credential", severity=Severity.ERROR)
def plaintext_credential(ctx: Context) -> Iterator[Hit]:
    """A chart credential key (`createSecret.*`, `basicAuth.createSecret.adminPassword`) holds a real secret.

    Why it matters: values files are committed to git, and Helm stores every value in its
    release Secret, readable with `helm get values` by anyone allowed to read Secrets in the
    namespace. A database URI counts when it contains a password.
    Example: `artifactStore.s3.createSecret.secretAccessKey: wJalr...` or
    `backendStore.createSecret.backendStoreUri: postgresql://mlflow:s3cret@db/mlflow`.
    Fix: create the Secret out of band (kubectl, Sealed Secrets, External Secrets) and set the
    matching `existingSecret`; the hint names it and the keys it must hold
    (`backendStore.existingSecret` with `MLFLOW_BACKEND_STORE_URI`, `artifactStore.s3.existingSecret`
    with `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, ...).
    """
    yield from auditor.hits(ctx, auditor.PLAINTEXT_CREDENTIAL)


@rule(code="MLF302", name="password-in-uri", severity=Severity.ERROR)
def password_in_uri(ctx: Context) -> Iterator[Hit]:
    """A URI outside the chart's credential keys carries a password (`scheme://user:pass@host`).

    Why it matters: artifact roots such as `ftp://user:pass@host/path` are stored in the
    tracking database and shown to every user who can read an experiment; URIs in
    `trackingServer.extraArgs` are visible in the pod spec and the process list; any value
    lands in git and in `helm get values`. `?password=` query parameters count too.
    Example: `trackingServer.extraArgs: ["--backend-store-uri=postgresql://mlflow:s3cret@db/mlflow"]`.
    Fix: pass database URIs through `backendStore.existingSecret` (key `MLFLOW_BACKEND_STORE_URI`)
    or an env var from `secretKeyRef`; for artifacts prefer a store whose credentials come from
    the environment (S3, GCS, Azure, SFTP with a mounted key).
    """
    yield from auditor.hits(ctx, auditor.PASSWORD_IN_URI)


@rule(code="MLF303", name="plaintext-named-secret", severity=Severity.ERROR)
def plaintext_named_secret(ctx: Context) -> Iterator[Hit]:
    """An env var or server option whose name says it holds a secret is given a literal value.

    Why it matters: `extraEnv[].value` is written into the Deployment spec in plain text (anyone
    who can read Deployments sees it), besides git and `helm get values`. Env vars are found in
    every form: list entries (`{name, value}`, any chart, any container, manifests given with
    `--secrets`) and map keys in ENV_VAR form (`extraEnvVars: {SMTP_PASS: ...}`). Names are judged with
    the env-var catalogue (`MLFLOW_AUTH_ADMIN_PASSWORD`, `MLFLOW_FLASK_SERVER_SECRET_KEY`,
    `AWS_SECRET_ACCESS_KEY`, ...) and words such as PASSWORD, SECRET, TOKEN; references
    (`$(VAR)`, file paths) and names that only point at a secret (`*_FILE`, `*_NAME`) are not reported.
    Example: `extraEnv: [{name: MLFLOW_TRACKING_PASSWORD, value: hunter2}]`.
    Fix: `valueFrom: {secretKeyRef: {name: mlflow-secrets, key: MLFLOW_TRACKING_PASSWORD}}`, or
    `extraEnvFrom` with a whole Secret.
    """
    yield from auditor.hits(ctx, auditor.NAMED_SECRET)


@rule(code="MLF304", name="aws-access-key-in-values", severity=Severity.ERROR)
def aws_access_key_in_values(ctx: Context) -> Iterator[Hit]:
    """An AWS access key id (`AKIA...`, `ASIA...`) or secret access key is written in the values.

    Why it matters: AWS keys grant access to buckets and often to much more; in values they
    land in git and in `helm get values`. Found anywhere, whatever the key or chart: env values,
    args, annotations, `--set` flags, `--secrets` manifests (a Secret's `data` is decoded), and
    base64 of a key.
    Example: `extraEnv: [{name: AWS_ACCESS_KEY_ID, value: AKIAZ3MSJV4WWNQ5AB7C}]`.
    Fix: use IRSA (`serviceAccount.annotations["eks.amazonaws.com/role-arn"]`) or a Secret named
    by `artifactStore.s3.existingSecret` with `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`;
    rotate the exposed key.
    """
    yield from auditor.hits(ctx, auditor.AWS_KEY)


@rule(code="MLF305", name="azure-storage-key-in-values", severity=Severity.ERROR)
def azure_storage_key_in_values(ctx: Context) -> Iterator[Hit]:
    """An Azure storage account key, a connection string with `AccountKey=`, or a SAS signature is in the values.

    Why it matters: an account key gives full control of every container of the storage
    account; it lands in git and in `helm get values`.
    Example: `extraEnv: [{name: AZURE_STORAGE_CONNECTION_STRING, value: "...;AccountName=x;AccountKey=..."}]`.
    Fix: a Secret named by `artifactStore.azure.existingSecret` with `AZURE_STORAGE_CONNECTION_STRING`
    or `AZURE_STORAGE_ACCESS_KEY`, or workload identity (`DefaultAzureCredential`); rotate the key.
    """
    yield from auditor.hits(ctx, auditor.AZURE_KEY)


@rule(code="MLF306", name="private-key-in-values", severity=Severity.ERROR)
def private_key_in_values(ctx: Context) -> Iterator[Hit]:
    """A PEM or OpenSSH private key or a GCP service-account JSON key is written in the values (or a manifest).

    Why it matters: a private key is a long-lived credential; a service-account key lets anyone
    act as that account. In values it lands in git and in `helm get values`.
    Example: `podAnnotations: {key: "-----BEGIN PRIVATE KEY-----..."}` or a
    `{"type": "service_account", "private_key": ...}` JSON in `extraEnv`.
    Fix: keep the key in a Secret and mount it (`extraVolumes`/`extraVolumeMounts`, then point
    `GOOGLE_APPLICATION_CREDENTIALS` at the file), or use GKE Workload Identity.
    """
    yield from auditor.hits(ctx, auditor.PRIVATE_KEY)


@rule(code="MLF307", name="alibaba-access-key-in-values", severity=Severity.ERROR)
def alibaba_access_key_in_values(ctx: Context) -> Iterator[Hit]:
    """An Alibaba Cloud AccessKey ID (`LTAI...`) or AccessKey secret is written in the values.

    Why it matters: the key pair grants access to OSS buckets and other Alibaba Cloud
    resources; in values it lands in git and in `helm get values`.
    Example: `extraEnv: [{name: MLFLOW_OSS_KEY_ID, value: LTAI5tQ8hJ2kL9mN3pR7sV1x}]`.
    Fix: RRSA (`serviceAccount.annotations["pod-identity.alibabacloud.com/role-name"]`) or a Secret
    named by `artifactStore.oss.existingSecret` with `MLFLOW_OSS_KEY_ID` and `MLFLOW_OSS_KEY_SECRET`.
    """
    yield from auditor.hits(ctx, auditor.ALIBABA_KEY)


@rule(code="MLF308", name="high-entropy-secret-value", severity=Severity.WARNING)
def high_entropy_secret_value(ctx: Context) -> Iterator[Hit]:
    """A random-looking value sits under a name that only hints at a secret (`key`, `auth`, `pat`).

    Why it matters: such values are usually tokens or keys; they land in git and in
    `helm get values`. Only values that look random (hex of 32+ characters, or base64-like
    text of 20+ characters with high entropy) are reported, and names that only point at a
    secret (`secretName`, `passwordKey`, `keyOfSecretAccessKey`) never are. Names that say
    outright that they hold a credential (`api-token`, `clientSecret`) are MLF311, whatever the value.
    Example: `podAnnotations: {corp/deploy-key: 9f8e7d6c5b4a39281706f5e4d3c2b1a0}`.
    Fix: move the value into a Secret; if it is not a secret, suppress the finding with a reason.
    """
    yield from auditor.hits(ctx, auditor.HIGH_ENTROPY)


@rule(code="MLF309", name="weak-password", severity=Severity.ERROR)
def weak_password(ctx: Context) -> Iterator[Hit]:
    """A password the release uses is weak, a well-known default, or one MLflow refuses.

    Why it matters: the basic-auth admin password guards every experiment and model. MLflow
    2.22+ refuses admin passwords shorter than 12 characters (start-up fails while the admin
    does not exist) and 3.17.2 refuses `password1234`. With `basicAuth.enabled` and no
    `adminPassword`, the chart's default admin password is used. Database passwords that are
    common or equal to the user name are reported too. Only passwords that are used are judged.
    MLflow's shipped admin password (`password1234`) is reported wherever it is written, on
    every MLflow version, since MLflow's own security advisory.
    Deliberately stricter than MLflow (recorded in tests/oracle): MLflow 2.10.0-2.21 accept the seed
    chart's `password`, and 2.22.0-3.15.1 accept `password1234` (their own packaged default); both are
    published, so anyone can log in as the admin.
    Example: `trackingServer.basicAuth: {enabled: true, createSecret: {adminPassword: password}}`.
    Fix: a long random password, best kept in a basic_auth.ini Secret named by
    `trackingServer.basicAuth.existingSecret`.
    """
    seen = set()
    for item in weak_passwords(ctx):
        seen.add(item.path)
        yield item.hit()
    for item in auditor.audit(ctx):  # MLflow's shipped admin password anywhere else, whatever the version
        if item.code == auditor.WEAK_PASSWORD and item.path not in seen:
            yield item.hit()


@rule(code="MLF310", name="placeholder-value", severity=Severity.ERROR)
def placeholder_value(ctx: Context) -> Iterator[Hit]:
    """A value still holds placeholder text from documentation or a template.

    Why it matters: Helm passes the text on unchanged, so the release fails at run time in
    ways far from the cause (`s3://<bucket>/<path>`, an IAM role ARN with `account-id`, a
    `changeme` password that works for everybody). Reported: `<...>`, `YOUR_...`, `changeme`,
    `REPLACE_ME`, `TODO`, `xxx`, RFC 2606 example hosts (`example.com/.net/.org`, `*.example`,
    `*.invalid`), the chart's `chart-example.local`, AWS documentation account ids and keys.
    Example: `eks.amazonaws.com/role-arn: "arn:aws:iam::account-id:role/<YOUR_IAM_ROLE_ARN>"` in
    `serviceAccount.annotations`.
    Fix: fill in the real value.
    """
    for item in placeholders(ctx):
        yield item.hit()


@rule(code="MLF311", name="secret-named-value", severity=Severity.ERROR)
def secret_named_value(ctx: Context) -> Iterator[Hit]:
    """A key whose name says it holds a credential has a literal value, in any chart's layout.

    Why it matters: `backendStore.postgres.password` (community chart), `tracking.auth.password`
    and `externalDatabase.password` (bitnami), `minio.auth.rootPassword`, `oidcAuth.clientSecret`,
    an `apiKey` in an umbrella sub-tree: every one lands in git and in Helm's release Secret
    (`helm get values`). Names are read in camelCase, snake_case, kebab-case and ENV_VAR form
    (`password`, `secret`, `token`, `apiKey`, `accessKey`, `credentials`, `connectionString`...).
    Keys that only name a secret (`existingSecret`, `passwordKey: password`,
    `existingSecretPasswordKey`, anything under `valueFrom`/`secretKeyRef`) and placeholders,
    references and template expressions are not reported. A weak or default password is
    reported too: it is a plaintext credential and an easy one. Lines of a config text pasted
    into a value (`admin_password = ...`) and base64 of a credential under such a name count.
    Example: `externalDatabase: {user: mlflow, password: Vk8q2LmZr7Tx}`.
    Fix: create the Secret out of band and use the chart's `existingSecret` keys
    (`externalDatabase.existingSecret` + `existingSecretPasswordKey`,
    `backendStore.existingDatabaseSecret`, `auth.existingAdminSecret`...).
    """
    yield from auditor.hits(ctx, auditor.NAMED_VALUE)


@rule(code="MLF312", name="service-token-in-values", severity=Severity.ERROR)
def service_token_in_values(ctx: Context) -> Iterator[Hit]:
    """A service token with a recognisable format is written in the values or a manifest.

    Why it matters: GitHub (`ghp_`, `github_pat_`), GitLab (`glpat-`), Slack (`xoxb-`, webhook
    URLs), Databricks (`dapi`), Hugging Face (`hf_`), Google API keys (`AIza`), OpenAI and npm
    tokens and JSON Web Tokens act as their owner wherever they are used; committed, they are
    found by anyone who can read the repository. Each is checked for its structure (a JWT's
    header must decode to JSON naming an algorithm; random parts must look random), wherever
    it sits and under whatever name, base64-encoded included.
    Example: `extraEnvVars: {DATABRICKS_TOKEN: dapi0f3b...}`.
    Fix: revoke the token, issue a new one and keep it in a Secret referenced with
    `secretKeyRef` (or `extraEnvFrom`).
    """
    yield from auditor.hits(ctx, auditor.SERVICE_TOKEN)


@rule(code="MLF313", name="plaintext-password-in-ini", severity=Severity.ERROR, needs=("ini",))
def plaintext_password_in_ini(ctx: Context) -> Iterator[Hit]:
    """A committed basic_auth.ini holds a real admin password or a database password.

    Why it matters: basic_auth.ini files passed on the command line are files in the
    repository; their `admin_password` and `database_uri` password are readable by everyone who
    can read it. The file belongs in a Secret (`trackingServer.basicAuth.existingSecret`), and from
    MLflow 3.17.2 the admin credentials can come from the environment
    (`MLFLOW_AUTH_ADMIN_USERNAME`/`MLFLOW_AUTH_ADMIN_PASSWORD`). MLflow's shipped default
    `password1234` is reported whatever the MLflow version (MLflow's own security advisory).
    Placeholders (`changeme`, `<password>`, `${ADMIN_PASSWORD}`) are left to MLF310.
    Deliberately stricter than MLflow (recorded in tests/oracle): MLflow starts and serves with such
    a file on every version; the error is about the repository, not the server.
    Example: `admin_password = Zx81PqRt55Lw` in a basic_auth.ini.
    Fix: keep the file in a Secret (or the password in the environment) and commit a template.
    """
    from mlflow_lint.secrets.ini import ini_passwords  # only a release with an INI has something to read

    yield from ini_passwords(ctx)


RULES = (
    plaintext_credential,
    password_in_uri,
    plaintext_named_secret,
    aws_access_key_in_values,
    azure_storage_key_in_values,
    private_key_in_values,
    alibaba_access_key_in_values,
    high_entropy_secret_value,
    weak_password,
    placeholder_value,
    secret_named_value,
    service_token_in_values,
    plaintext_password_in_ini,
)
