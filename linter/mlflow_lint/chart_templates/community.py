"""community-charts/mlflow 1.11.5 (appVersion 3.15.1): values -> the tracking server's pod.

Described from the chart's templates (deployment, configmap, secret, auth ini, helpers); facts
in other-charts.md section 2. Modelled: every flag the chart passes, the backend URI for
postgres/mysql/mssql/subcharts/SQLite, artifacts (azureBlob > s3 (+minio) > gcs), serve mode,
basic auth and LDAP switches, env and envFrom, the env ConfigMap (database parts, logging,
telemetry, allowed hosts/CORS) and env Secret keys, the generated auth ini, image, service
account, Service, Ingress hosts, init containers. Not modelled: OIDC and oauth2-proxy
environment (the --app-name they set is), the HPA conditions, NOTES.
"""

from __future__ import annotations

from mlflow_lint.chart_templates._values import get, items, mapping, text
from mlflow_lint.chart_templates.gotmpl import go_s, go_value, kebabcase, quote, truthy
from mlflow_lint.chart_templates.rendered import GeneratedData, Mount, RenderedPod

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.paths import Path

CHART = "community"
CHART_VERSION = "1.11.5"
APP_VERSION = "3.15.1"
RELEASE = "mlflow"

BS = ("backendStore",)
AR = ("artifactRoot",)


def fullname(values: dict[str, Any], release: str = RELEASE) -> str:
    override = text(values, ("fullnameOverride",))
    if override:
        return override[:63].rstrip("-")
    name = text(values, ("nameOverride",)) or "mlflow"
    return (release if name in release else f"{release}-{name}")[:63].rstrip("-")


def on(values: dict[str, Any], *path: str | int) -> bool:
    return truthy(get(values, path))


def _exclusive_auth(values: dict[str, Any], pod: RenderedPod) -> bool:
    pairs = [("oidcAuth", "oauth2Proxy"), ("oidcAuth", "auth"), ("oidcAuth", "ldapAuth"), ("auth", "ldapAuth")]
    for first, second in pairs:
        if on(values, first, "enabled") and on(values, second, "enabled"):
            pod.fail(f"{first} and {second} are mutually exclusive", (second, "enabled"))
            return False
    return True


def database(values: dict[str, Any]) -> tuple[str, Path]:
    """Which database the chart wires: postgres, mysql, mssql or sqlite, and the switch's path."""
    for kind, path in (
        ("postgres", (*BS, "postgres", "enabled")),
        ("postgres", ("postgresql", "enabled")),
        ("mysql", (*BS, "mysql", "enabled")),
        ("mysql", ("mysql", "enabled")),
        ("mssql", (*BS, "mssql", "enabled")),
    ):
        if on(values, *path):
            return kind, path
    return "sqlite", (*BS, "defaultSqlitePath")


def driver(values: dict[str, Any]) -> str:
    if (on(values, *BS, "postgres", "enabled") or on(values, "postgresql", "enabled")) and get(
        values, (*BS, "postgres", "driver")
    ):
        return "+" + text(values, (*BS, "postgres", "driver"))
    if (on(values, *BS, "mysql", "enabled") or on(values, "mysql", "enabled")) and get(
        values, (*BS, "mysql", "driver")
    ):
        return "+" + text(values, (*BS, "mysql", "driver"))
    if on(values, *BS, "mssql", "enabled") and get(values, (*BS, "mssql", "driver")):
        return "+" + text(values, (*BS, "mssql", "driver"))
    return ""


def backend_arg(values: dict[str, Any]) -> tuple[str, Path]:
    kind, path = database(values)
    plus = driver(values)
    if kind == "postgres":
        return f"--backend-store-uri=postgresql{plus}://", path
    if kind == "mysql":
        return (
            f"--backend-store-uri=mysql{plus}://$(MYSQL_USERNAME):$(MYSQL_PWD)@$(MYSQL_HOST):$(MYSQL_TCP_PORT)"
            "/$(MYSQL_DATABASE)"
        ), path
    if kind == "mssql":
        if get(values, (*BS, "mssql", "existingConnectionUrlSecret", "name")):
            return "--backend-store-uri=$(MSSQL_CONNECTION_URL)", (*BS, "mssql", "existingConnectionUrlSecret")
        if get(values, (*BS, "mssql", "connectionUrl")):
            return f"--backend-store-uri={text(values, (*BS, 'mssql', 'connectionUrl'))}", (
                *BS,
                "mssql",
                "connectionUrl",
            )
        return (
            f"--backend-store-uri=mssql{plus}://$(MSSQL_USERNAME):$(MSSQL_PWD)@$(MSSQL_HOST):$(MSSQL_TCP_PORT)"
            "/$(MSSQL_DATABASE)"
        ), path
    return f"--backend-store-uri=sqlite:///{text(values, (*BS, 'defaultSqlitePath'))}", path


def artifact_arg(values: dict[str, Any]) -> tuple[str, Path]:
    proxied = on(values, *AR, "proxiedArtifactStorage")
    prefix = "artifacts-destination" if proxied else "default-artifact-root"
    if proxied:
        arg, path = (
            f"--{prefix}={text(values, (*AR, 'defaultArtifactsDestination'))}",
            (*AR, "defaultArtifactsDestination"),
        )
    else:
        arg, path = f"--{prefix}={text(values, (*AR, 'defaultArtifactRoot'))}", (*AR, "defaultArtifactRoot")
    if on(values, *AR, "azureBlob", "enabled"):
        blob = (*AR, "azureBlob")
        arg = (
            f"--{prefix}=wasbs://{text(values, (*blob, 'container'))}@{text(values, (*blob, 'storageAccount'))}"
            f".blob.core.windows.net/{text(values, (*blob, 'path'))}"
        )
        path = blob
    elif on(values, *AR, "s3", "enabled"):
        s3 = (*AR, "s3")
        if on(values, "minio", "enabled"):
            bucket = text(values, (*s3, "bucket")) or text(values, ("minio", "buckets", 0, "name"))
            arg = f"--{prefix}=s3://{bucket}/"
        else:
            arg = f"--{prefix}=s3://{text(values, (*s3, 'bucket'))}/{text(values, (*s3, 'path'))}"
        path = s3
    elif on(values, *AR, "gcs", "enabled"):
        gcs = (*AR, "gcs")
        arg, path = f"--{prefix}=gs://{text(values, (*gcs, 'bucket'))}/{text(values, (*gcs, 'path'))}", gcs
    return arg, path


def _log_opts(value: Any, level: str, flag: str) -> str:
    import re

    raw = go_s(value)
    if "--log-level" in raw:
        replaced = re.sub(r"--log-level=[^\s]*", f"--log-level={level}", raw)
        return f"--{flag}='{replaced}'"
    return f"--{flag}='--log-level={level} {raw}'"


def args(values: dict[str, Any], pod: RenderedPod) -> None:
    pod.arg("mlflow")
    pod.arg("server")
    pod.arg(f"--host={text(values, ('serverHost',))}", ("serverHost",))
    pod.arg(f"--port={text(values, ('service', 'containerPort'))}", ("service", "containerPort"))
    pod.arg(*backend_arg(values))
    pod.arg(*artifact_arg(values))
    if on(values, *AR, "proxiedArtifactStorage"):
        pod.arg("--serve-artifacts", (*AR, "proxiedArtifactStorage"))
    if on(values, "serviceMonitor", "enabled"):
        pod.arg("--expose-prometheus=/mlflow/metrics", ("serviceMonitor", "enabled"))
    if on(values, "oidcAuth", "enabled"):
        pod.arg("--app-name=oidc-auth", ("oidcAuth", "enabled"))
    elif on(values, "auth", "enabled"):
        pod.arg(f"--app-name={text(values, ('auth', 'appName'))}", ("auth", "appName"))
    elif on(values, "ldapAuth", "enabled"):
        pod.arg("--app-name=basic-auth", ("ldapAuth", "enabled"))
    _extra_args(values, pod)
    for index, flag in enumerate(items(values, ("extraFlags",))):
        pod.arg(f"--{kebabcase(go_value(flag))}", ("extraFlags", index), user=True)


def _extra_args(values: dict[str, Any], pod: RenderedPod) -> None:
    """The log-level uvicorn options and the extraArgs map (camelCase keys -> --kebab-case)."""
    extra = mapping(values, ("extraArgs",))
    logging = on(values, "log", "enabled")
    level = text(values, ("log", "level"))
    if logging and "gunicornOpts" not in extra and "uvicornOpts" not in extra:
        pod.arg(f"--uvicorn-opts='--log-level={level}'", ("log", "level"))
    for key in sorted(extra):
        value, path = extra[key], ("extraArgs", key)
        if not (logging and key in ("uvicornOpts", "gunicornOpts")):
            pod.arg(f"--{kebabcase(key)}={go_s(value)}", path, user=True)
        elif isinstance(value, str):
            pod.arg(_log_opts(value, level, kebabcase(key)), path, user=True)
        else:  # `contains` on a non-string aborts the render
            pod.fail(f"extraArgs.{key} must be a string (the template's `contains` fails)", path)
            return


def env(values: dict[str, Any], pod: RenderedPod, name: str) -> None:
    tag = get(values, ("image", "tag")) or APP_VERSION
    pod.set_env("MLFLOW_VERSION", quote(tag), ("image", "tag"))
    if on(values, "auth", "enabled"):
        pod.set_env("MLFLOW_AUTH_CONFIG_PATH", auth_config_path(values), ("auth", "configPath"))
    elif on(values, "ldapAuth", "enabled"):
        pod.set_env("MLFLOW_AUTH_CONFIG_PATH", "/etc/mlflow/auth/ldap_basic_auth.ini", ("ldapAuth", "enabled"))
        ca_keys = ("encodedTrustedCACertificate", "externalSecretForTrustedCACertificate")
        if any(get(values, ("ldapAuth", key)) for key in ca_keys):
            pod.set_env("LDAP_CA", "/certs/ca.crt", ("ldapAuth",))
    _database_env(values, pod, name)
    _s3_env(values, pod, name)
    extra = mapping(values, ("extraEnvVars",))
    for key in sorted(extra):
        pod.set_env(key, quote(extra[key]), ("extraEnvVars", key), user=True)
    pod.env_from.extend(_env_from(values, name))


DB_VARS = (
    ("postgres", "PGUSER", "PGPASSWORD"),
    ("mysql", "MYSQL_USERNAME", "MYSQL_PWD"),
    ("mssql", "MSSQL_USERNAME", "MSSQL_PWD"),
)


def _database_env(values: dict[str, Any], pod: RenderedPod, name: str) -> None:
    for sub, var, named_key, root_key in (
        ("postgresql", "PGPASSWORD", "password", "postgres-password"),
        ("mysql", "MYSQL_PWD", "password", "mysql-root-password"),
    ):
        if on(values, sub, "enabled"):
            key = named_key if get(values, (sub, "auth", "username")) else root_key
            pod.env_ref(var, "secretKeyRef", f"{name}-{sub}", key, (sub, "auth"), optional=True)
    secret = get(values, (*BS, "existingDatabaseSecret", "name"))
    if secret:
        where = (*BS, "existingDatabaseSecret")
        for kind, user_var, password_var in DB_VARS:
            if on(values, *BS, kind, "enabled"):
                pod.env_ref(
                    password_var, "secretKeyRef", go_value(secret), text(values, (*where, "passwordKey")), where
                )
                pod.env_ref(user_var, "secretKeyRef", go_value(secret), text(values, (*where, "usernameKey")), where)
    url_secret = (*BS, "mssql", "existingConnectionUrlSecret")
    if on(values, *BS, "mssql", "enabled") and get(values, (*url_secret, "name")):
        ref, key = text(values, (*url_secret, "name")), text(values, (*url_secret, "key"))
        pod.env_ref("MSSQL_CONNECTION_URL", "secretKeyRef", ref, key, url_secret)


def _s3_env(values: dict[str, Any], pod: RenderedPod, name: str) -> None:
    s3 = (*AR, "s3")
    s3_secret = get(values, (*s3, "existingSecret", "name"))
    if on(values, *s3, "enabled") and s3_secret:
        for var, key in (("AWS_ACCESS_KEY_ID", "keyOfAccessKeyId"), ("AWS_SECRET_ACCESS_KEY", "keyOfSecretAccessKey")):
            if get(values, (*s3, "existingSecret", key)):
                ref_key = text(values, (*s3, "existingSecret", key))
                pod.env_ref(var, "secretKeyRef", go_value(s3_secret), ref_key, (*s3, "existingSecret"))
    elif on(values, *s3, "enabled") and on(values, "minio", "enabled"):
        pod.env_ref("AWS_ACCESS_KEY_ID", "secretKeyRef", f"{name}-minio", "rootUser", ("minio",))
        pod.env_ref("AWS_SECRET_ACCESS_KEY", "secretKeyRef", f"{name}-minio", "rootPassword", ("minio",))
    if on(values, "minio", "enabled"):
        pod.set_env("MLFLOW_S3_ENDPOINT_URL", f"http://{name}-minio:9000", ("minio", "enabled"))


def _env_from(values: dict[str, Any], name: str) -> list[Any]:
    from mlflow_lint.chart_templates.rendered import FromItem

    out = [
        FromItem("configMapRef", f"{name}-env-configmap", ()),
        FromItem("secretRef", f"{name}-env-secret", ()),
        FromItem("secretRef", f"{name}-flask-server-secret-key", ("flaskServerSecretKey",)),
    ]
    for index, secret in enumerate(items(values, ("extraSecretNamesForEnvFrom",))):
        out.append(FromItem("secretRef", go_value(secret), ("extraSecretNamesForEnvFrom", index), True))
    return out


def auth_config_path(values: dict[str, Any]) -> str:
    directory = text(values, ("auth", "configPath")).removesuffix("/")
    file = text(values, ("auth", "configFile")).removeprefix("/") or "basic_auth.ini"
    return f"{directory}/{file}"


def _normalize(items: list[str]) -> str:
    unique = list(dict.fromkeys(items))
    return "*" if "*" in unique else ",".join(unique)


def env_configmap(values: dict[str, Any], name: str) -> dict[str, GeneratedData]:
    data = _database_parts(values, name)
    data["MLFLOW_CONFIGURE_LOGGING"] = GeneratedData(
        go_value(get(values, ("log", "enabled"), False)), ("log", "enabled")
    )
    if on(values, "log", "enabled"):
        data["MLFLOW_LOGGING_LEVEL"] = GeneratedData(text(values, ("log", "level")).upper(), ("log", "level"))
    if not on(values, "telemetry", "enabled"):
        data["MLFLOW_DISABLE_TELEMETRY"] = GeneratedData("true", ("telemetry", "enabled"))
        data["DO_NOT_TRACK"] = GeneratedData("true", ("telemetry", "enabled"))
    data.update(_allowed_hosts(values))
    return dict(sorted(data.items()))


def _mssql_parts(values: dict[str, Any]) -> bool:
    """The MSSQL_* parts are rendered unless a connection URL (value or Secret) replaces them."""
    mssql = (*BS, "mssql")
    return (
        on(values, *mssql, "enabled")
        and not get(values, (*mssql, "connectionUrl"))
        and not get(values, (*mssql, "existingConnectionUrlSecret", "name"))
    )


def _database_parts(values: dict[str, Any], name: str) -> dict[str, GeneratedData]:
    data: dict[str, GeneratedData] = {}
    for kind, prefix, port_key in (("postgres", "PG", "PGPORT"), ("mysql", "MYSQL_", "MYSQL_TCP_PORT")):
        where = (*BS, kind)
        if on(values, *where, "enabled"):
            data[f"{prefix}HOST"] = GeneratedData(text(values, (*where, "host")), (*where, "host"))
            data[port_key] = GeneratedData(go_value(get(values, (*where, "port"))), (*where, "port"))
            data[f"{prefix}DATABASE"] = GeneratedData(text(values, (*where, "database")), (*where, "database"))
        sub, default_port = ("postgresql", "5432") if kind == "postgres" else ("mysql", "3306")
        if on(values, sub, "enabled"):
            port_path = (sub, "primary", "service", "ports", sub)
            data[f"{prefix}HOST"] = GeneratedData(f"{name}-{sub}", (sub, "enabled"))
            data[port_key] = GeneratedData(go_value(get(values, port_path) or default_port), port_path)
            data[f"{prefix}DATABASE"] = GeneratedData(
                text(values, (sub, "auth", "database")), (sub, "auth", "database")
            )
    if _mssql_parts(values):
        mssql = (*BS, "mssql")
        data["MSSQL_HOST"] = GeneratedData(text(values, (*mssql, "host")), (*mssql, "host"))
        data["MSSQL_TCP_PORT"] = GeneratedData(go_value(get(values, (*mssql, "port"))), (*mssql, "port"))
        data["MSSQL_DATABASE"] = GeneratedData(text(values, (*mssql, "database")), (*mssql, "database"))
    return data


def _allowed_hosts(values: dict[str, Any]) -> dict[str, GeneratedData]:
    """Ingress hosts (and their origins) plus serverAllowedHosts/corsAllowedOrigins, deduplicated."""
    hosts, origins = [], []
    if on(values, "ingress", "enabled") and get(values, ("ingress", "hosts")):
        scheme = "https" if get(values, ("ingress", "tls")) else "http"
        for entry in items(values, ("ingress", "hosts")):
            if get(entry, ("host",)):
                hosts.append(go_value(get(entry, ("host",))))
                origins.append(f"{scheme}://{hosts[-1]}")
    hosts += [go_value(h) for h in items(values, ("serverAllowedHosts",))]
    origins += [go_value(o) for o in items(values, ("corsAllowedOrigins",))]
    data = {}
    if hosts:
        data["MLFLOW_SERVER_ALLOWED_HOSTS"] = GeneratedData(_normalize(hosts), ("serverAllowedHosts",))
    if origins:
        data["MLFLOW_SERVER_CORS_ALLOWED_ORIGINS"] = GeneratedData(_normalize(origins), ("corsAllowedOrigins",))
    return data


LDAP_VARS = (
    ("LDAP_URI", "uri"),
    ("LDAP_TLS_VERIFY", "tlsVerification"),
    ("LDAP_LOOKUP_BIND", "lookupBind"),
    ("LDAP_GROUP_ATTRIBUTE", "groupAttribute"),
    ("LDAP_GROUP_ATTRIBUTE_KEY", "groupAttributeKey"),
    ("LDAP_GROUP_SEARCH_BASE_DN", "searchBaseDistinguishedName"),
    ("LDAP_GROUP_SEARCH_FILTER", "searchFilter"),
    ("LDAP_GROUP_ADMIN_DN", "adminGroupDistinguishedName"),
    ("LDAP_GROUP_USER_DN", "userGroupDistinguishedName"),
)


def env_secret(values: dict[str, Any]) -> dict[str, GeneratedData]:
    """The keys of `<fullname>-env-secret` and the values (paths) they are written from."""
    data = _database_credentials(values)
    blob = (*AR, "azureBlob")
    if on(values, *blob, "enabled"):
        for var, key in (
            ("AZURE_STORAGE_CONNECTION_STRING", "connectionString"),
            ("AZURE_STORAGE_ACCESS_KEY", "accessKey"),
        ):
            if get(values, (*blob, key)):
                data[var] = GeneratedData(get(values, (*blob, key)), (*blob, key))
    s3 = (*AR, "s3")
    if (
        on(values, *s3, "enabled")
        and not on(values, "minio", "enabled")
        and not get(values, (*s3, "existingSecret", "name"))
    ):
        for var, key in (("AWS_ACCESS_KEY_ID", "awsAccessKeyId"), ("AWS_SECRET_ACCESS_KEY", "awsSecretAccessKey")):
            if get(values, (*s3, key)):
                data[var] = GeneratedData(get(values, (*s3, key)), (*s3, key))
    if on(values, "ldapAuth", "enabled"):
        for var, key in LDAP_VARS:
            if key != "groupAttributeKey" or get(values, ("ldapAuth", key)):
                data[var] = GeneratedData(get(values, ("ldapAuth", key)), ("ldapAuth", key))
    return data


def _database_credentials(values: dict[str, Any]) -> dict[str, GeneratedData]:
    data: dict[str, GeneratedData] = {}
    existing = get(values, (*BS, "existingDatabaseSecret", "name"))
    for kind, user_var, password_var in DB_VARS[:2]:
        where = (*BS, kind)
        if on(values, *where, "enabled") and not existing:
            data[user_var] = GeneratedData(get(values, (*where, "user")), (*where, "user"))
            data[password_var] = GeneratedData(get(values, (*where, "password")), (*where, "password"))
    if on(values, "postgresql", "enabled"):
        user = get(values, ("postgresql", "auth", "username")) or "postgres"
        data["PGUSER"] = GeneratedData(user, ("postgresql", "auth", "username"))
    if _mssql_parts(values) and not existing:
        mssql = (*BS, "mssql")
        data["MSSQL_USERNAME"] = GeneratedData(get(values, (*mssql, "user")), (*mssql, "user"))
        data["MSSQL_PWD"] = GeneratedData(get(values, (*mssql, "password")), (*mssql, "password"))
    if on(values, "mysql", "enabled"):
        data["MYSQL_USERNAME"] = GeneratedData(
            get(values, ("mysql", "auth", "username")) or "root", ("mysql", "auth", "username")
        )
    return data


def auth_ini(values: dict[str, Any], name: str) -> tuple[str, dict[str, GeneratedData]] | None:
    """The ini template the init container fills in (credentials stay `$(..._PLACEHOLDER)`)."""
    if on(values, "auth", "enabled"):
        auth = ("auth",)
        if on(values, *auth, "postgres", "enabled"):
            pg = (*auth, "postgres")
            plus = "+" + text(values, (*pg, "driver")) if get(values, (*pg, "driver")) else ""
            uri = (
                f"postgresql{plus}://$(POSTGRES_USERNAME_PLACEHOLDER):$(POSTGRES_PASSWORD_PLACEHOLDER)@"
                f"{text(values, (*pg, 'host'))}:{text(values, (*pg, 'port'))}/{text(values, (*pg, 'database'))}"
            )
            uri_path: Path = pg
        elif on(values, "postgresql", "enabled"):
            port = get(values, ("postgresql", "primary", "service", "ports", "postgresql")) or "5432"
            uri = (
                f"postgresql://$(POSTGRES_USERNAME_PLACEHOLDER):$(POSTGRES_PASSWORD_PLACEHOLDER)@{name}-postgresql:"
                f"{go_value(port)}/{text(values, ('postgresql', 'auth', 'database'))}"
            )
            uri_path = ("postgresql", "enabled")
        else:
            full = text(values, (*auth, "sqliteFullPath"))
            prefix = f"{full}/".removesuffix("/") if full else ""
            uri, uri_path = f"sqlite:///{prefix}{text(values, (*auth, 'sqliteFile'))}", (*auth, "sqliteFile")
        options = {
            "default_permission": GeneratedData(
                text(values, (*auth, "defaultPermission")), (*auth, "defaultPermission")
            ),
            "database_uri": GeneratedData(uri, uri_path),
            "admin_username": GeneratedData("$(ADMIN_USERNAME_PLACEHOLDER)", (*auth, "adminUsername")),
            "admin_password": GeneratedData("$(ADMIN_PASSWORD_PLACEHOLDER)", (*auth, "adminPassword")),
            "authorization_function": GeneratedData(
                text(values, (*auth, "authorizationFunction")), (*auth, "authorizationFunction")
            ),
        }
    elif on(values, "ldapAuth", "enabled"):
        fixed = ("ldapAuth", "enabled")
        options = {
            "default_permission": GeneratedData("READ", fixed),
            "database_uri": GeneratedData("sqlite:///ldap_basic_auth.db", fixed),
            "admin_username": GeneratedData("fakeuser", fixed),
            "admin_password": GeneratedData("fakepassword", fixed),
            "authorization_function": GeneratedData("mlflowstack.auth.ldap:authenticate_request_basic_auth", fixed),
        }
    else:
        return None
    body = "[mlflow]\n" + "".join(f"{key} = {item.value}\n" for key, item in options.items())
    return body, options


def render(values: dict[str, Any], release: str = RELEASE) -> RenderedPod:
    pod = RenderedPod()
    _exclusive_auth(values, pod)  # a refusal is recorded; the rest is rendered for the other rules
    name = fullname(values, release)
    pod.workload = ("Deployment", name)
    pod.replicas = None if on(values, "autoscaling", "enabled") else get(values, ("replicaCount",))
    args(values, pod)
    env(values, pod, name)
    pod.configmaps[f"{name}-env-configmap"] = env_configmap(values, name)
    ini = auth_ini(values, name)
    if ini is not None:
        pod.configmaps[f"{name}-auth-ini-template"] = {"auth_template.ini": GeneratedData(ini[0], ("auth",))}
    pod.secrets[f"{name}-env-secret"] = env_secret(values)
    pod.secrets[f"{name}-flask-server-secret-key"] = {
        "MLFLOW_FLASK_SERVER_SECRET_KEY": GeneratedData(
            get(values, ("flaskServerSecretKey",)) or None,
            ("flaskServerSecretKey",),  # empty: random
        )
    }
    if on(values, "auth", "enabled") and not get(values, ("auth", "existingAdminSecret", "name")):
        pod.secrets[f"{name}-auth-admin-secret"] = {
            "username": GeneratedData(get(values, ("auth", "adminUsername")), ("auth", "adminUsername")),
            "password": GeneratedData(get(values, ("auth", "adminPassword")), ("auth", "adminPassword")),
        }
    tag = text(values, ("image", "tag")) or APP_VERSION
    digest = text(values, ("image", "digest"))
    pod.image = f"{text(values, ('image', 'repository'))}:{tag}" + (f"@{digest}" if digest else "")
    pod.image_path = ("image", "tag") if get(values, ("image", "tag")) else ("image", "repository")
    create = on(values, "serviceAccount", "create")
    pod.service_account = text(values, ("serviceAccount", "name")) or (name if create else "default")
    pod.service_account_path = ("serviceAccount",)
    pod.services[name] = {
        "type": text(values, ("service", "type")) or "ClusterIP",
        "ports": [get(values, ("service", "port"))],
    }
    if on(values, "ingress", "enabled"):
        pod.ingress_hosts = [
            (go_value(get(h, ("host",))), ("ingress", "hosts", i, "host"))
            for i, h in enumerate(items(values, ("ingress", "hosts")))
        ]
    pod.mounts.append(Mount("tmp", "/tmp", ()))
    if on(values, "auth", "enabled"):
        pod.mounts.append(Mount("ini-file", auth_config_path(values), ("auth", "configPath"), "auth_result.ini"))
    elif on(values, "ldapAuth", "enabled"):
        pod.mounts.append(Mount("ini-file", "/etc/mlflow/auth/ldap_basic_auth.ini", ("ldapAuth",), "auth_result.ini"))
    pod.user_mounts(get(values, ("extraVolumeMounts",)), ("extraVolumeMounts",))
    pod.init_containers = init_containers(values)
    return pod


def init_containers(values: dict[str, Any]) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    uses_db = database(values)[0] != "sqlite"
    if uses_db and on(values, *BS, "databaseConnectionCheck"):
        out.append(("dbchecker", []))
    if uses_db and on(values, *BS, "databaseMigration"):
        out.append(("mlflow-db-migration", ["python", "/opt/mlflow/migrations.py"]))
    if on(values, "auth", "enabled") or on(values, "ldapAuth", "enabled"):
        out.append(("ini-file-initializer", []))
    return out
