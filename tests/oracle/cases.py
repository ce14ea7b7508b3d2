"""The configurations the oracle tier puts to real MLflow and to the linter.

Values are seed-chart (v2) values files; `{name}` placeholders are filled at run time with loopback
services (PostgreSQL, MariaDB) the session starts. Expected outcomes are NOT written here: MLflow
decides them, per version. `strict` lists the errors the linter raises on purpose although MLflow
works, each with the reason its rule's documentation gives.
"""

from __future__ import annotations

from typing import Any

from tests.oracle.harness import Case

STRONG = "Oracle-admin-pass-2718"  # long enough for every version's policy
SECRET_KEY = "oracle-flask-secret-key-not-a-real-one"
WEAK_PASSWORD_STRICT = (
    "the weak-password rule refuses a short, well-known admin password on every version: "
    "MLflow < 2.22 accepts it, but it is the chart's published default (MLF309 docstring)"
)

S3_WITHOUT_BOTO3 = (
    "MLF413 is an error for s3:// on the default image although MLflow's registry builds the "
    "repository (boto3 is imported at the first upload): every artifact operation then fails "
    "(MLF413 docstring)"
)


def serving(**tracking: Any) -> dict[str, Any]:
    """A server that proxies artifacts to a local destination (no default-root rule fires)."""
    return {"trackingServer": {"mode": "serve-artifacts", "artifactsDestination": "./mlartifacts", **tracking}}


def with_env(values: dict[str, Any], **env: str) -> dict[str, Any]:
    values.setdefault("extraEnv", []).extend({"name": k, "value": v} for k, v in env.items())
    return values


def with_backend(values: dict[str, Any], uri: str) -> dict[str, Any]:
    values["backendStore"] = {"createSecret": {"backendStoreUri": uri}}
    return values


def basic_auth(password: str = STRONG, secret_key: bool = True, **create: str) -> dict[str, Any]:
    """The chart's basic auth made to work: the real app name and the mounted ini's path."""
    values = serving(
        extraArgs=["--app-name=basic-auth"],
        basicAuth={"enabled": True, "createSecret": {"adminPassword": password, **create}},
    )
    env = {"MLFLOW_AUTH_CONFIG_PATH": "/etc/mlflow/basic_auth.ini"}
    if secret_key:
        env["MLFLOW_FLASK_SERVER_SECRET_KEY"] = SECRET_KEY
    return with_env(values, **env)


def artifact_root(uri: str, **extra: Any) -> dict[str, Any]:
    return {"trackingServer": {"mode": "no-serve-artifacts", "defaultArtifactRoot": uri}, **extra}


INI_COMPLETE = (
    "[mlflow]\ndefault_permission = READ\ndatabase_uri = sqlite:///basic_auth.db\n"
    f"admin_username = admin\nadmin_password = {STRONG}\n"
)
INI_ENV_STRICT = (
    "a standalone basic_auth.ini cannot show the server's environment: on 3.17.2 MLF506 names "
    "MLFLOW_AUTH_ADMIN_USERNAME/PASSWORD as the alternative but judges the file alone (MLF506 docstring)"
)
COMMITTED_PASSWORD_STRICT = (
    "a real password in a committed basic_auth.ini is an error (MLF313 docstring): MLflow starts with it on "
    "every version, but everyone who can read the repository can log in as the admin"
)
INI_ENV = {"MLFLOW_FLASK_SERVER_SECRET_KEY": SECRET_KEY}  # the server's own environment, not in the ini
INI_NO_ADMIN = "[mlflow]\ndefault_permission = READ\ndatabase_uri = sqlite:///basic_auth.db\n"

CASES: list[Case] = [
    # --- artifact repositories (MLflow's registry on the URI) ------------------------------------
    Case("abfss-public-cloud", artifact_root("abfss://fs@acct.dfs.core.windows.net/mlflow"), ("cli", "artifact")),
    Case("abfss-china-cloud", artifact_root("abfss://fs@acct.dfs.core.chinacloudapi.cn/mlflow"), ("cli", "artifact")),
    Case("abfss-usgov-cloud", artifact_root("abfss://fs@acct.dfs.core.usgovcloudapi.net/mlflow"), ("cli", "artifact")),
    Case("abfss-not-dfs-host", artifact_root("abfss://fs@acct.blob.core.windows.net/mlflow"), ("cli", "artifact")),
    Case("wasbs-public-cloud", artifact_root("wasbs://c@acct.blob.core.windows.net/mlflow"), ("cli", "artifact")),
    Case("wasbs-china-cloud", artifact_root("wasbs://c@acct.blob.core.chinacloudapi.cn/mlflow"), ("cli", "artifact")),
    Case("wasbs-usgov-cloud", artifact_root("wasbs://c@acct.blob.core.usgovcloudapi.net/mlflow"), ("cli", "artifact")),
    Case("wasbs-other-host", artifact_root("wasbs://c@acct.example.com/mlflow"), ("cli", "artifact")),
    Case("b2-scheme", artifact_root("b2://bucket@s3.us-west-004.backblazeb2.com/mlflow"), ("cli", "artifact")),
    Case("unknown-scheme", artifact_root("minio://bucket/mlflow"), ("cli", "artifact")),
    Case(
        "oss-plugin-not-in-default-image",
        artifact_root(
            "oss://bucket/mlflow",
            artifactStore={
                "oss": {"enabled": True, "endpoint": "oss-cn-beijing.aliyuncs.com", "existingSecret": "oss-keys"}
            },
        ),
        ("cli", "artifact"),
        default_image=True,
    ),
    Case(
        "s3-default-image",
        artifact_root("s3://bucket/mlflow"),
        ("cli", "artifact"),
        default_image=True,
        strict={"MLF413": S3_WITHOUT_BOTO3},
    ),
    Case("gs-default-image", artifact_root("gs://bucket/mlflow"), ("cli", "artifact"), default_image=True),
    Case(
        "wasbs-default-image",
        artifact_root("wasbs://c@acct.blob.core.windows.net/mlflow"),
        ("cli", "artifact"),
        default_image=True,
    ),
    # --- backend stores (MLflow's store creation on SQLite, PostgreSQL, MariaDB) ----------------
    Case("sqlite-backend", with_backend(serving(), "sqlite:///mlflow.db"), ("cli", "store")),
    Case("postgresql-tcp-backend", with_backend(serving(), "{pg_tcp}"), ("cli", "store")),
    Case("postgresql-unix-socket-backend", with_backend(serving(), "{pg_socket}"), ("cli", "store")),
    Case("mariadb-backend", with_backend(serving(), "{maria}"), ("cli", "store")),
    Case("postgresql-default-image", with_backend(serving(), "{pg_tcp}"), ("cli", "store"), default_image=True),
    Case("sqlite-default-image", with_backend(serving(), "sqlite:///mlflow.db"), ("cli", "store"), default_image=True),
    Case("client-only-backend", with_backend(serving(), "http://tracking.example:5000"), ("cli", "store")),
    Case("postgres-dialect-name", with_backend(serving(), "postgres://mlflow@127.0.0.1:5432/mlflow"), ("cli", "store")),
    Case(
        "two-drivers-in-scheme",
        with_backend(serving(), "mysql+pymysql+ssl://mlflow@127.0.0.1:3306/mlflow"),
        ("cli", "store"),
    ),
    Case("file-store-path", with_backend(serving(), "/tmp/oracle-mlruns"), ("cli", "store")),
    Case(
        "file-store-allowed",
        with_env(with_backend(serving(), "/tmp/oracle-mlruns"), MLFLOW_ALLOW_FILE_STORE="true"),
        ("cli", "store"),
    ),
    Case(
        "misspelt-backend-variable",
        with_env(serving(), MLFLOW_BACKEND_STORE_URL="sqlite:///intended.db"),
        ("cli",),
        server=True,
        intended_db="intended.db",
    ),
    Case(
        "backend-variable-spelt-right",
        with_env(serving(), MLFLOW_BACKEND_STORE_URI="sqlite:///intended.db"),
        ("cli",),
        server=True,
        intended_db="intended.db",
    ),
    # --- server options (click's parsing of the rendered command line, then the server) ---------
    Case("workers-env-overridden-by-flag", with_env(serving(), MLFLOW_WORKERS="abc"), ("cli",)),
    Case("port-not-a-number", serving(extraArgs=["--port=abc"]), ("cli",)),
    Case("port-env-not-a-number", with_env(serving(), MLFLOW_PORT="abc"), ("cli",)),
    Case("static-prefix-without-slash", serving(extraArgs=["--static-prefix=mlflow"]), ("cli",)),
    Case("static-prefix-ok", serving(extraArgs=["--static-prefix=/mlflow"]), ("cli",)),
    Case("app-name-chart-default", {"trackingServer": {"basicAuth": {"enabled": True}}}, ("cli",)),
    Case("allowed-hosts-option", serving(extraArgs=["--allowed-hosts=mlflow.example.com"]), ("cli",)),
    Case(
        "uvicorn-opts-option",
        serving(extraArgs=["--uvicorn-opts=--timeout-keep-alive=30"]),
        ("cli",),
        versions=("2.10.0", "2.14.1", "2.22.5"),
    ),
    Case("misspelt-option", serving(extraArgs=["--static-prefx=/mlflow"]), ("cli",)),
    Case("option-and-value-in-one-item", serving(extraArgs=["--static-prefix /mlflow"]), ("cli",)),
    Case(
        "secrets-cache-ttl-out-of-range", serving(extraArgs=["--secrets-cache-ttl=5"]), ("cli",), versions=("3.17.2",)
    ),
    Case("secrets-cache-ttl-in-range", serving(extraArgs=["--secrets-cache-ttl=60"]), ("cli",), versions=("3.17.2",)),
    Case("workers-not-a-number", serving(workers="abc"), ("cli",), server=True),
    Case(
        "gunicorn-opts-unknown-option",
        serving(extraArgs=["--gunicorn-opts=--no-such-option"]),
        ("cli",),
        server=True,
        versions=("2.10.0", "2.14.1", "2.22.5"),
    ),
    Case(
        "gunicorn-opts-bad-value",
        serving(extraArgs=["--gunicorn-opts=--timeout=abc"]),
        ("cli",),
        server=True,
        versions=("2.10.0", "2.14.1", "2.22.5"),
    ),
    Case(
        "gunicorn-opts-ok",
        serving(extraArgs=["--gunicorn-opts=--timeout=120"]),
        ("cli",),
        server=True,
        versions=("2.10.0", "2.14.1", "2.22.5"),
    ),
    Case(
        "uvicorn-opts-unknown-option",
        serving(extraArgs=["--uvicorn-opts=--no-such-option"]),
        ("cli",),
        server=True,
        versions=("3.17.2",),
    ),
    Case(
        "uvicorn-opts-ok",
        serving(extraArgs=["--uvicorn-opts=--timeout-keep-alive=30"]),
        ("cli",),
        server=True,
        versions=("3.17.2",),
    ),
    Case("plain-server", serving(), ("cli",), server=True),
    Case("waitress-opts-on-linux", serving(extraArgs=["--waitress-opts=--threads=8"]), ("cli",), server=True),
    Case(
        "no-serve-database-without-root",
        with_backend({"trackingServer": {"mode": "no-serve-artifacts"}}, "sqlite:///mlflow.db"),
        ("cli", "store"),
        server=True,
    ),
    Case(
        "artifacts-only",
        {"trackingServer": {"mode": "artifacts-only", "artifactsDestination": "./mlartifacts"}},
        ("cli",),
        server=True,
    ),
    Case(
        "artifacts-only-with-backend-store",
        with_env(
            {"trackingServer": {"mode": "artifacts-only", "artifactsDestination": "./mlartifacts"}},
            MLFLOW_BACKEND_STORE_URI="sqlite:///tracking.db",
        ),
        ("cli",),
        server=True,
    ),
    # --- basic auth (the auth config reader, the auth store, and a running server) --------------
    Case("auth-working", basic_auth(), ("cli", "auth"), server=True),
    Case("auth-without-secret-key", basic_auth(secret_key=False), ("cli", "auth"), server=True),
    Case(
        "auth-chart-default-password",
        basic_auth(password="password"),
        ("cli", "auth"),
        server=True,
        strict={"MLF309": WEAK_PASSWORD_STRICT, "MLF512": WEAK_PASSWORD_STRICT},
    ),
    Case(
        "auth-published-3x-default-password",
        basic_auth(password="password1234"),
        ("cli", "auth"),
        server=True,
        strict={"MLF309": WEAK_PASSWORD_STRICT},
    ),
    Case("auth-default-image", basic_auth(), ("cli", "auth"), default_image=True),
    Case(
        "auth-db-is-tracking-db",
        with_backend(basic_auth(databaseUri="sqlite:///shared.db"), "sqlite:///shared.db"),
        ("cli", "auth"),
        server=True,
    ),
    Case(
        "auth-missing-function",
        basic_auth(authorizationFunction="mlflow.server.auth:authenticate_nobody"),
        ("cli", "auth"),
    ),
    Case(
        "auth-missing-module", basic_auth(authorizationFunction="mlflow.no_such_module:authenticate"), ("cli", "auth")
    ),
    Case("auth-db-in-memory", basic_auth(databaseUri="sqlite://"), ("cli", "auth")),
    Case("auth-db-postgresql-unix-socket", basic_auth(databaseUri="{pg_socket}"), ("cli", "auth")),
    Case("auth-db-mariadb", basic_auth(databaseUri="{maria}"), ("cli", "auth")),
    Case(
        "app-name-in-extra-args-no-secret-key",
        with_env(serving(extraArgs=["--app-name=basic-auth"])),
        ("cli",),
        server=True,
    ),
    Case(
        "app-name-in-extra-args-with-secret-key",
        with_env(serving(extraArgs=["--app-name=basic-auth"]), MLFLOW_FLASK_SERVER_SECRET_KEY=SECRET_KEY),
        ("cli",),
        server=True,
    ),
    # --- standalone basic_auth.ini (the auth config reader and a server started with it) --------
    Case(
        "ini-complete",
        ini=INI_COMPLETE,
        checks=("auth_config",),
        server=True,
        env=INI_ENV,
        strict={"MLF313": COMMITTED_PASSWORD_STRICT},
    ),
    Case("ini-without-admin", ini=INI_NO_ADMIN, checks=("auth_config",), server=True, env=INI_ENV),
    Case(
        "ini-admin-from-env",
        ini=INI_NO_ADMIN,
        checks=("auth_config",),
        server=True,
        env={**INI_ENV, "MLFLOW_AUTH_ADMIN_USERNAME": "admin", "MLFLOW_AUTH_ADMIN_PASSWORD": STRONG},
        versions=("3.17.2",),
        strict={"MLF506": INI_ENV_STRICT},
    ),
    Case(
        "ini-auth-db-in-memory",
        ini=INI_COMPLETE.replace("sqlite:///basic_auth.db", "sqlite://"),
        checks=("auth_config",),
        server=True,
        env=INI_ENV,
    ),
]
