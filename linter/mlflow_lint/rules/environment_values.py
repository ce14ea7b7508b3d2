"""MLF602-MLF610: `extraEnv` values that their reader cannot parse or will misuse.

Only string values are judged here: a YAML boolean or number in `value` is already a
schema error (MLF002). Integer constraints (ranges, GCS multiples) are judged on numbers
too, because quoting the number would not fix them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from mlflow_lint import env_checks as checks
from mlflow_lint.env_catalog import EnvVar, lookup
from mlflow_lint.env_checks import Entry
from mlflow_lint.finding import Hit, Severity
from mlflow_lint.rules.base import rule
from mlflow_lint.server_args import overridden_envvar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context

Judge = Callable[[str, EnvVar], str]


def _typed(ctx: Context, kinds: tuple[str, ...]) -> Iterator[tuple[Entry, EnvVar, str]]:
    """Typed entries MLflow reads: one whose server option is on the command line is never read (MLF614)."""
    for entry in checks.entries(ctx):
        var = lookup(entry.name)
        if (
            var is not None
            and var.kind in kinds
            and entry.text is not None
            and overridden_envvar(ctx, entry.name) is None
        ):
            yield entry, var, entry.text


def _judged(ctx: Context, kinds: tuple[str, ...], judge: Judge, hint: str) -> Iterator[Hit]:
    for entry, var, text in _typed(ctx, kinds):
        problem = judge(text, var)
        if problem:
            yield Hit(
                entry.at("value"),
                f"`{entry.name}`{checks.shown(entry.name, text)} {problem}; read by {var.reader}",
                hint,
            )


@rule(code="MLF602", name="invalid-boolean-env-value", severity=Severity.ERROR)
def invalid_boolean_env_value(ctx: Context) -> Iterator[Hit]:
    """A boolean env var has a value its reader does not accept as a boolean.

    Why it matters: MLflow's boolean variables accept only `true`, `false`, `1` and `0`
    (any case) and raise ValueError on anything else when first read, often at the first
    artifact upload rather than at start-up. Server CLI switches (`MLFLOW_SERVE_ARTIFACTS`)
    are parsed by click, which also takes yes/no/on/off.
    Example: `- {name: MLFLOW_S3_IGNORE_TLS, value: "yes"}` or `value: "enabled"`.
    Fix: write `"true"` or `"false"` (quoted).
    """
    yield from _judged(ctx, ("bool",), lambda text, var: checks.bool_problem(text), 'use "true" or "false" (quoted)')
    yield from _judged(
        ctx, ("click-bool",), lambda text, var: checks.click_bool_problem(text), 'use "true" or "false" (quoted)'
    )


@rule(code="MLF603", name="invalid-integer-env-value", severity=Severity.ERROR)
def invalid_integer_env_value(ctx: Context) -> Iterator[Hit]:
    """An integer (or number) env var is not a plain number, or is out of range.

    Why it matters: MLflow converts these with Python's `int()`, which rejects units,
    exponents and decimals (`60s`, `1e3`, `1.5`) with "Failed to convert"; the error appears
    only when the variable is first used.
    A server-option variable whose option is on the command line (`MLFLOW_WORKERS` with the chart's
    `--workers`) is never read by click, so its value is not judged here (MLF614 reports it as ignored;
    checked against MLflow 2.10.0-3.17.2's parser in tests/oracle).
    Example: `- {name: MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT, value: "60s"}`.
    Fix: write the plain decimal number as a quoted string: `value: "60"`.
    """
    yield from _judged(ctx, ("int",), checks.int_problem, 'write a plain decimal integer, quoted: "60"')
    yield from _judged(ctx, ("float",), lambda text, var: checks.float_problem(text), 'write a number, quoted: "1.5"')
    for entry in checks.entries(ctx):
        var = lookup(entry.name)
        if var is not None and var.kind == "int" and _is_int(entry.value):
            problem = checks.range_problem(entry.value, var)
            if problem:
                yield Hit(entry.at("value"), f"`{entry.name}` {entry.value} {problem}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@rule(code="MLF604", name="gcs-chunk-size-not-multiple", severity=Severity.ERROR)
def gcs_chunk_size_not_multiple(ctx: Context) -> Iterator[Hit]:
    """A GCS upload or download chunk size is not a multiple of 262144 bytes (256 KiB).

    Why it matters: google-cloud-storage raises "Chunk size must be a multiple of 262144"
    on the first transfer, so every artifact upload or download to `gs://` fails.
    Example: `- {name: MLFLOW_GCS_UPLOAD_CHUNK_SIZE, value: "100000000"}` (100 MB, not MiB).
    Fix: use a multiple of 262144, e.g. `"104857600"` (100 MiB = 400 x 256 KiB).
    """
    for entry in checks.entries(ctx):
        var = lookup(entry.name)
        if var is None or not var.multiple_of:
            continue
        number = _as_int(entry.value)
        problem = checks.multiple_problem(number, var.multiple_of) if number is not None else ""
        if problem:
            yield Hit(
                entry.at("value"),
                f"`{entry.name}`: {problem}",
                "google-cloud-storage accepts only multiples of 262144 bytes",
            )


def _as_int(value: object) -> int | None:
    if _is_int(value):
        return value  # type: ignore[return-value]
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None  # MLF603 reports it
    return None


@rule(code="MLF605", name="invalid-endpoint-url", severity=Severity.ERROR)
def invalid_endpoint_url(ctx: Context) -> Iterator[Hit]:
    """An S3 or OSS endpoint variable is not an endpoint its client can use.

    Why it matters: botocore needs a full URL with scheme and host and raises
    "Invalid endpoint" otherwise, so every S3 artifact operation fails; the OSS plugin
    passes its endpoint to oss2, which expects a host or http(s) URL, not a bucket URI.
    Example: `- {name: MLFLOW_S3_ENDPOINT_URL, value: "minio:9000"}`, or
    `MLFLOW_OSS_ENDPOINT_URL: oss://my-bucket/mlflow`.
    Fix: `http://minio.minio.svc:9000` (with scheme); for OSS `oss-cn-beijing-internal.aliyuncs.com`.
    """
    yield from _judged(
        ctx,
        ("url",),
        lambda text, var: checks.endpoint_problem(text),
        "write the full URL, e.g. http://minio.minio.svc:9000",
    )
    yield from _judged(
        ctx,
        ("host-or-url",),
        lambda text, var: checks.oss_endpoint_problem(text),
        "write the OSS endpoint host, e.g. oss-cn-beijing-internal.aliyuncs.com",
    )


@rule(code="MLF606", name="invalid-s3-upload-extra-args", severity=Severity.ERROR)
def invalid_s3_upload_extra_args(ctx: Context) -> Iterator[Hit]:
    """`MLFLOW_S3_UPLOAD_EXTRA_ARGS` is not a JSON object of arguments boto3 allows for uploads.

    Why it matters: MLflow `json.loads` the value for every upload; invalid JSON raises,
    and a key outside s3transfer's ALLOWED_UPLOAD_ARGS makes boto3 raise
    "Invalid extra_args key", so no artifact can be uploaded.
    Example: `value: '{"ServerSideEncryption": "aws:kms", "KMSKeyId": "1234"}'` (the key is `SSEKMSKeyId`).
    Fix: a JSON object with keys such as `ServerSideEncryption`, `SSEKMSKeyId`, `ACL`,
    `StorageClass`, `Metadata`, `Tagging`.
    """
    yield from _judged(
        ctx,
        ("json-object",),
        lambda text, var: checks.upload_args_problem(text),
        'e.g. {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "<key id>"}',
    )


@rule(code="MLF607", name="invalid-enum-env-value", severity=Severity.ERROR)
def invalid_enum_env_value(ctx: Context) -> Iterator[Hit]:
    """An env var that takes one of a fixed set of values has another value.

    Why it matters: `MLFLOW_SQLALCHEMYSTORE_POOLCLASS` must name a SQLAlchemy pool class
    (ValueError at start-up otherwise); `MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE` must be
    `auto`, `path` or `virtual`; `MLFLOW_SERVER_X_FRAME_OPTIONS` `SAMEORIGIN`, `DENY` or `NONE`.
    Example: `- {name: MLFLOW_SQLALCHEMYSTORE_POOLCLASS, value: "nullpool"}`.
    Fix: use one of the values the message lists, spelled exactly (class names are case-sensitive).
    """
    yield from _judged(ctx, ("enum",), checks.enum_problem, "use one of the listed values")


@rule(code="MLF608", name="invalid-pyarrow-extra-conf", severity=Severity.ERROR)
def invalid_pyarrow_extra_conf(ctx: Context) -> Iterator[Hit]:
    """`MLFLOW_PYARROW_EXTRA_CONF` is not a `key=value,key=value` list.

    Why it matters: the HDFS artifact repository splits the value on `,` and each pair on
    `=`; a pair with no `=` or with two raises ValueError and HDFS artifacts fail.
    Example: `value: "dfs.client.use.datanode.hostname:true"`.
    Fix: `value: "dfs.client.use.datanode.hostname=true,dfs.replication=2"` (no `=` or `,` inside values).
    """
    yield from _judged(
        ctx, ("kv-list",), lambda text, var: checks.kv_list_problem(text), "write key=value pairs separated by commas"
    )


@rule(code="MLF609", name="file-content-in-path-env", severity=Severity.ERROR)
def file_content_in_path_env(ctx: Context) -> Iterator[Hit]:
    """A variable that must hold a file path holds the file's content (PEM, JSON) or a URL.

    Why it matters: botocore opens `AWS_CA_BUNDLE` as a file, google-auth opens
    `GOOGLE_APPLICATION_CREDENTIALS` as a file; given the content instead, TLS connections
    or credential loading fail. The key material also ends up in the pod spec.
    Example: `- {name: GOOGLE_APPLICATION_CREDENTIALS, value: '{"type": "service_account", ...}'}`.
    Fix: put the content in a Secret, mount it with `extraVolumes`/`extraVolumeMounts`, and set
    the variable to the mounted path, e.g. `/etc/gcp/key.json`.
    """
    # MLFLOW_EXPOSE_PROMETHEUS has its own rule (MLF628)
    yield from _judged(
        ctx,
        ("path",),
        lambda text, var: "" if var.option else checks.path_content_problem(text),
        f"mount the file from a Secret ({ctx.deployment.key('volumes')}/{ctx.deployment.key('mounts')}) "
        "and give its path",
    )


@rule(code="MLF610", name="empty-ca-bundle", severity=Severity.ERROR)
def empty_ca_bundle(ctx: Context) -> Iterator[Hit]:
    """`AWS_CA_BUNDLE` is set to an empty string.

    Why it matters: older botocore (1.34) treats an empty CA bundle as "do not verify" and
    silently turns TLS certificate checks off; current botocore (1.44) raises
    InvalidConfigError ("Invalid CA bundle ... empty") on every S3 call.
    Example: `- {name: AWS_CA_BUNDLE, value: ""}`.
    Fix: remove the entry, or set it to the path of a mounted CA file.
    """
    for entry in checks.entries(ctx):
        if entry.name == "AWS_CA_BUNDLE" and entry.text is not None and not entry.text.strip():
            yield Hit(
                entry.at("value"),
                "`AWS_CA_BUNDLE` is empty: old botocore skips certificate verification, new botocore fails",
                "remove the entry or give the path of a mounted CA bundle",
            )


RULES = (
    invalid_boolean_env_value,
    invalid_integer_env_value,
    gcs_chunk_size_not_multiple,
    invalid_endpoint_url,
    invalid_s3_upload_extra_args,
    invalid_enum_env_value,
    invalid_pyarrow_extra_conf,
    file_content_in_path_env,
    empty_ca_bundle,
)
