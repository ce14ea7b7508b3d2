"""The environment variables an MLflow tracking server pod reads, as plain data.

Who reads them: MLflow (`mlflow/environment_variables.py`), the `mlflow server` CLI (click
`envvar=` options), boto3/botocore (`AWS_*`), google-auth/google-cloud-storage, the Azure
SDKs and the Alibaba OSS plugin (`aliyunstoreplugin`). Types, constraints and versions come
from mlflow-chart-facts.md sections 8.1, 9.2 and 10.3. Version spans are the two released
wheels that were compared (`added=(last without, first with)`), so a version in between is
"unknown" and never reported. Importing this module does no work beyond building dicts.
"""

from __future__ import annotations

import re

from mlflow_lint.records import NamedTuple
from mlflow_lint.versions import Version, show

# Value kinds. "bool" is MLflow's strict parser (true/false/1/0); "click-bool" is click's
# BoolParamType (also yes/no/on/off/y/n/t/f); "int" is Python's int(); "kv-list" is `k=v,k=v`.
KINDS = (
    "str",
    "bool",
    "click-bool",
    "int",
    "float",
    "enum",
    "json-object",
    "url",
    "uri",
    "path",
    "list",
    "kv-list",
    "host-or-url",
)

GCS_CHUNK_MULTIPLE = 262_144  # google-cloud-storage Blob._CHUNK_SIZE_MULTIPLE (256 KiB)
POOL_CLASSES = (
    "AssertionPool",
    "AsyncAdaptedQueuePool",
    "FallbackAsyncAdaptedQueuePool",
    "NullPool",
    "QueuePool",
    "SingletonThreadPool",
    "StaticPool",
)
# s3transfer ALLOWED_UPLOAD_ARGS; newer s3transfer (0.19.3) adds the checksum keys at the end.
S3_UPLOAD_ARGS = frozenset(
    (
        "ACL",
        "CacheControl",
        "ChecksumAlgorithm",
        "ContentDisposition",
        "ContentEncoding",
        "ContentLanguage",
        "ContentType",
        "ExpectedBucketOwner",
        "Expires",
        "GrantFullControl",
        "GrantRead",
        "GrantReadACP",
        "GrantWriteACP",
        "Metadata",
        "ObjectLockLegalHoldStatus",
        "ObjectLockMode",
        "ObjectLockRetainUntilDate",
        "RequestPayer",
        "ServerSideEncryption",
        "StorageClass",
        "SSECustomerAlgorithm",
        "SSECustomerKey",
        "SSECustomerKeyMD5",
        "SSEKMSKeyId",
        "SSEKMSEncryptionContext",
        "Tagging",
        "WebsiteRedirectLocation",
        "ChecksumType",
        "MpuObjectSize",
        "ChecksumCRC32",
        "ChecksumCRC32C",
        "ChecksumCRC64NVME",
        "ChecksumMD5",
        "ChecksumSHA1",
        "ChecksumSHA256",
        "ChecksumSHA512",
        "ChecksumXXHASH3",
        "ChecksumXXHASH64",
        "ChecksumXXHASH128",
    )
)
INTERNAL_SERVER_VARS = frozenset(
    (
        "_MLFLOW_SERVER_FILE_STORE",
        "_MLFLOW_SERVER_REGISTRY_STORE",
        "_MLFLOW_SERVER_ARTIFACT_ROOT",
        "_MLFLOW_SERVER_ARTIFACT_DESTINATION",
        "_MLFLOW_SERVER_SERVE_ARTIFACTS",
        "_MLFLOW_SERVER_ARTIFACTS_ONLY",
        "prometheus_multiproc_dir",
    )
)


class EnvVar(NamedTuple):
    """One variable: who reads it, how its value is parsed, and what it must look like."""

    name: str
    kind: str = "str"
    reader: str = "MLflow"
    choices: tuple[str, ...] = ()
    ignore_case: bool = False  # for enums
    multiple_of: int = 0  # when the value is > 0
    minimum: int | None = None
    maximum: int | None = None
    secret: bool = False
    option: str = ""  # the `mlflow server` option whose envvar this is
    added: tuple[Version, Version] | None = None  # (last checked release without it, first with it)
    removed: tuple[Version, Version] | None = None  # (last checked release with it, first without it)


def _vars(reader: str, *items: EnvVar) -> dict[str, EnvVar]:
    return {v.name: v._replace(reader=reader) for v in items}


_SERVER = "the `mlflow server` CLI"
_V3_5 = ((3, 3, 0), (3, 5, 0))  # security middleware: absent in 3.3.0, "MLflow >= 3.5.0"
_V3_17 = ((2, 14, 1), (3, 17, 2))  # options seen in 3.17.2 and not in 2.14.1

CATALOG: dict[str, EnvVar] = {
    **_vars(
        _SERVER,
        EnvVar("MLFLOW_BACKEND_STORE_URI", "uri", secret=True, option="--backend-store-uri"),
        EnvVar("MLFLOW_REGISTRY_STORE_URI", "uri", secret=True, option="--registry-store-uri"),
        EnvVar("MLFLOW_DEFAULT_ARTIFACT_ROOT", "uri", option="--default-artifact-root"),
        EnvVar("MLFLOW_SERVE_ARTIFACTS", "click-bool", option="--serve-artifacts"),
        EnvVar("MLFLOW_ARTIFACTS_ONLY", "click-bool", option="--artifacts-only"),
        EnvVar("MLFLOW_ARTIFACTS_DESTINATION", "uri", option="--artifacts-destination"),
        EnvVar("MLFLOW_HOST", option="--host"),
        EnvVar("MLFLOW_PORT", "int", minimum=1, maximum=65535, option="--port"),
        EnvVar("MLFLOW_WORKERS", "int", minimum=1, option="--workers"),
        EnvVar("MLFLOW_STATIC_PREFIX", option="--static-prefix"),
        EnvVar("MLFLOW_GUNICORN_OPTS", option="--gunicorn-opts"),
        EnvVar("MLFLOW_EXPOSE_PROMETHEUS", "path", option="--expose-prometheus"),
        EnvVar(
            "MLFLOW_READ_REPLICA_BACKEND_STORE_URI",
            "uri",
            secret=True,
            option="--read-replica-backend-store-uri",
            added=_V3_17,
        ),
        EnvVar("MLFLOW_UVICORN_OPTS", option="--uvicorn-opts", added=_V3_17),
        EnvVar("MLFLOW_SERVER_ALLOWED_HOSTS", "list", option="--allowed-hosts", added=_V3_5),
        EnvVar("MLFLOW_SERVER_CORS_ALLOWED_ORIGINS", "list", option="--cors-allowed-origins", added=_V3_5),
        EnvVar(
            "MLFLOW_SERVER_DISABLE_SECURITY_MIDDLEWARE", "bool", option="--disable-security-middleware", added=_V3_5
        ),
        EnvVar(
            "MLFLOW_SERVER_X_FRAME_OPTIONS",
            "enum",
            choices=("SAMEORIGIN", "DENY", "NONE"),
            ignore_case=True,
            option="--x-frame-options",
            added=_V3_5,
        ),
    ),
    **_vars(
        "MLflow",
        EnvVar("MLFLOW_S3_ENDPOINT_URL", "url"),
        EnvVar("MLFLOW_S3_IGNORE_TLS", "bool"),
        EnvVar("MLFLOW_S3_UPLOAD_EXTRA_ARGS", "json-object"),
        EnvVar(
            "MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE",
            "enum",
            choices=("auto", "path", "virtual"),
            added=((2, 10, 0), (2, 14, 1)),
        ),
        EnvVar("MLFLOW_EXPERIMENTAL_S3_SIGNATURE_VERSION"),
        EnvVar("MLFLOW_S3_EXPECTED_BUCKET_OWNER", added=((3, 3, 0), (3, 8, 0))),
        EnvVar("MLFLOW_GCS_UPLOAD_CHUNK_SIZE", "int", multiple_of=GCS_CHUNK_MULTIPLE),
        EnvVar("MLFLOW_GCS_DOWNLOAD_CHUNK_SIZE", "int", multiple_of=GCS_CHUNK_MULTIPLE),
        EnvVar("MLFLOW_GCS_DEFAULT_TIMEOUT", "int", removed=((2, 22, 0), (3, 3, 0))),
        EnvVar("MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT", "int"),
        EnvVar("MLFLOW_KERBEROS_TICKET_CACHE", "path"),
        EnvVar("MLFLOW_KERBEROS_USER"),
        EnvVar("MLFLOW_PYARROW_EXTRA_CONF", "kv-list"),
        EnvVar("MLFLOW_ENABLE_MULTIPART_UPLOAD", "bool"),
        EnvVar("MLFLOW_ENABLE_MULTIPART_DOWNLOAD", "bool"),
        EnvVar("MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD", "bool"),
        EnvVar("MLFLOW_ENABLE_PROXY_MULTIPART_DOWNLOAD", "bool", added=((3, 8, 0), (3, 12, 0))),
        EnvVar("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE", "int", minimum=0),
        EnvVar("MLFLOW_MULTIPART_DOWNLOAD_MINIMUM_FILE_SIZE", "int", minimum=0),
        EnvVar("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", "int", minimum=1),
        EnvVar("MLFLOW_MULTIPART_DOWNLOAD_CHUNK_SIZE", "int", minimum=1),
        EnvVar("MLFLOW_DOWNLOAD_CHUNK_TIMEOUT", "int"),
        EnvVar("MLFLOW_AUTH_CONFIG_PATH", "path"),
        EnvVar("MLFLOW_FLASK_SERVER_SECRET_KEY", secret=True, added=((2, 20, 0), (2, 21, 0))),
        EnvVar("MLFLOW_AUTH_ADMIN_USERNAME", added=((3, 15, 1), (3, 17, 2))),
        EnvVar("MLFLOW_AUTH_ADMIN_PASSWORD", secret=True, added=((3, 15, 1), (3, 17, 2))),
        EnvVar("MLFLOW_BASIC_AUTH_FAIL_CLOSED", "bool"),
        EnvVar("MLFLOW_ALLOWED_HOST_ADDRESSED_ARTIFACT_SCHEMES", "list"),
        EnvVar("MLFLOW_TRACKING_URI", "uri"),
        EnvVar("MLFLOW_REGISTRY_URI", "uri"),
        EnvVar("MLFLOW_TRACKING_USERNAME"),
        EnvVar("MLFLOW_TRACKING_PASSWORD", secret=True),
        EnvVar("MLFLOW_TRACKING_TOKEN", secret=True),
        EnvVar("MLFLOW_TRACKING_INSECURE_TLS", "bool"),
        EnvVar("MLFLOW_TRACKING_SERVER_CERT_PATH", "path"),
        EnvVar("MLFLOW_TRACKING_CLIENT_CERT_PATH", "path"),
        EnvVar("MLFLOW_TRACKING_AWS_SIGV4", "bool"),
        EnvVar("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "int", minimum=0),
        EnvVar("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "int", minimum=0),
        EnvVar("MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", "float"),
        EnvVar("MLFLOW_HTTP_REQUEST_TIMEOUT", "int"),
        EnvVar("MLFLOW_SQLALCHEMYSTORE_POOL_SIZE", "int"),
        EnvVar("MLFLOW_SQLALCHEMYSTORE_MAX_OVERFLOW", "int"),
        EnvVar("MLFLOW_SQLALCHEMYSTORE_POOL_RECYCLE", "int"),
        EnvVar("MLFLOW_SQLALCHEMYSTORE_ECHO", "bool"),
        EnvVar("MLFLOW_SQLALCHEMYSTORE_POOLCLASS", "enum", choices=POOL_CLASSES),
        EnvVar("MLFLOW_MYSQL_SSL_CERT", "path", added=((2, 21, 0), (2, 22, 0))),
        # the file store's opt-in (tests/oracle: absent in mlflow-skinny 3.12.0, present in 3.13.0)
        EnvVar("MLFLOW_ALLOW_FILE_STORE", "bool", added=((3, 12, 0), (3, 13, 0))),
        EnvVar("MLFLOW_ALLOW_HTTP_REDIRECTS", "bool"),
        EnvVar("MLFLOW_TRACKING_DIR", "path"),
        EnvVar("MLFLOW_REGISTRY_DIR", "path"),
        EnvVar("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "bool"),
        EnvVar("MLFLOW_LOGGING_CONFIGURE_LOGGING", "bool"),
        EnvVar("MLFLOW_TRUNCATE_LONG_VALUES", "bool"),
        EnvVar("MLFLOW_GATEWAY_URI", "url"),
        EnvVar("MLFLOW_DEPLOYMENTS_TARGET", "url"),
    ),
    **_vars(
        "boto3/botocore",
        EnvVar("AWS_ACCESS_KEY_ID", secret=True),
        EnvVar("AWS_SECRET_ACCESS_KEY", secret=True),
        EnvVar("AWS_SESSION_TOKEN", secret=True),
        EnvVar("AWS_SECURITY_TOKEN", secret=True),
        EnvVar("AWS_DEFAULT_REGION"),
        EnvVar("AWS_REGION"),
        EnvVar("AWS_CA_BUNDLE", "path"),
        EnvVar("AWS_ENDPOINT_URL", "url"),
        EnvVar("AWS_ENDPOINT_URL_S3", "url"),
        EnvVar("AWS_PROFILE"),
        EnvVar("AWS_CONFIG_FILE", "path"),
        EnvVar("AWS_SHARED_CREDENTIALS_FILE", "path"),
        EnvVar("AWS_ROLE_ARN"),
        EnvVar("AWS_ROLE_SESSION_NAME"),
        EnvVar("AWS_WEB_IDENTITY_TOKEN_FILE", "path"),
        EnvVar("AWS_STS_REGIONAL_ENDPOINTS", "enum", choices=("legacy", "regional")),
        EnvVar("AWS_RETRY_MODE", "enum", choices=("legacy", "standard", "adaptive")),
        EnvVar("AWS_MAX_ATTEMPTS", "int", minimum=1),
        EnvVar("AWS_EC2_METADATA_DISABLED"),
        EnvVar("AWS_METADATA_SERVICE_TIMEOUT", "int"),
        EnvVar("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "int"),
        EnvVar("AWS_CONTAINER_CREDENTIALS_FULL_URI", "url"),
        EnvVar("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"),
        EnvVar("AWS_CONTAINER_AUTHORIZATION_TOKEN", secret=True),
        EnvVar("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "path"),
        EnvVar("AWS_USE_FIPS_ENDPOINT"),
        EnvVar("AWS_USE_DUALSTACK_ENDPOINT"),
        EnvVar("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"),
        EnvVar(
            "AWS_REQUEST_CHECKSUM_CALCULATION", "enum", choices=("when_supported", "when_required"), ignore_case=True
        ),
        EnvVar(
            "AWS_RESPONSE_CHECKSUM_VALIDATION", "enum", choices=("when_supported", "when_required"), ignore_case=True
        ),
        EnvVar("AWS_SDK_UA_APP_ID"),
    ),
    **_vars(
        "google-auth/google-cloud-storage",
        EnvVar("GOOGLE_APPLICATION_CREDENTIALS", "path"),
        EnvVar("GOOGLE_CLOUD_PROJECT"),
        EnvVar("STORAGE_EMULATOR_HOST", "url"),
        EnvVar("GCE_METADATA_HOST"),
    ),
    **_vars(
        "the Azure SDK",
        EnvVar("AZURE_STORAGE_CONNECTION_STRING", secret=True),
        EnvVar("AZURE_STORAGE_ACCESS_KEY", secret=True),
        EnvVar("AZURE_STORAGE_SAS_TOKEN", secret=True),
        EnvVar("AZURE_CLIENT_ID"),
        EnvVar("AZURE_TENANT_ID"),
        EnvVar("AZURE_CLIENT_SECRET", secret=True),
        EnvVar("AZURE_CLIENT_CERTIFICATE_PATH", "path"),
        EnvVar("AZURE_CLIENT_CERTIFICATE_PASSWORD", secret=True),
        EnvVar("AZURE_FEDERATED_TOKEN_FILE", "path"),
        EnvVar("AZURE_AUTHORITY_HOST", "url"),
        EnvVar("AZURE_USERNAME"),
        EnvVar("AZURE_PASSWORD", secret=True),
    ),
    **_vars(
        "the OSS plugin (aliyunstoreplugin)",
        EnvVar("MLFLOW_OSS_ENDPOINT_URL", "host-or-url"),
        EnvVar("MLFLOW_OSS_KEY_ID", secret=True),
        EnvVar("MLFLOW_OSS_KEY_SECRET", secret=True),
    ),
}

# Names people write for a real variable (README drift, v1 chart keys, other SDKs' spellings).
ALIASES: dict[str, str] = {
    "MLFLOW_S3_ENDPOINT": "MLFLOW_S3_ENDPOINT_URL",
    "S3_ENDPOINT_URL": "MLFLOW_S3_ENDPOINT_URL",
    "AWS_S3_ENDPOINT_URL": "MLFLOW_S3_ENDPOINT_URL",
    "MLFLOW_OSS_ENDPOINT": "MLFLOW_OSS_ENDPOINT_URL",
    "BACKEND_STORE_URI": "MLFLOW_BACKEND_STORE_URI",
    "BACKEND_STORE_URL": "MLFLOW_BACKEND_STORE_URI",
    "MLFLOW_BACKEND_STORE_URL": "MLFLOW_BACKEND_STORE_URI",
    "MLFLOW_BACKEND_URI": "MLFLOW_BACKEND_STORE_URI",
    "AWS_REGION_NAME": "AWS_DEFAULT_REGION",
    "AWS_ACCESS_KEY": "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_KEY": "AWS_SECRET_ACCESS_KEY",
    "AWS_SECRET_ACCESS_KEY_ID": "AWS_SECRET_ACCESS_KEY",
    "AWS_CA_BUNDLE_PATH": "AWS_CA_BUNDLE",
    "GOOGLE_CREDENTIALS": "GOOGLE_APPLICATION_CREDENTIALS",
    "GCP_CREDENTIALS": "GOOGLE_APPLICATION_CREDENTIALS",
    "AZURE_STORAGE_KEY": "AZURE_STORAGE_ACCESS_KEY",
    "AZURE_STORAGE_ACCOUNT_KEY": "AZURE_STORAGE_ACCESS_KEY",
    "MLFLOW_OSS_ACCESS_KEY_ID": "MLFLOW_OSS_KEY_ID",
    "MLFLOW_OSS_ACCESS_KEY_SECRET": "MLFLOW_OSS_KEY_SECRET",
    "MLFLOW_AUTH_CONFIG": "MLFLOW_AUTH_CONFIG_PATH",
    "MLFLOW_FLASK_SECRET_KEY": "MLFLOW_FLASK_SERVER_SECRET_KEY",
    # names found in published charts' values files (other-charts.md): MLflow reads none of them
    "MLFLOW_ARTIFACT_ROOT": "MLFLOW_DEFAULT_ARTIFACT_ROOT",
    "MLFLOW_ALLOW_HOSTS": "MLFLOW_SERVER_ALLOWED_HOSTS",
    "MLFLOW_ALLOWED_HOSTS": "MLFLOW_SERVER_ALLOWED_HOSTS",
    "AWS_S3_IGNORE_TLS": "MLFLOW_S3_IGNORE_TLS",
}

SETTING_PREFIXES = (
    "MLFLOW_",
    "AWS_",
    "AZURE_",
    "GOOGLE_",
    "GCS_",
    "GCP_",
    "OSS_",
    "S3_",
    "BACKEND_",
    "DEFAULT_ARTIFACT",
    "ARTIFACTS_",
)
# Pattern texts, compiled by `re` the first time a name outside the catalogue is judged.
SECRET_WORDS = (
    r"(?i)PASSWORD|PASSWD|SECRET|TOKEN|ACCESS_KEY|ACCOUNT_KEY|PRIVATE_KEY|CONNECTION_STRING|CREDENTIAL"
    r"|API_?KEY|KEY_ID|SAS_|SIGNATURE|AUTH_KEY|SESSION_KEY"
)
_NOT_SECRET_SUFFIX = r"(?i)_(FILE|PATH|DIR|URL|URI|ENDPOINT|HOST|REGION|ARN|NAME)$"


def lookup(name: str) -> EnvVar | None:
    """The catalogue entry for `name` (exact, case-sensitive as the kernel is), or None."""
    return CATALOG.get(name)


def is_secret(name: str) -> bool:
    """True if the variable holds a credential: catalogue flag, else a name-pattern fallback."""
    known = CATALOG.get(name)
    if known is not None:
        return known.secret
    if name.upper() in CATALOG:
        return CATALOG[name.upper()].secret
    return bool(re.search(SECRET_WORDS, name)) and not re.search(_NOT_SECRET_SUFFIX, name)


def is_internal(name: str) -> bool:
    """Variables `mlflow server` sets for its workers; setting them by hand breaks it."""
    return name in INTERNAL_SERVER_VARS or name.startswith("_MLFLOW_SERVER_")


def looks_like_setting(name: str) -> bool:
    """Does the name look like an MLflow, AWS, Azure, GCS or OSS setting?"""
    upper = name.upper()
    return upper.startswith(SETTING_PREFIXES) or f"MLFLOW_{upper}" in CATALOG


def suggest(name: str) -> str | None:
    """The variable `name` was probably meant to be, or None (also None for known names)."""
    if name in CATALOG or is_internal(name) or not looks_like_setting(name):
        return None
    upper = name.upper()
    if upper in CATALOG:
        return upper  # wrong case: Linux env names are case-sensitive
    if upper in ALIASES:
        return ALIASES[upper]
    if f"MLFLOW_{upper}" in CATALOG:
        return f"MLFLOW_{upper}"
    longer = [known for known in CATALOG if known.startswith(upper + "_")]
    if len(longer) == 1:
        return longer[0]
    import difflib  # only for a name that looks like a setting and is not one

    close = difflib.get_close_matches(upper, CATALOG, n=1, cutoff=0.88)
    return close[0] if close else None


def version_gap(var: EnvVar, version: Version) -> str:
    """Why `version` certainly does not read `var` ("" if it does, or if unknown)."""
    if var.added and version <= var.added[0]:
        return f"added after MLflow {show(var.added[0])} (present in {show(var.added[1])})"
    if var.removed and version >= var.removed[1]:
        return f"removed after MLflow {show(var.removed[0])} (absent in {show(var.removed[1])})"
    return ""
