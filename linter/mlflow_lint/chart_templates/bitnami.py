"""bitnami/mlflow 5.3.0 (appVersion 3.3.2): values -> the tracking server's pod.

Described from the chart's templates (tracking deployment, helpers, auth overrides ConfigMap,
Secrets) and bitnami/common's name and image helpers; facts in other-charts.md section 3.
Modelled: the command line (backend URI from the postgresql subchart or externalDatabase, else
the file store on the volume; artifacts S3/MinIO > GCS > Azure > volume; serve mode; host,
port, metrics, basic auth, extraArgs; `tracking.command`/`tracking.args` replacing it), env and
envFrom, the auth overrides ini (with `tracking.auth.extraOverrides`), the generated Secrets'
keys, the values validations and image check that fail the install, image, service account,
Service, Ingress host, mounts, init containers. Not modelled: TLS files, the `run`
Deployment, `tpl` evaluation inside extraArgs/extraEnvVars strings, HTTPRoute.
"""

from __future__ import annotations

import re

from mlflow_lint.chart_templates._values import get, items, mapping, text
from mlflow_lint.chart_templates.gotmpl import go_int, go_value, truthy
from mlflow_lint.chart_templates.rendered import EnvItem, FromItem, GeneratedData, Mount, RenderedPod

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.paths import Path

CHART = "bitnami"
CHART_VERSION = "5.3.0"
APP_VERSION = "3.3.2"
RELEASE = "mlflow"
# The images the chart's annotations list: substituting one fails the install (bitnami/common).
ORIGINAL_IMAGES = (
    "docker.io/bitnami/git:2.51.0-debian-12-r0",
    "docker.io/bitnami/mlflow:3.3.2-debian-12-r0",
    "docker.io/bitnami/os-shell:12-debian-12-r51",
)
T = ("tracking",)
DB = ("externalDatabase",)
S3 = ("externalS3",)
GCS = ("externalGCS",)
AZ = ("externalAzureBlob",)


def on(values: dict[str, Any], *path: str | int) -> bool:
    return truthy(get(values, path))


def fullname(values: dict[str, Any], release: str = RELEASE) -> str:
    override = text(values, ("fullnameOverride",))
    if override:
        return override[:63].rstrip("-")
    name = text(values, ("nameOverride",)) or "mlflow"
    release = re.sub(r"(-?[^a-z\d\-])+-?", "-", release.lower())
    return (release if name in release else f"{release}-{name}")[:63].rstrip("-")


def dependency_fullname(values: dict[str, Any], chart: str, release: str = RELEASE) -> str:
    override = text(values, (chart, "fullnameOverride"))
    if override:
        return override[:63].rstrip("-")
    name = text(values, (chart, "nameOverride")) or chart
    return (release if name in release else f"{release}-{name}")[:63].rstrip("-")


def tracking_fullname(values: dict[str, Any]) -> str:
    return f"{fullname(values)}-tracking"[:63].rstrip("-")


# --- where things are ------------------------------------------------------------------------


def database_enabled(values: dict[str, Any]) -> bool:
    return on(values, "postgresql", "enabled") or bool(get(values, (*DB, "host")))


def database_parts(values: dict[str, Any]) -> dict[str, tuple[str, Path]]:
    if on(values, "postgresql", "enabled"):
        pg = ("postgresql",)
        host = dependency_fullname(values, "postgresql")
        if text(values, (*pg, "architecture")) == "replication":
            host = f"{host}-primary"[:63].rstrip("-")
        return {
            "dialect": ("postgresql", (*pg, "enabled")),
            "user": (text(values, (*pg, "auth", "username")), (*pg, "auth", "username")),
            "host": (host, (*pg, "enabled")),
            "port": (
                str(go_int(get(values, (*pg, "primary", "service", "ports", "postgresql")))),
                (*pg, "primary", "service", "ports", "postgresql"),
            ),
            "name": (text(values, (*pg, "auth", "database")), (*pg, "auth", "database")),
            "auth_name": (text(values, (*pg, "auth", "database")) + "_auth", (*pg, "auth", "database")),
        }
    return {
        "dialect": (text(values, (*DB, "dialectDriver")), (*DB, "dialectDriver")),
        "user": (text(values, (*DB, "user")), (*DB, "user")),
        "host": (text(values, (*DB, "host")), (*DB, "host")),
        "port": (str(go_int(get(values, (*DB, "port")))), (*DB, "port")),
        "name": (text(values, (*DB, "database")), (*DB, "database")),
        "auth_name": (text(values, (*DB, "authDatabase")), (*DB, "authDatabase")),
    }


def database_uri(values: dict[str, Any], auth: bool = False) -> tuple[str, Path]:
    p = database_parts(values)
    name = p["auth_name" if auth else "name"]
    uri = f"{p['dialect'][0]}://{p['user'][0]}:$(MLFLOW_DATABASE_PASSWORD)@{p['host'][0]}:{p['port'][0]}/{name[0]}"
    return uri, ("postgresql",) if on(values, "postgresql", "enabled") else DB


def database_secret(values: dict[str, Any]) -> tuple[str, str, Path]:
    """(Secret name, key) of the database password, and the key naming it."""
    if on(values, "postgresql", "enabled"):
        existing = text(values, ("postgresql", "auth", "existingSecret"))
        return existing or dependency_fullname(values, "postgresql"), "password", ("postgresql", "auth")
    existing = text(values, (*DB, "existingSecret"))
    if existing:
        return existing, text(values, (*DB, "existingSecretPasswordKey")), (*DB, "existingSecret")
    return f"{fullname(values)}-externaldb", text(values, (*DB, "existingSecretPasswordKey")), (*DB, "password")


def s3_enabled(values: dict[str, Any]) -> bool:
    return on(values, "minio", "enabled") or bool(get(values, (*S3, "host")))


def gcs_enabled(values: dict[str, Any]) -> bool:
    return (
        not on(values, "minio", "enabled")
        and not get(values, (*S3, "host"))
        and not get(values, (*AZ, "storageAccount"))
        and bool(get(values, (*GCS, "bucket")))
    )


def azure_enabled(values: dict[str, Any]) -> bool:
    return (
        not on(values, "minio", "enabled")
        and not get(values, (*S3, "host"))
        and not get(values, (*GCS, "bucket"))
        and bool(get(values, (*AZ, "storageAccount")))
    )


def s3_bucket(values: dict[str, Any]) -> tuple[str, Path]:
    if on(values, "minio", "enabled"):
        return text(values, ("minio", "defaultBuckets")), ("minio", "defaultBuckets")
    return text(values, (*S3, "bucket")), (*S3, "bucket")


def artifact_location(values: dict[str, Any]) -> tuple[str, str, Path, bool]:
    """(kind, URI, path, serve) of the artifact store the chart wires."""
    if s3_enabled(values):
        bucket, path = s3_bucket(values)
        return "s3", f"s3://{bucket}", path, on(values, *S3, "serveArtifacts")
    if gcs_enabled(values):
        return "gcs", f"gs://{text(values, (*GCS, 'bucket'))}", (*GCS, "bucket"), on(values, *GCS, "serveArtifacts")
    if azure_enabled(values):
        uri = (
            f"wasbs://{text(values, (*AZ, 'containerName'))}@{text(values, (*AZ, 'storageAccount'))}"
            ".blob.core.windows.net"
        )
        return "azure", uri, (*AZ, "storageAccount"), on(values, *AZ, "serveArtifacts")
    mount = text(values, (*T, "persistence", "mountPath"))
    return "volume", f"{mount}/mlartifacts", (*T, "persistence", "mountPath"), True


# --- the pod ---------------------------------------------------------------------------------


def validate(values: dict[str, Any], pod: RenderedPod) -> bool:
    """The values validations NOTES.txt runs (they fail the install)."""
    if (
        on(values, "run", "useJob")
        and not get(values, ("run", "source", "launchCommand"))
        and not get(values, ("run", "args"))
    ):
        pod.fail("mlflow: no-job-command", ("run", "useJob"))
    elif on(values, *T, "auth", "enabled") and not database_enabled(values):
        pod.fail(
            "mlflow: auth-requires-db (basic auth needs postgresql.enabled or externalDatabase.host)",
            (*T, "auth", "enabled"),
        )
    elif not on(values, *T, "enabled") and not on(values, "run", "enabled"):
        pod.fail("mlflow: no-deploy", (*T, "enabled"))
    elif substituted_images(values) and not on(values, "global", "security", "allowInsecureImages"):
        pod.fail(
            "Original containers have been substituted for unrecognized ones (set "
            "global.security.allowInsecureImages to proceed)",
            ("image", "repository"),
        )
    return pod.error is None


def substituted_images(values: dict[str, Any]) -> list[str]:
    originals = "\n".join(ORIGINAL_IMAGES)
    out = []
    for root in (("image",), ("gitImage",), ("volumePermissions", "image"), ("waitContainer", "image")):
        registry = text(values, ("global", "imageRegistry")) or text(values, (*root, "registry"))
        repository = text(values, (*root, "repository"))
        if f"{registry}/{repository}" not in originals and (registry not in originals or repository not in originals):
            out.append(f"{registry}/{repository}")
    return out


def image(values: dict[str, Any]) -> str:
    registry = text(values, ("global", "imageRegistry")) or text(values, ("image", "registry"))
    repository = text(values, ("image", "repository"))
    tag = text(values, ("image", "tag")) or APP_VERSION
    digest = text(values, ("image", "digest"))
    name = f"{registry}/{repository}" if registry else repository
    return f"{name}@{digest}" if digest else f"{name}:{tag}"


def args(values: dict[str, Any], pod: RenderedPod) -> None:
    command = items(values, (*T, "command"))
    pod.argv.extend([]) if command else pod.arg("mlflow")
    for index, item in enumerate(command or []):
        pod.arg(go_value(item), (*T, "command", index), user=True)
    own = items(values, (*T, "args"))
    if own:
        for index, item in enumerate(own):
            pod.arg(go_value(item), (*T, "args", index), user=True)
        return
    pod.arg("server")
    if on(values, *T, "tls", "enabled"):
        pod.arg("--uvicorn-opts=<tls files>", (*T, "tls", "enabled"))  # files not modelled
    if database_enabled(values):
        uri, path = database_uri(values)
        pod.arg(f"--backend-store-uri={uri}", path)
    else:
        pod.arg(
            f"--backend-store-uri={text(values, (*T, 'persistence', 'mountPath'))}/mlruns",
            (*T, "persistence", "mountPath"),
        )
    kind, uri, path, serve = artifact_location(values)
    pod.arg(f"--artifacts-destination={uri}", path)
    if kind != "volume" and not serve:
        pod.arg(f"--default-artifact-root={uri}", path)
        pod.arg(
            "--no-serve-artifacts",
            {"s3": (*S3, "serveArtifacts"), "gcs": (*GCS, "serveArtifacts"), "azure": (*AZ, "serveArtifacts")}[kind],
        )
    else:
        pod.arg(
            "--serve-artifacts",
            {
                "s3": (*S3, "serveArtifacts"),
                "gcs": (*GCS, "serveArtifacts"),
                "azure": (*AZ, "serveArtifacts"),
                "volume": path,
            }[kind],
        )
    pod.arg(f"--host={text(values, (*T, 'host'))}", (*T, "host"))
    pod.arg(f"--port={text(values, (*T, 'containerPorts', 'http'))}", (*T, "containerPorts", "http"))
    if on(values, *T, "metrics", "enabled"):
        pod.arg(f"--expose-prometheus={text(values, (*T, 'persistence', 'mountPath'))}/metrics", (*T, "metrics"))
    if on(values, *T, "auth", "enabled"):
        pod.arg("--app-name=basic-auth", (*T, "auth", "enabled"))
    for index, item in enumerate(items(values, (*T, "extraArgs"))):
        pod.arg(go_value(item), (*T, "extraArgs", index), user=True)


def env(values: dict[str, Any], pod: RenderedPod) -> None:
    debug = on(values, "image", "debug") or on(values, "diagnosticMode", "enabled")
    pod.set_env("BITNAMI_DEBUG", "true" if debug else "false", ("image", "debug"))
    auth = (*T, "auth")
    if on(values, *auth, "enabled"):
        pod.env_ref(
            "MLFLOW_FLASK_SERVER_SECRET_KEY",
            "secretKeyRef",
            auth_secret_name(values),
            text(values, (*auth, "existingSecretFlaskServerSecretKey")) or "flask-server-secret-key",
            (*auth, "flaskServerSecretKey"),
        )
    if database_enabled(values):
        name, key, path = database_secret(values)
        pod.env_ref("MLFLOW_DATABASE_PASSWORD", "secretKeyRef", name, key, path)
    if s3_enabled(values):
        _s3_env(values, pod)
    if gcs_enabled(values) and on(values, *GCS, "useCredentialsInSecret"):
        pod.set_env("GOOGLE_APPLICATION_CREDENTIALS", "/bitnami/gcs/key.json", (*GCS, "existingSecret"))
    if azure_enabled(values):
        _azure_env(values, pod)
    if get(values, (*GCS, "googleCloudProject")):
        pod.env.append(
            EnvItem("GOOGLE_CLOUD_PROJECT", get(values, (*GCS, "googleCloudProject")), (*GCS, "googleCloudProject"))
        )
    _user_env(values, pod)


def _user_env(values: dict[str, Any], pod: RenderedPod) -> None:
    """tracking.extraEnvVars (EnvVar objects, YAML types kept) and the envFrom ConfigMap/Secret."""
    for index, item in enumerate(items(values, (*T, "extraEnvVars"))):
        if isinstance(item, dict):
            path = (*T, "extraEnvVars", index)
            pod.env.append(EnvItem(str(item.get("name")), item.get("value"), path, item.get("valueFrom"), True))
    for key, kind in (("extraEnvVarsCM", "configMapRef"), ("extraEnvVarsSecret", "secretRef")):
        if get(values, (*T, key)):
            pod.env_from.append(FromItem(kind, text(values, (*T, key)), (*T, key), True))


def _s3_env(values: dict[str, Any], pod: RenderedPod) -> None:
    """Credentials (MinIO's Secret, an existing one or `<fullname>-externals3`) and the endpoint."""
    minio = on(values, "minio", "enabled")
    if on(values, *S3, "useCredentialsInSecret"):
        if minio:
            secret = text(values, ("minio", "auth", "existingSecret")) or dependency_fullname(values, "minio")
            keys, path = ("root-user", "root-password"), ("minio", "auth")
        else:
            secret = text(values, (*S3, "existingSecret")) or f"{fullname(values)}-externals3"
            keys = (
                text(values, (*S3, "existingSecretAccessKeyIDKey")),
                text(values, (*S3, "existingSecretKeySecretKey")),
            )
            path = (*S3, "existingSecret") if get(values, (*S3, "existingSecret")) else (*S3, "accessKeyID")
        pod.env_ref("AWS_ACCESS_KEY_ID", "secretKeyRef", secret, keys[0], path)
        pod.env_ref("AWS_SECRET_ACCESS_KEY", "secretKeyRef", secret, keys[1], path)
    if minio:
        protocol = "https" if on(values, "minio", "tls", "enabled") else "http"
        port = text(values, ("minio", "service", "ports", "api"))
        pod.set_env(
            "MLFLOW_S3_ENDPOINT_URL",
            f"{protocol}://{dependency_fullname(values, 'minio')}:{port}",
            ("minio", "enabled"),
        )
    else:
        endpoint = f"{text(values, (*S3, 'protocol'))}://{text(values, (*S3, 'host'))}:{text(values, (*S3, 'port'))}"
        pod.set_env("MLFLOW_S3_ENDPOINT_URL", endpoint, (*S3, "host"))


def _azure_env(values: dict[str, Any], pod: RenderedPod) -> None:
    if on(values, *AZ, "useCredentialsInSecret"):
        secret = text(values, (*AZ, "existingSecret"))
        for var, key in (
            ("AZURE_STORAGE_CONNECTION_STRING", "existingConnectionStringKey"),
            ("AZURE_STORAGE_ACCESS_KEY", "existingAccessKeyKey"),
            ("AZURE_CLIENT_SECRET", "clientSecretKey"),
        ):
            if get(values, (*AZ, key)):
                pod.env_ref(var, "secretKeyRef", secret, text(values, (*AZ, key)), (*AZ, key))
        return
    # Inserted unquoted: the YAML type of the text decides (a value is what YAML reads back).
    for var, key in (
        ("AZURE_STORAGE_CONNECTION_STRING", "connectionString"),
        ("AZURE_STORAGE_ACCESS_KEY", "accessKey"),
        ("AZURE_CLIENT_ID", "clientId"),
        ("AZURE_TENANT_ID", "tenantId"),
        ("AZURE_CLIENT_SECRET", "clientSecret"),
    ):
        if get(values, (*AZ, key)):
            pod.env.append(EnvItem(var, get(values, (*AZ, key)), (*AZ, key)))


def auth_secret_name(values: dict[str, Any]) -> str:
    return text(values, (*T, "auth", "existingSecret")) or tracking_fullname(values)


def auth_overrides(values: dict[str, Any]) -> tuple[str, dict[str, GeneratedData]]:
    """The overrides ini (render-template fills the `{{ VAR }}`s, ini-file sets each in [mlflow])."""
    auth = (*T, "auth")
    options = {
        "database_uri": GeneratedData("{{ MLFLOW_DATABASE_AUTH_URI }}", DB),
        "admin_username": GeneratedData("{{ MLFLOW_TRACKING_USERNAME }}", (*auth, "username")),
        "admin_password": GeneratedData("{{ MLFLOW_TRACKING_PASSWORD }}", (*auth, "password")),
    }
    extra = mapping(values, (*auth, "extraOverrides"))
    for key in sorted(extra):
        options[key] = GeneratedData(go_value(extra[key]), (*auth, "extraOverrides", key))
    return "".join(f"{key} = {item.value}\n" for key, item in options.items()), options


def render(values: dict[str, Any], release: str = RELEASE) -> RenderedPod:
    pod = RenderedPod()
    validate(values, pod)  # a refusal is recorded; the rest is rendered for the other rules
    name = tracking_fullname(values)
    pod.workload = ("Deployment", name)
    pod.replicas = None if on(values, *T, "autoscaling", "hpa", "enabled") else get(values, (*T, "replicaCount"))
    args(values, pod)
    env(values, pod)
    auth = (*T, "auth")
    if on(values, *auth, "enabled") and not get(values, (*auth, "overridesConfigMap")):
        body, _ = auth_overrides(values)
        pod.configmaps[f"{name}-auth-overrides"[:63].rstrip("-")] = {
            "basic_auth_overrides.ini": GeneratedData(body, (*auth, "extraOverrides"))
        }
    if on(values, *auth, "enabled") and not get(values, (*auth, "existingSecret")):
        pod.secrets[name] = {
            "admin-user": GeneratedData(get(values, (*auth, "username")), (*auth, "username")),
            "admin-password": GeneratedData(get(values, (*auth, "password")) or None, (*auth, "password")),
            "flask-server-secret-key": GeneratedData(
                get(values, (*auth, "flaskServerSecretKey")) or None, (*auth, "flaskServerSecretKey")
            ),
        }
    if not on(values, "postgresql", "enabled") and not get(values, (*DB, "existingSecret")):
        pod.secrets[f"{fullname(values)}-externaldb"] = {
            "db-password": GeneratedData(get(values, (*DB, "password")), (*DB, "password"))
        }
    if (
        on(values, *S3, "useCredentialsInSecret")
        and not on(values, "minio", "enabled")
        and not get(values, (*S3, "existingSecret"))
    ):
        pod.secrets[f"{fullname(values)}-externals3"] = {
            text(values, (*S3, "existingSecretAccessKeyIDKey")): GeneratedData(
                get(values, (*S3, "accessKeyID")), (*S3, "accessKeyID")
            ),
            text(values, (*S3, "existingSecretKeySecretKey")): GeneratedData(
                get(values, (*S3, "accessKeySecret")), (*S3, "accessKeySecret")
            ),
        }
    pod.image = image(values)
    pod.image_path = ("image",)
    sa = (*T, "serviceAccount")
    pod.service_account = text(values, (*sa, "name")) or (name if on(values, *sa, "create") else "default")
    pod.service_account_path = sa
    tls = on(values, *T, "tls", "enabled")
    port = get(values, (*T, "service", "ports", "https" if tls else "http"))
    pod.services[name] = {"type": text(values, (*T, "service", "type")), "ports": [port]}
    if on(values, *T, "ingress", "enabled"):
        ingress = (*T, "ingress")
        pod.ingress_hosts = [(text(values, (*ingress, "hostname")), (*ingress, "hostname"))] + [
            (go_value(get(h, ("name",))), (*ingress, "extraHosts", i, "name"))
            for i, h in enumerate(items(values, (*ingress, "extraHosts")))
        ]
    pod.mounts = mounts(values)
    pod.init_containers = init_containers(values)
    if on(values, *T, "persistence", "enabled") and not get(values, (*T, "persistence", "existingClaim")):
        pod.pvcs.append(name)
    return pod


def mounts(values: dict[str, Any]) -> list[Mount]:
    out = [Mount("tmp", "/tmp", ()), Mount("mlruns", "/app/mlruns", ()), Mount("mlartifacts", "/app/mlartifacts", ())]
    if on(values, *T, "tls", "enabled"):
        out.append(Mount("mlflow-certificates", "/bitnami/mlflow/certs", (*T, "tls")))
    if on(values, *T, "auth", "enabled"):
        out.append(
            Mount(
                "rendered-basic-auth",
                "/bitnami/mlflow-basic-auth/basic_auth.ini",
                (*T, "auth", "enabled"),
                "basic_auth.ini",
            )
        )
    out.append(
        Mount(
            "data",
            text(values, (*T, "persistence", "mountPath")),
            (*T, "persistence"),
            text(values, (*T, "persistence", "subPath")),
        )
    )
    if gcs_enabled(values) and on(values, *GCS, "useCredentialsInSecret"):
        out.append(Mount("gcs-key", "/bitnami/gcs/key.json", (*GCS, "existingSecret"), "key.json"))
    extra = RenderedPod()
    extra.user_mounts(get(values, (*T, "extraVolumeMounts")), (*T, "extraVolumeMounts"))
    return out + extra.mounts


def init_containers(values: dict[str, Any]) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    if on(values, *T, "enableDefaultInitContainers"):
        if on(values, *T, "tls", "enabled"):
            out.append(("copy-certs", []))
        if database_enabled(values):
            out.append(("wait-for-database", []))
            if on(values, *T, "runUpgradeDB"):
                out.append(("upgrade-db", ["mlflow", "db", "upgrade", database_uri(values)[0]]))
            if on(values, *T, "auth", "enabled"):
                out.append(("get-default-auth-conf", []))
                out.append(("render-auth-conf", []))
                out.append(
                    (
                        "upgrade-db-auth",
                        [
                            "python",
                            "-m",
                            "mlflow.server.auth",
                            "db",
                            "upgrade",
                            "--url",
                            database_uri(values, auth=True)[0],
                        ],
                    )
                )
        if s3_enabled(values):
            out.append(("wait-for-s3", []))
    if on(values, "volumePermissions", "enabled") and on(values, *T, "persistence", "enabled"):
        out.append(("volume-permissions", []))
    return out
