"""Write schemas/<chart>.schema.json for the three published charts from their sources.

A developer tool like `record_renders.py` (same SOURCES layout, needs `helm-python-sdk`). The
schema it writes is mlflow-lint's own description of a chart's values, pinned to the chart
version it was built from:
- every key the chart's values.yaml defines, with its type and the chart's default (defaults
  live in the leaves, as in the seed schemas, so `defaults_from_schema` rebuilds them);
- the constraints Helm itself enforces at install, when the chart ships a values.schema.json
  (types everywhere; for community also closed objects, enums, patterns, bounds and the
  mutually-exclusive databases, rewritten without if/then, which mlflow-lint's validator does
  not evaluate);
- objects that hold Kubernetes or subchart settings stay open; every other object is closed
  so that a misspelt key is reported (as an error where Helm refuses it, else as a warning:
  the adapter decides);
- descriptions written here (DESCRIPTIONS), never the chart's own text.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CHART_DIRS = {"community": "community/charts/mlflow", "bitnami": "bitnami/mlflow", "official": "official/mlflow"}
TITLES = {
    "community": "Values of community-charts/mlflow {version} (appVersion {app})",
    "bitnami": "Values of bitnami/mlflow {version} (appVersion {app})",
    "official": "Values of the official MLflow chart, mlflow/mlflow charts/ {version} (appVersion {app})",
}
# Keywords of the chart's own schema that Helm enforces and mlflow-lint's validator evaluates.
KEPT = ("enum", "pattern", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "const")
# Objects whose keys are Kubernetes fields, free maps or a subchart's values: never closed.
OPEN_NAMES = {
    "annotations",
    "labels",
    "podAnnotations",
    "podLabels",
    "extraPodLabels",
    "deploymentAnnotations",
    "commonLabels",
    "commonAnnotations",
    "nodeSelector",
    "affinity",
    "tolerations",
    "resources",
    "podSecurityContext",
    "securityContext",
    "containerSecurityContext",
    "extraEnvVars",
    "extraArgs",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "customLivenessProbe",
    "customReadinessProbe",
    "customStartupProbe",
    "strategy",
    "updateStrategy",
    "deploymentStrategy",
    "global",
    "minio",
    "postgresql",
    "mysql",
    "provider",
    "template",
    "backendStoreUriFrom",
    "registryStoreUriFrom",
    "value_options",
    "tlsConfig",
    "extraOverrides",
    "lifecycleHooks",
    "dataSource",
    "selector",
    "sessionAffinityConfig",
    "ingressNSMatchLabels",
    "ingressNSPodMatchLabels",
    "nodePorts",
    "rollingUpdate",
    "behavior",
    "seLinuxOptions",
    "seccompProfile",
    "capabilities",
    "hpa",
    "vpa",
    "httproute",
    "tmpVolume",
    "ephemeral",
    "persistentVolumeClaimRetentionPolicy",
    "diagnosticMode",
    "serviceMonitor",
    "metrics",
    "networkPolicy",
    "oauth2Proxy",
    "probes",
    "garbageCollection",
    "externalSecrets",
}
# Closed anyway (the chart's own keys under an otherwise open name).
CLOSED_PATHS = {("postgresql", "auth"), ("minio", "auth")}

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "community": {
        "backendStore": "Where runs and metadata live: one of postgres/mysql/mssql, the postgresql/mysql subchart, "
        "or SQLite at defaultSqlitePath (the chart's default: in memory).",
        "backendStore.defaultSqlitePath": "SQLite path used when no database is enabled; ':memory:' loses everything "
        "on restart and is private to each worker process.",
        "backendStore.postgres": "External PostgreSQL; host/port/database go to PGHOST/PGPORT/PGDATABASE, credentials "
        "to PGUSER/PGPASSWORD (libpq reads them), the URI is only `postgresql://`.",
        "backendStore.mysql": "External MySQL; the URI is built from $(MYSQL_*) variables the kubelet expands.",
        "backendStore.existingDatabaseSecret": "Secret holding the database user and password "
        "(usernameKey, passwordKey).",
        "artifactRoot": "Artifact storage: a blob store (azureBlob > s3 > gcs) or the local defaults; "
        "proxiedArtifactStorage switches between --default-artifact-root and "
        "--artifacts-destination with --serve-artifacts.",
        "auth": "MLflow basic auth: an ini generated from these keys, mounted at configPath/configFile.",
        "extraArgs": "Map of `mlflow server` options: each camelCase key becomes --kebab-case=<value> (printf %s: "
        "quote numbers).",
        "extraFlags": "List of `mlflow server` flags: each camelCase item becomes --kebab-case.",
        "extraEnvVars": "Map of environment variables: each value is quoted (an object becomes the text map[...]).",
        "extraSecretNamesForEnvFrom": "Names of Secrets added to envFrom.",
        "serverHost": "The --host the server binds to.",
        "service": "The Service in front of the server; containerPort is also --port.",
    },
    "bitnami": {
        "tracking": "The tracking server Deployment.",
        "tracking.auth": "MLflow basic auth, on by default: admin user, password (random if empty) and flask secret "
        "in a Secret; extraOverrides are [mlflow] keys of basic_auth.ini.",
        "tracking.extraArgs": "List of extra `mlflow server` arguments, one item each.",
        "tracking.extraEnvVars": "List of Kubernetes EnvVar objects (values keep their YAML type).",
        "tracking.service": "The Service in front of the server (LoadBalancer by default).",
        "postgresql": "The bundled PostgreSQL subchart (on by default); the auth users live in a second database, "
        "<auth.database>_auth.",
        "externalDatabase": "An external database, used when host is set (and the subchart is disabled).",
        "minio": "The bundled MinIO subchart (on by default): artifacts go to s3://<defaultBuckets>.",
        "externalS3": "An external S3 endpoint, used when host is set; serveArtifacts chooses proxied artifacts.",
        "externalGCS": "Google Cloud Storage, used when bucket is set (and no Azure account).",
        "externalAzureBlob": "Azure Blob storage, used when storageAccount is set (and no GCS bucket).",
        "image": "The server image: registry/repository:tag (or @digest).",
    },
    "official": {
        "mlflow": "Backend store, registry store and artifact locations, passed as MLFLOW_* environment variables.",
        "mlflow.backendStoreUri": "The backend store URI (required unless backendStoreUriFrom is set).",
        "mlflow.backendStoreUriFrom": "An EnvVarSource (secretKeyRef, configMapKeyRef) for the backend store URI.",
        "server.value_options": "Map of `mlflow server` options: each snake_case key becomes --kebab-case=<value>.",
        "server.flag_options": "List of `mlflow server` flags: each snake_case item becomes --kebab-case.",
        "env": "List of Kubernetes EnvVar objects (values keep their YAML type).",
        "envFrom": "List of Kubernetes EnvFromSource objects.",
        "storage": "A PersistentVolumeClaim mounted at mountPath (needed by SQLite and local artifacts).",
    },
}


# Leaves that hold a credential (the secret auditor reports them, messages never quote them) or
# name a Secret that holds one.
CREDENTIALS = {
    "community": {
        "backendStore.postgres.password",
        "backendStore.mysql.password",
        "backendStore.mssql.password",
        "backendStore.mssql.connectionUrl",
        "postgresql.auth.password",
        "mysql.auth.password",
        "mysql.auth.rootPassword",
        "postgresql.auth.postgresPassword",
        "artifactRoot.s3.awsSecretAccessKey",
        "artifactRoot.azureBlob.connectionString",
        "artifactRoot.azureBlob.accessKey",
        "flaskServerSecretKey",
        "auth.adminPassword",
        "auth.postgres.password",
        "oidcAuth.clientSecret",
        "oidcAuth.secretKey",
        "oidcAuth.database.postgres.password",
        "oauth2Proxy.clientSecret",
        "oauth2Proxy.cookieSecret",
        "minio.rootPassword",
    },
    "bitnami": {
        "tracking.auth.password",
        "tracking.auth.flaskServerSecretKey",
        "externalDatabase.password",
        "externalS3.accessKeySecret",
        "externalAzureBlob.accessKey",
        "externalAzureBlob.connectionString",
        "externalAzureBlob.clientSecret",
        "postgresql.auth.password",
        "postgresql.auth.postgresPassword",
        "minio.auth.rootPassword",
    },
    "official": set(),
}
REFERENCES = {
    "community": {
        "backendStore.existingDatabaseSecret.name",
        "artifactRoot.s3.existingSecret.name",
        "auth.existingAdminSecret.name",
        "auth.postgres.existingSecret.name",
        "backendStore.mssql.existingConnectionUrlSecret.name",
    },
    "bitnami": {
        "tracking.auth.existingSecret",
        "externalDatabase.existingSecret",
        "externalS3.existingSecret",
        "externalGCS.existingSecret",
        "externalAzureBlob.existingSecret",
        "postgresql.auth.existingSecret",
        "minio.auth.existingSecret",
    },
    "official": {"tls.secretName"},
}


def json_type(value: Any) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return None


def object_properties(value: dict[str, Any], theirs: dict[str, Any], path: tuple[str, ...], chart: str) -> dict:
    their_props = theirs.get("properties", {})
    return {
        key: node_for(value.get(key), their_props.get(key, {}), (*path, key), chart, True)
        for key in sorted(set(value) | set(their_props))
    }


def open_properties(theirs: dict[str, Any]) -> dict[str, Any]:
    """An open map whose listed keys Helm still type-checks (community extraEnvVars/extraArgs)."""
    return {
        key: {k: v for k, v in sub.items() if k in ("type", *KEPT)}
        for key, sub in sorted(theirs["properties"].items())
        if isinstance(sub, dict)
    }


def leaf_keywords(value: Any, theirs: dict[str, Any], path: tuple[str, ...], chart: str) -> dict[str, Any]:
    """Type (the chart schema's, else the default's), description, kept constraints, secret mark."""
    node: dict[str, Any] = {}
    kind = theirs.get("type") or json_type(value)
    if kind is not None:
        node["type"] = kind
    dotted = ".".join(path)
    if dotted in DESCRIPTIONS[chart]:
        node["description"] = DESCRIPTIONS[chart][dotted]
    node.update({keyword: theirs[keyword] for keyword in KEPT if keyword in theirs})
    if dotted in CREDENTIALS[chart]:
        node["x-secret"] = "credential"
    elif dotted in REFERENCES[chart]:
        node["x-secret"] = "reference"
    return node


def node_for(value: Any, theirs: dict[str, Any], path: tuple[str, ...], chart: str, closing: bool) -> dict[str, Any]:
    node = leaf_keywords(value, theirs, path, chart)
    if isinstance(value, dict):
        closed = (
            theirs.get("additionalProperties") is False
            if chart == "community"
            else (path in CLOSED_PATHS or ((path[-1] if path else "") not in OPEN_NAMES and bool(value)))
        )
        if closed and closing:
            node["additionalProperties"] = False
            node["properties"] = object_properties(value, theirs, path, chart)
            return node
        if theirs.get("properties"):
            node["properties"] = open_properties(theirs)
    if isinstance(value, list) and isinstance(theirs.get("items"), dict) and theirs["items"].get("type"):
        node["items"] = {"type": theirs["items"]["type"]}
    if value is not None or path[-1:] in (("revisionHistoryLimit",),):
        node["default"] = value
    return node


# Kubernetes EnvVar lists the chart inserts with toYaml (YAML types kept): the API server
# refuses a value that is not a string, so the schema says so.
ENV_LISTS = {
    "bitnami": (("tracking", "extraEnvVars"), ("run", "extraEnvVars")),
    "official": (("env",),),
    "community": (),
}
ENV_ITEM = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "value": {"type": "string"}, "valueFrom": {"type": "object"}},
}


def type_env_lists(schema: dict[str, Any], chart: str) -> None:
    for path in ENV_LISTS[chart]:
        node = schema
        for part in path:
            node = node.get("properties", {}).get(part, {})
        if node:
            node["items"] = ENV_ITEM


def mark(schema: dict[str, Any], parts: list[str], kind: str) -> None:
    """Mark a secret leaf, also inside an open object (a subchart's values), where it gets a node."""
    node = schema
    for part in parts[:-1]:
        node = node.setdefault("properties", {}).setdefault(part, {"type": "object"})
    leaf = node.setdefault("properties", {}).setdefault(parts[-1], {"type": "string"})
    leaf["x-secret"] = kind


def exclusive(paths: list[tuple[str, ...]]) -> list[dict[str, Any]]:
    """`not (a and b)` for each pair: the mutually exclusive switches Helm enforces."""

    def on(path: tuple[str, ...]) -> dict[str, Any]:
        inner: dict[str, Any] = {"const": True}
        for part in reversed(path):
            inner = {"properties": {part: inner}, "required": [part]}
        return inner

    out = []
    for i, first in enumerate(paths):
        for second in paths[i + 1 :]:
            out.append({"not": {"allOf": [on(first), on(second)]}})
    return out


def build(chart_name: str, sources: Path) -> dict[str, Any]:
    import helm_python as helm

    chart = helm.Chart.load(str(sources / CHART_DIRS[chart_name]))
    theirs = chart.schema or {}
    values = chart.values
    schema: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"https://mlflow-lint.invalid/schemas/{chart_name}.schema.json",
        "title": TITLES[chart_name].format(version=chart.version, app=chart.metadata.get("appVersion")),
        "description": f"mlflow-lint's description of the chart's values, pinned to chart version {chart.version}.",
        "type": "object",
        "additionalProperties": False,
    }
    body = node_for(values, theirs, (), chart_name, True)
    schema["properties"] = body["properties"]
    for dotted in sorted(CREDENTIALS[chart_name] | REFERENCES[chart_name]):
        mark(schema, dotted.split("."), "credential" if dotted in CREDENTIALS[chart_name] else "reference")
    type_env_lists(schema, chart_name)
    if chart_name == "community":
        schema["allOf"] = exclusive([("auth", "enabled"), ("ldapAuth", "enabled")]) + exclusive(
            [
                ("backendStore", "postgres", "enabled"),
                ("backendStore", "mysql", "enabled"),
                ("postgresql", "enabled"),
                ("mysql", "enabled"),
            ]
        )
    return schema


def main(argv: list[str]) -> int:
    sources = Path(argv[0])
    for name in argv[1:] or list(CHART_DIRS):
        out = ROOT / "schemas" / f"{name}.schema.json"
        out.write_text(json.dumps(build(name, sources), indent=2) + "\n", encoding="utf-8")
        print(out.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
