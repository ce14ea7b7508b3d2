"""Every rule's documented fix, applied to its failing case, makes it go away and adds no finding.

Issue 16 found that following one rule's hint (MLF401: add `--app-name=basic-auth`) made
another rule speak (MLF624). Here each rule's "Fix:" (the rule's docstring, also in
docs/rules.md) is applied as text edits to one of its failing case files under
tests/rules/cases/<CODE>/ (or to a small inline file for the engine's own rules); the file is
linted before and after with every rule on (`--fail-on info`). After the fix the rule must be
silent, and no finding may appear that was not there before (counted per code, since a fix may
move lines and paths). A rule whose fix cannot be written in the linted files is listed
in EXCEPTIONS with the reason.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from mlflow_lint.records import NamedTuple
from mlflow_lint.rules import ALL_RULES
from tests.rules.test_cases import CASES, extra_args


class Fix(NamedTuple):
    """A case file (under tests/rules/cases/) or inline text, and the edits that apply the fix."""

    source: str  # "<CODE>/<file>" or the text itself (inline: contains a newline)
    edits: tuple[tuple[str, str], ...]  # (old, new): each `old` must occur in the text
    name: str = "values.yaml"  # the file name of an inline text (basic_auth.ini for INI rules)
    args: tuple[str, ...] = ()  # flags for an inline text; "{secrets}" is the manifest file (after MANIFESTS)


def fix(source: str, *edits: tuple[str, str], name: str = "values.yaml", args: tuple[str, ...] = ()) -> Fix:
    return Fix(source, edits, name, args)


# Fix parts that several rules share.
# An image built FROM the default one with the drivers and SDKs the configuration needs (MLF413's fix).
DRIVER_IMAGE = ("^", "image:\n  registry: registry.acme.io\n  repository: platform/mlflow\n  tag: 2.14.1-drivers\n")
S3_ROOT = (
    "^",
    "trackingServer:\n  defaultArtifactRoot: s3://acme-mlflow/artifacts\nartifactStore:\n  s3:\n"
    "    enabled: true\n    existingSecret: mlflow-s3\n",
)
PVC = (
    "^",
    "extraVolumes:\n  - name: data\n    persistentVolumeClaim:\n      claimName: mlflow\n"
    "extraVolumeMounts:\n  - name: data\n    mountPath: /data\n",
)
CA_MOUNT = (
    "^",
    "extraVolumes:\n  - name: ca\n    secret:\n      secretName: my-ca\nextraVolumeMounts:\n"
    "  - name: ca\n    mountPath: /etc/ssl/mlflow\n    readOnly: true\nextraEnv:\n"
    "  - name: AWS_CA_BUNDLE\n    value: /etc/ssl/mlflow/ca-bundle.crt\n",
)

SLACK_TOKEN = "xoxb-4821937465-5937284619-Zq8Wm2Xn4Bv6Cr1Ty3Uo5Ip7"
AZURE_KEY = "DlLtIA2QLGfiFBK2LmAok1u7W8BHqMHKnjmOdZGjboBikwDRuNe8i0Ov5oQWyRPFgGaMj/+jmzcigb6QigV8dg=="
INI_TEMPLATE_PASSWORD = ("admin_password = correct-horse-battery-staple", "admin_password = ${MLFLOW_ADMIN_PASSWORD}")
MANIFESTS = "#--- secrets.yaml\n"  # in an inline text: what follows is a manifest file of its own, given to --secrets
SECRET_REF = "    valueFrom:\n      secretKeyRef:\n        name: mlflow-secrets\n        key: {key}\n"
AUTH_CONFIG_PATH = "extraEnv:\n  - name: MLFLOW_AUTH_CONFIG_PATH\n    value: /etc/mlflow/basic_auth.ini\n"
STRING_DATA = "stringData:\n  MLFLOW_BACKEND_STORE_URI: postgresql://mlflow@db/mlflow\n"
VALUES_AND_SECRET = (
    "image:\n  registry: registry.acme.io\n  repository: platform/mlflow\n  tag: 2.14.1-drivers\n"
    "trackingServer:\n  mode: serve-artifacts\n  artifactsDestination: /data/artifacts\n"
    "extraVolumes:\n  - name: data\n    persistentVolumeClaim:\n      claimName: mlflow\n"
    "extraVolumeMounts:\n  - name: data\n    mountPath: /data\n"
    "backendStore:\n  existingSecret: mlflow-db\n"
    f"{MANIFESTS}apiVersion: v1\nkind: Secret\nmetadata:\n  name: mlflow-db\n{{data}}"
)

FIXES: dict[str, Fix] = {
    # The file itself: "correct the YAML", "quote", "rename the key", "merge the entries"...
    "MLF001": fix("trackingServer: [port: 5000\n", ("[port: 5000", "{port: 5000}")),
    "MLF002": fix(
        "replicaCount: two\nextraEnv:\n  - name: MLFLOW_S3_IGNORE_TLS\n    value: false\n",
        ("two", "1"),
        ("value: false", 'value: "false"'),
    ),
    "MLF003": fix(
        "replicaCount: 1  # mlflow-lint: disable=MLF002 -- nothing here\n",
        ("  # mlflow-lint: disable=MLF002 -- nothing here", ""),
    ),
    "MLF004": fix(
        "trackingServer:\n  mode: serve-artifacts\n  artifactsDestination: s3://bucket/mlartifacts\n"
        "artifactStore:\n  enabled: true\n",
        ("artifactStore:\n  enabled: true\n", ""),
    ),
    "MLF005": fix("service:\n  tpye: ClusterIP\n", ("tpye", "type")),
    "MLF006": fix("service:\n  type: ClusterIP\n  port: 80\n  type: NodePort\n", ("  type: ClusterIP\n", "")),
    "MLF007": fix("nodeSelector:\n  on: spot\n", ("on:", '"on":')),
    "MLF009": fix("- name: MLFLOW_S3_ENDPOINT_URL\n  value: http://minio:9000\n", ("- name", "extraEnv:\n- name")),
    "MLF010": fix("replicaCount: 1\n---\nservice:\n  type: ClusterIP\n", ("---\n", "")),
    "MLF011": fix("nameOverride: caf\xe9\n", ("caf\xe9", "cafe")),  # written as latin-1 below
    # Backend store. Moving to a database server needs an image with its driver: the default
    # image has none (MLF413, whose fix is such an image), so those fixes name one.
    "MLF101": fix(
        "MLF101/v1-create-secret-fail.yaml",
        (
            "backendStore:\n  createSecret:\n    backendStoreUri: postgresql://mlflow@db.internal:5432/mlflow"
            "  # expect: MLF101\n",
            "extraEnv:\n  - name: MLFLOW_BACKEND_STORE_URI\n    valueFrom:\n      secretKeyRef:\n"
            "        name: mlflow-db\n        key: MLFLOW_BACKEND_STORE_URI\n",
        ),
    ),
    "MLF102": fix("MLF102/bad-dialect-fail.yaml", ("postgres://", "postgresql://"), DRIVER_IMAGE),
    "MLF103": fix(
        "MLF103/https-fail.yaml",
        ("https://my-server:5000", "postgresql://mlflow@db.internal:5432/mlflow"),
        S3_ROOT,
        DRIVER_IMAGE,
    ),  # a database backend needs an artifact root (MLF409)
    "MLF104": fix("MLF104/sqlite-replicas-fail.yaml", ("replicaCount: 3", "replicaCount: 1")),
    "MLF105": fix("MLF105/backend-relative-fail.yaml", ("sqlite:///mlflow.db", "sqlite:////data/mlflow.db"), PVC),
    "MLF106": fix("MLF106/memory-fail.yaml", ('"sqlite:///:memory:"', "sqlite:////data/mlflow.db"), PVC),
    "MLF107": fix("MLF107/artifacts-only-fail.yaml", ("databaseUpgrade: true", "databaseUpgrade: false")),
    "MLF108": fix("MLF108/replicas-fail.yaml", ("databaseUpgrade: true", "databaseUpgrade: false")),
    "MLF109": fix("MLF109/shared-fail.yaml", ("auth@db.internal:5432/mlflow", "auth@db.internal:5432/mlflow_auth")),
    "MLF110": fix("MLF110/sqlite-tmp-fail.yaml", ("sqlite:////tmp/mlflow.db", "sqlite:////data/mlflow.db"), PVC),
    # Artifact store.
    "MLF201": fix("MLF201/s3-no-bucket-fail.yaml", ("s3:///mlartifacts", "s3://bucket/mlartifacts")),
    "MLF202": fix("MLF202/abfss-old-fail.yaml", ("tag: v2.21.0", "tag: v2.22.0")),
    "MLF203": fix("MLF203/gcs-root-s3-creds-fail.yaml", ("gs://bucket/mlflow", "s3://bucket/mlflow")),
    "MLF204": fix("MLF204/two-fail.yaml", ("  gcp:\n    enabled: true  # expect: MLF204\n", "")),
    "MLF205": fix(
        "MLF205/s3-root-no-creds-fail.yaml",
        (
            "trackingServer:",
            "serviceAccount:\n  annotations:\n"
            "    eks.amazonaws.com/role-arn: arn:aws:iam::853462719034:role/mlflow\ntrackingServer:",
        ),
        DRIVER_IMAGE,
    ),
    "MLF206": fix(
        "MLF206/pem-fail.yaml",
        (
            "    createCaSecret:\n      caBundle: |  # expect: MLF206\n        -----BEGIN CERTIFICATE-----\n"
            "        MIIBszCCAVmgAwIBAgIUZ\n        -----END CERTIFICATE-----\n",
            "",
        ),
        CA_MOUNT,
    ),
    "MLF207": fix("MLF207/unused-fail.yaml", ("    existingCaSecret: my-ca  # expect: MLF207\n", ""), CA_MOUNT),
    "MLF208": fix(
        "MLF208/readme-v1-s3-existing-fail.yaml",
        (
            "artifactStore:",
            "extraEnv:\n  - name: AWS_CA_BUNDLE\n    value: /etc/ssl/certs/ca-certificates.crt\nartifactStore:",
        ),
    ),
    "MLF209": fix(
        "MLF209/readme-v1-gcp-fail.yaml",
        (
            "artifactStore:",
            "extraVolumes:\n  - name: gcp-key\n    secret:\n"
            "      secretName: mlflow-gcp-artifact-store-secret\nextraVolumeMounts:\n  - name: gcp-key\n"
            "    mountPath: /etc/gcp\n    readOnly: true\nextraEnv:\n  - name: GOOGLE_APPLICATION_CREDENTIALS\n"
            "    value: /etc/gcp/keyfile.json\nartifactStore:",
        ),
    ),
    "MLF210": fix(
        "MLF210/v1-endpoint-fail.yaml",
        (
            "artifactStore:",
            "extraEnv:\n  - name: MLFLOW_OSS_ENDPOINT_URL\n"
            "    value: https://oss-cn-beijing-internal.aliyuncs.com\nartifactStore:",
        ),
    ),
    "MLF211": fix(
        "MLF211/ram-role-only-fail.yaml",
        ("    enabled: true  # expect: MLF211,MLF211\n", "    enabled: true\n    existingSecret: mlflow-oss\n"),
    ),
    # v1 with S3 also renders an empty AWS_CA_BUNDLE (MLF208): its fix comes with it.
    "MLF212": fix(
        "MLF212/v1-disabled-fail.yaml",
        ("  enabled: false", "  enabled: true"),
        ("^", "extraEnv:\n  - name: AWS_CA_BUNDLE\n    value: /etc/ssl/certs/ca-certificates.crt\n"),
    ),
    # "a ReadWriteMany volume mounted at the path in every pod"
    "MLF213": fix(
        "MLF213/serve-default-destination-fail.yaml",
        ("  mode: serve-artifacts", "  mode: serve-artifacts\n  artifactsDestination: /data/artifacts"),
        PVC,
    ),
    # "serve artifacts: leave the root empty and set the destination to the mounted path"
    "MLF214": fix(
        "MLF214/nfs-fail.yaml",
        (
            "  defaultArtifactRoot: /mnt/nfs  # expect: MLF214",
            "  mode: serve-artifacts\n  artifactsDestination: /data/artifacts",
        ),
        PVC,
    ),
    "MLF215": fix(
        "MLF215/serve-no-destination-fail.yaml",
        (
            "  mode: serve-artifacts  # expect: MLF215",
            "  mode: serve-artifacts\n  artifactsDestination: /data/artifacts",
        ),
        PVC,
    ),
    "MLF216": fix(
        "serviceAccount:\n  annotations:\n    eks.amazonaws.com/role-arn: mlflow-role\n",
        ("mlflow-role", "arn:aws:iam::853462719034:role/mlflow"),
    ),
    # Secrets: into a Secret (existingSecret, secretKeyRef), or a key-less identity.
    "MLF301": fix(
        "backendStore:\n  createSecret:\n    backendStoreUri: postgresql://mlflow:Zx81PqRt55Lw@db:5432/mlflow\n",
        (
            "  createSecret:\n    backendStoreUri: postgresql://mlflow:Zx81PqRt55Lw@db:5432/mlflow\n",
            "  existingSecret: mlflow-db\n",
        ),
    ),
    "MLF302": fix(
        "extraEnv:\n  - name: MLFLOW_TRACKING_URI\n    value: http://ops:Zk4qPw8RtVx2Lm9N@mlflow.acme.io\n",
        ("    value: http://ops:Zk4qPw8RtVx2Lm9N@mlflow.acme.io\n", SECRET_REF.format(key="tracking-uri")),
    ),
    "MLF303": fix(
        "extraEnv:\n  - name: MLFLOW_TRACKING_PASSWORD\n    value: hunter2hunter2\n",
        ("    value: hunter2hunter2\n", SECRET_REF.format(key="tracking-password")),
    ),
    "MLF304": fix(
        "trackingServer:\n  defaultArtifactRoot: s3://acme-mlflow/artifacts\nextraEnv:\n"
        "  - name: AWS_ACCESS_KEY_ID\n    value: AKIAZ3MSJV4WWNQ5AB7C\n"
        "  - name: AWS_SECRET_ACCESS_KEY\n    value: 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\n",
        (
            "extraEnv:\n  - name: AWS_ACCESS_KEY_ID\n    value: AKIAZ3MSJV4WWNQ5AB7C\n"
            "  - name: AWS_SECRET_ACCESS_KEY\n    value: 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\n",
            "artifactStore:\n  s3:\n    enabled: true\n    existingSecret: mlflow-s3\n",
        ),
    ),
    "MLF305": fix(
        "trackingServer:\n  defaultArtifactRoot: wasbs://mlflow@acmeml.blob.core.windows.net/artifacts\n"
        "extraEnv:\n"
        "  - name: AZURE_STORAGE_ACCESS_KEY\n"
        f"    value: {AZURE_KEY}\n",
        (
            f"extraEnv:\n  - name: AZURE_STORAGE_ACCESS_KEY\n    value: {AZURE_KEY}\n",
            "artifactStore:\n  azure:\n    enabled: true\n    existingSecret: mlflow-azure\n",
        ),
    ),
    "MLF306": fix(
        "extraEnv:\n  - name: GCP_SA_KEY\n    value: |\n      -----BEGIN PRIVATE KEY-----\n"
        "      MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n"
        "      -----END PRIVATE KEY-----\n",
        (
            "  - name: GCP_SA_KEY\n    value: |\n      -----BEGIN PRIVATE KEY-----\n"
            "      MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n"
            "      -----END PRIVATE KEY-----\n",
            "  - name: GOOGLE_APPLICATION_CREDENTIALS\n    value: /etc/gcp/key.json\nextraVolumes:\n"
            "  - name: gcp-key\n    secret:\n      secretName: mlflow-gcp\nextraVolumeMounts:\n"
            "  - name: gcp-key\n    mountPath: /etc/gcp\n    readOnly: true\n",
        ),
    ),
    "MLF307": fix(
        "trackingServer:\n  defaultArtifactRoot: oss://acme-mlflow/artifacts\nartifactStore:\n  oss:\n"
        "    enabled: true\n    endpoint: oss-cn-beijing-internal.aliyuncs.com\nextraEnv:\n"
        "  - name: MLFLOW_OSS_KEY_ID\n    value: LTAI5tQ8hJ2kL9mN3pR7sV1x\n"
        "  - name: MLFLOW_OSS_KEY_SECRET\n    value: uV3wX9yZ1aB5cD7eF2gH4iJ6kL8mN0\n",
        (
            "extraEnv:\n  - name: MLFLOW_OSS_KEY_ID\n    value: LTAI5tQ8hJ2kL9mN3pR7sV1x\n"
            "  - name: MLFLOW_OSS_KEY_SECRET\n    value: uV3wX9yZ1aB5cD7eF2gH4iJ6kL8mN0\n",
            "",
        ),
        ("    endpoint:", "    existingSecret: mlflow-oss\n    endpoint:"),
    ),
    # "if it is not a secret, suppress the finding with a reason"
    "MLF308": fix(
        "podAnnotations:\n  corp/deploy-key: 9f8e7d6c5b4a39281706f5e4d3c2b1a0ff1e2d3c\n",
        ("d3c\n", "d3c  # mlflow-lint: disable=MLF308 -- a commit hash, not a secret\n"),
    ),
    "MLF309": fix(
        "MLF309/mlflow-2-22-too-short.yaml",
        (
            '    createSecret:\n      adminUsername: root\n      adminPassword: "R7#kq2Lz"  # expect: MLF309\n',
            "    existingSecret: mlflow-basic-auth\n",
        ),
        ("trackingServer:", "trackingServer:\n  extraArgs:\n    - --app-name=basic-auth"),
    ),
    # "keep it in a Secret and reference it"
    "MLF311": fix(
        "smtp:\n  user: mlflow\n  password: Vk8q2LmZr7Tx\n", ("password: Vk8q2LmZr7Tx", "existingSecret: mlflow-smtp")
    ),
    "MLF312": fix(
        f"extraEnv:\n  - name: SLACK_BOT_TOKEN\n    value: {SLACK_TOKEN}\n",
        (f"    value: {SLACK_TOKEN}\n", SECRET_REF.format(key="slack-token")),
    ),
    "MLF310": fix(
        "extraEnv:\n  - name: MLFLOW_S3_ENDPOINT_URL\n    value: https://your-minio:9000\n",
        ("your-minio", "minio.storage.svc"),
    ),
    # Server and chart.
    "MLF401": fix(
        "MLF401/readme-v1-existing-secret-fail.yaml",
        ("  enabled: true\n  basicAuth:", "  enabled: true\n  extraArgs:\n    - --app-name=basic-auth\n  basicAuth:"),
    ),
    "MLF402": fix("MLF402/unset-fail.yaml", ("^", AUTH_CONFIG_PATH)),
    "MLF404": fix(
        "MLF404/missing-fail.yaml",
        (
            "    value: /etc/mlflow/basic_auth.ini\n",
            "    value: /etc/mlflow/basic_auth.ini\n"
            "  - name: MLFLOW_FLASK_SERVER_SECRET_KEY\n" + SECRET_REF.format(key="flask-secret-key"),
        ),
    ),
    "MLF405": fix(
        "MLF405/env-from-fail.yaml",
        (
            "    value: /etc/mlflow/basic_auth.ini\n",
            "    value: /etc/mlflow/basic_auth.ini\n"
            "  - name: MLFLOW_FLASK_SERVER_SECRET_KEY\n" + SECRET_REF.format(key="flask-secret-key"),
        ),
    ),
    "MLF406": fix("MLF406/localhost-fail.yaml", ("127.0.0.1", "0.0.0.0")),
    "MLF407": fix(
        "image:\n  tag: v3.8.0\ningress:\n  enabled: true\n  hosts:\n    - host: mlflow.acme.io\n"
        "      paths:\n        - path: /\n          pathType: Prefix\n",
        ("^", "extraEnv:\n  - name: MLFLOW_SERVER_ALLOWED_HOSTS\n    value: mlflow.acme.io\n"),
    ),
    "MLF408": fix(
        "MLF408/create-secret-fail.yaml",
        (
            "backendStore:\n  createSecret:\n    backendStoreUri: postgresql://mlflow@db.internal/mlflow"
            "  # expect: MLF408\n",
            "",
        ),
    ),
    "MLF409": fix("MLF409/postgres-no-root-fail.yaml", S3_ROOT, DRIVER_IMAGE),
    "MLF410": fix(
        "MLF410/new-mlflow-fail.yaml",
        S3_ROOT,
        ("  tag: v3.8.0", "  registry: registry.acme.io\n  repository: platform/mlflow\n  tag: 3.8.0-drivers"),
    ),
    "MLF411": fix(
        "MLF411/both-off-fail.yaml",
        ("  enabled: false  # expect: MLF411", "  enabled: true"),
        ("^", "replicaCount: 0\n"),
    ),
    "MLF412": fix(
        "MLF412/basic-auth-fail.yaml", ("    createSecret:\n      defaultPermission: EDIT  # expect: MLF412\n", "")
    ),
    "MLF413": fix("MLF413/default-image-fail.yaml", DRIVER_IMAGE),
    # basic_auth.ini.
    "MLF414": fix("MLF414/host-mapping-fail.yaml", ('"::"', '"[::]"')),
    "MLF501": fix("MLF501/line-without-delimiter.ini", ("; expect-next-line: MLF501\nadmin\n", "")),
    # The INI cases hold a real password: once the section is read, MLF313 asks for a template.
    "MLF502": fix("MLF502/wrong-case.ini", ("[MLflow] ; expect: MLF502", "[mlflow]"), INI_TEMPLATE_PASSWORD),
    "MLF313": fix(
        "MLF313/committed-passwords.ini",
        ("mlflow_auth:Xk2Lm9Qp4Rz7@", "mlflow_auth@"),
        ("; expect-next-line: MLF313\nadmin_password = password1234", INI_TEMPLATE_PASSWORD[1]),
        ("; expect-next-line: MLF313\n", ""),
    ),
    "MLF503": fix("MLF503/duplicate-option.ini", ("Admin_Password = another-long-password ; expect: MLF503\n", "")),
    "MLF504": fix("MLF504/url-encoded-password.ini", ("p%40ss", "p%%40ss")),
    "MLF505": fix(
        "MLF505/inline-comment.ini",
        (
            "default_permission = READ # everyone may read ; expect: MLF505",
            "# everyone may read\ndefault_permission = READ",
        ),
    ),
    "MLF506": fix(
        "MLF506/missing-admin.ini",
        ("[mlflow] ; expect: MLF506", "[mlflow]"),
        (
            "sqlite:////data/auth.db\n",
            "sqlite:////data/auth.db\nadmin_username = admin\nadmin_password = ${MLFLOW_ADMIN_PASSWORD}\n",
        ),
    ),
    "MLF507": fix("MLF507/lower-case.ini", ("default_permission = read ; expect: MLF507", "default_permission = READ")),
    "MLF508": fix(
        "MLF508/postgres-dialect.ini",
        ("postgres://mlflow@auth-db:5432/mlflow_auth ; expect: MLF508", "postgresql://mlflow@auth-db:5432/mlflow_auth"),
    ),
    "MLF509": fix(
        "MLF509/relative-sqlite.ini", ("sqlite:///basic_auth.db ; expect: MLF509", "sqlite:////data/basic_auth.db")
    ),
    "MLF510": fix(
        "MLF510/secret-ini-shares-backend.yaml",
        ("auth@postgres:5432/mlflow  # expect: MLF510", "auth@postgres:5432/mlflow_auth"),
    ),
    "MLF511": fix(
        "MLF511/dotted.ini",
        (
            "mlflow.server.auth.authenticate_request_basic_auth ; expect: MLF511",
            "mlflow.server.auth:authenticate_request_basic_auth",
        ),
    ),
    "MLF512": fix("MLF512/short-on-2.22.ini", ("admin_password = password", "admin_password = Tq7vN2xK9pLm4RwZ8sYc")),
    "MLF513": fix(
        "MLF513/same-as-user.ini",
        ("admin_username = %(admin_password)s", "admin_username = mlflow-operator"),
        ("admin_password = mlflow-operator ; expect: MLF513", "admin_password = Tq7vN2xK9pLm4RwZ8sYc"),
    ),
    "MLF514": fix("MLF514/misspelt.ini", ("admin_pasword = another-long-password ; expect: MLF514\n", "")),
    "MLF515": fix(
        "MLF515/bad-ttl.ini", ("auth_cache_ttl_seconds = 10m ; expect: MLF515", "auth_cache_ttl_seconds = 600")
    ),
    # extraEnv and extraArgs.
    "MLF601": fix(
        "extraEnv:\n- name: MLFLOW_S3_ENDPOINT\n  value: http://minio.storage.svc:9000\n",
        ("MLFLOW_S3_ENDPOINT\n", "MLFLOW_S3_ENDPOINT_URL\n"),
    ),
    "MLF602": fix("extraEnv:\n- name: MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD\n  value: enabled\n", ("enabled", '"true"')),
    "MLF603": fix("extraEnv:\n- name: MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT\n  value: 60s\n", ("60s", '"60"')),
    "MLF604": fix("MLF604/not-multiple.yaml", ('"100000000"', '"104857600"'), ("1000000", '"1048576"')),
    "MLF605": fix(
        "extraEnv:\n- name: MLFLOW_S3_ENDPOINT_URL\n  value: minio:9000\n",
        ("minio:9000", "http://minio.minio.svc:9000"),
    ),
    "MLF606": fix("MLF606/bad-upload-args.yaml", ('"KMSKeyId"', '"SSEKMSKeyId"')),
    "MLF607": fix("extraEnv:\n- name: MLFLOW_SQLALCHEMYSTORE_POOLCLASS\n  value: nullpool\n", ("nullpool", "NullPool")),
    "MLF608": fix(
        "extraEnv:\n- name: MLFLOW_PYARROW_EXTRA_CONF\n  value: dfs.client.use.datanode.hostname:true\n",
        ("hostname:true", "hostname=true"),
    ),
    "MLF609": fix(
        "extraEnv:\n- name: GOOGLE_APPLICATION_CREDENTIALS\n"
        '  value: \'{"type": "service_account", "project_id": "demo"}\'\n',
        (
            '  value: \'{"type": "service_account", "project_id": "demo"}\'\n',
            "  value: /etc/gcp/key.json\nextraVolumes:\n"
            "  - name: gcp-key\n    secret:\n      secretName: mlflow-gcp\n"
            "extraVolumeMounts:\n  - name: gcp-key\n    mountPath: /etc/gcp\n    readOnly: true\n",
        ),
    ),
    "MLF610": fix("MLF610/empty.yaml", ('value: ""  # expect: MLF610', "value: /etc/ssl/certs/ca-certificates.crt")),
    "MLF611": fix(
        "MLF611/removed.yaml",
        (
            '- name: MLFLOW_GCS_DEFAULT_TIMEOUT  # expect: MLF611\n  value: "120"\n',
            "- name: MLFLOW_S3_ENDPOINT_URL\n  value: http://minio.storage.svc:9000\n",
        ),
    ),
    "MLF612": fix(
        "MLF612/duplicate.yaml",
        ("- name: MLFLOW_S3_ENDPOINT_URL  # expect: MLF612\n  value: http://minio-b:9000\n", ""),
    ),
    "MLF613": fix(
        "MLF613/shadows-chart.yaml",
        (
            "- name: MLFLOW_BACKEND_STORE_URI  # expect: MLF613\n  value: sqlite:////data/mlflow.db\n"
            "- name: AWS_SECRET_ACCESS_KEY  # expect: MLF613\n"
            "  valueFrom: {secretKeyRef: {name: other, key: secret}}\n",
            "- name: MLFLOW_S3_ENDPOINT_URL\n  value: http://minio.storage.svc:9000\n",
        ),
        DRIVER_IMAGE,
    ),  # the sqlite override hid that the postgresql backend needs a driver (MLF413)
    "MLF614": fix(
        'extraEnv:\n- name: MLFLOW_PORT\n  value: "8080"\n',
        ('extraEnv:\n- name: MLFLOW_PORT\n  value: "8080"\n', "trackingServer:\n  port: 8080\n"),
    ),
    "MLF615": fix(
        "extraEnv:\n- name: _MLFLOW_SERVER_ARTIFACT_ROOT\n  value: s3://acme-mlflow/artifacts\n",
        ("extraEnv:\n- name: _MLFLOW_SERVER_ARTIFACT_ROOT\n  value: s3://acme-mlflow/artifacts\n", ""),
        S3_ROOT,
        DRIVER_IMAGE,
    ),  # the chart key; an artifact root that is used needs credentials and boto3
    "MLF616": fix(
        'extraEnv:\n- name: MLFLOW_S3_IGNORE_TLS\n  value: "true"\n',
        ('extraEnv:\n- name: MLFLOW_S3_IGNORE_TLS\n  value: "true"\n', ""),
        CA_MOUNT,
    ),
    "MLF617": fix(
        "MLF617/disabled.yaml",
        (
            '- name: MLFLOW_SERVER_DISABLE_SECURITY_MIDDLEWARE\n  value: "true"  # expect: MLF617\n',
            "- name: MLFLOW_SERVER_ALLOWED_HOSTS\n  value: mlflow.acme.io\n",
        ),
    ),
    "MLF620": fix(
        "trackingServer:\n  extraArgs:\n  - --static-prefix /mlflow\n",
        ("--static-prefix /mlflow", "--static-prefix=/mlflow"),
    ),
    "MLF621": fix("trackingServer:\n  extraArgs:\n  - --statc-prefix=/mlflow\n", ("--statc-prefix", "--static-prefix")),
    "MLF622": fix(
        "MLF622/waitress.yaml", ("--waitress-opts=--threads=8  # expect: MLF622", "--gunicorn-opts=--threads=8")
    ),
    "MLF623": fix(
        "trackingServer:\n  basicAuth:\n    enabled: true\n    existingSecret: mlflow-basic-auth\n"
        "  extraArgs:\n  - --app-name=mlflow.server:app\n",
        ("--app-name=mlflow.server:app", "--app-name=basic-auth"),
    ),
    "MLF624": fix(
        "MLF624/backend-flag.yaml",
        ("trackingServer:\n  extraArgs:\n  - --backend-store-uri=sqlite:////data/mlflow.db  # expect: MLF624\n", ""),
    ),
    "MLF625": fix("MLF625/dev-gunicorn.yaml", ("  - --dev  # expect: MLF625\n", "")),
    "MLF626": fix(
        "trackingServer:\n  extraArgs:\n  - --expose-prometheus\n",
        ("--expose-prometheus\n", "--expose-prometheus=/tmp/prometheus\n"),
    ),
    "MLF627": fix("trackingServer:\n  extraArgs:\n  - --static-prefix=mlflow/\n", ("=mlflow/", "=/mlflow")),
    "MLF628": fix(
        "trackingServer:\n  extraArgs:\n  - --expose-prometheus=/metrics\n", ("=/metrics", "=/tmp/prometheus")
    ),
    "MLF629": fix(
        "MLF629/uri-in-args.yaml",
        (
            "trackingServer:\n  extraArgs:\n  - --backend-store-uri=sqlite:////data/mlflow.db  # expect: MLF629\n",
            "backendStore:\n  existingSecret: mlflow-db\n",
        ),
    ),
    # Secret manifests (inline: the values, then the manifest file given to --secrets).
    "MLF701": fix(
        VALUES_AND_SECRET.split(MANIFESTS)[0] + MANIFESTS + "apiVersion: bitnami.com/v1alpha1\n"
        "kind: SealedSecret\nmetadata: {}\nspec:\n  encryptedData:\n"
        "    MLFLOW_BACKEND_STORE_URI: AgBy8hCi8K3xLmQ2Zr0vYw2Xb9Tn5Mf7Gd1Jc4Ps6Ua8\n",
        ("metadata: {}", "metadata:\n  name: mlflow-db"),
        args=("--secrets", "{secrets}"),
    ),
    "MLF702": fix(
        VALUES_AND_SECRET.replace("existingSecret: mlflow-db", "existingSecret: mlflow-database").format(
            data=STRING_DATA
        ),
        ("existingSecret: mlflow-database", "existingSecret: mlflow-db"),
        args=("--secrets", "{secrets}"),
    ),
    "MLF703": fix(
        VALUES_AND_SECRET.format(data="stringData:\n  BACKEND_STORE_URL: postgresql://mlflow@db/mlflow\n"),
        ("BACKEND_STORE_URL", "MLFLOW_BACKEND_STORE_URI"),
        args=("--secrets", "{secrets}"),
    ),
    "MLF704": fix(
        VALUES_AND_SECRET.format(data=STRING_DATA.replace("mlflow@db", "mlflow:Zx81PqRt55Lw@db")),
        (
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: mlflow-db\n",
            "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: mlflow-db\n",
        ),
        (
            "stringData:\n  MLFLOW_BACKEND_STORE_URI: postgresql://mlflow:Zx81PqRt55Lw@db/mlflow\n",
            "spec:\n  encryptedData:\n    MLFLOW_BACKEND_STORE_URI: AgBy8hCi8K3xLmQ2Zr0vYw2Xb9Tn5Mf7Gd1Jc4Ps6Ua8\n",
        ),
        args=("--secrets", "{secrets}"),
    ),
    "MLF705": fix(
        "MLF705/bad-uri.yaml",
        ("postgres://mlflow@postgres:5432/mlflow  # expect: MLF705", "postgresql://mlflow@postgres:5432/mlflow"),
        DRIVER_IMAGE,
    ),
    # Rotated, and created out of band: the new value in a committed Secret would be MLF304.
    "MLF706": fix(
        "MLF706/weak.yaml",
        ("apiVersion: v1\nkind: Secret\n", "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\n"),
        (
            "stringData:\n  AWS_ACCESS_KEY_ID: minioadmin\n  AWS_SECRET_ACCESS_KEY: minioadmin  # expect: MLF706",
            "spec:\n  encryptedData:\n    AWS_ACCESS_KEY_ID: AgBy8hCi8K3xLmQ2Zr0vYw2Xb9Tn5Mf7Gd1Jc4Ps6Ua8\n"
            "    AWS_SECRET_ACCESS_KEY: AgCx7gBh7J2wKlP1Yq9uXv1Wa8Sm4Le6Fc0Ib3Or5Tz7",
        ),
    ),
    # What MLflow itself refuses at start-up (found with real MLflow, tests/oracle).
    "MLF111": fix(
        "MLF111/file-store-fail.yaml",
        ("/data/mlruns  # expect: MLF111", "/data/mlruns"),
        ("^", 'extraEnv:\n  - name: MLFLOW_ALLOW_FILE_STORE\n    value: "true"\n'),
    ),
    "MLF415": fix(
        "MLF415/packaged-ini-fail.yaml",
        ("    - --app-name=basic-auth  # expect: MLF415\n", "    - --app-name=basic-auth\n"),
        ("^", "extraEnv:\n  - name: MLFLOW_AUTH_ADMIN_PASSWORD\n" + SECRET_REF.format(key="admin-password")),
    ),
    "MLF516": fix(
        "MLF516/misspelt-function.ini",
        ("; expect-next-line: MLF516\n", ""),
        (":authenticate_request_basic\n", ":authenticate_request_basic_auth\n"),
    ),
    "MLF517": fix(
        "MLF517/mysql.ini",
        ("; expect-next-line: MLF517\n", ""),
        ("mysql+pymysql://mlflow@auth-db:3306/", "postgresql://mlflow@auth-db:5432/"),
    ),
    "MLF630": fix(
        "MLF630/bad-values-fail.yaml",
        ("--port=abc  # expect: MLF630", "--port=5000"),
        ("--timeout=2m  # expect: MLF630", "--timeout=120"),
        ("--workers=auto  # expect: MLF630", "--workers=4"),
        ('"--no-such-option"  # expect: MLF630', '"--timeout-keep-alive 5"'),
    ),
    # Once the name is right the SQLite file is used, and it belongs on a volume (MLF110).
    "MLF631": fix(
        "MLF631/misspelt-fail.yaml", ("MLFLOW_BACKEND_STORE_URL  # expect: MLF631", "MLFLOW_BACKEND_STORE_URI"), PVC
    ),
    # The published charts (MLF8xx).
    "MLF801": fix(
        "MLF801/bitnami-with-community-keys-fail.yaml",
        ('extraEnvVars:  # expect: MLF801\n  MLFLOW_HTTP_REQUEST_TIMEOUT: "300"\n', ""),
        (
            "    existingSecret: mlflow-auth\n",
            "    existingSecret: mlflow-auth\n  extraEnvVars:\n"
            '    - name: MLFLOW_HTTP_REQUEST_TIMEOUT\n      value: "300"\n',
        ),
    ),
    "MLF802": fix("MLF802/bitnami-typo-fail.yaml", ("extraEnvVar:  # expect: MLF802", "extraEnvVars:")),
    "MLF803": fix(
        "MLF803/community-map-value-fail.yaml",
        (
            "MLFLOW_S3_UPLOAD_EXTRA_ARGS:  # expect: MLF803\n    ServerSideEncryption: aws:kms",
            'MLFLOW_S3_UPLOAD_EXTRA_ARGS: \'{"ServerSideEncryption": "aws:kms"}\'',
        ),
        ("1000000  # expect: MLF803", '"1000000"'),
    ),
    "MLF804": fix("MLF804/community-number-fail.yaml", ("maxResults: 500  # expect: MLF804", 'maxResults: "500"')),
    "MLF805": fix(
        "MLF805/community-defaults-fail.yaml",
        (
            "serverHost: 0.0.0.0  # expect: MLF805\n",
            "serverHost: 0.0.0.0\nbackendStore:\n"
            "  postgres:\n    enabled: true\n    host: db.internal\n    database: mlflow\n"
            "  existingDatabaseSecret:\n    name: mlflow-db\n",
        ),
    ),
    "MLF806": fix(
        "MLF806/bitnami-both-fail.yaml",
        ("  host: db.internal  # expect: MLF806", "  host: db.internal\npostgresql:\n  enabled: false"),
    ),
    "MLF807": fix(
        "MLF807/bitnami-default-user-fail.yaml",
        (
            "    enabled: true\n    username: user  # expect: MLF807\n",
            "    enabled: true\n    existingSecret: mlflow-auth\n",
        ),
    ),
    "MLF808": fix(
        "MLF808/bitnami-registry-twice-fail.yaml",
        (
            "  registry: docker.io\n  repository: ghcr.io/acme/mlflow-bitnami  # expect: MLF808",
            "  registry: ghcr.io\n  repository: acme/mlflow-bitnami",
        ),
    ),
    "MLF809": fix(
        "MLF809/official-no-backend-fail.yaml",
        ("server:  # expect: MLF809", "mlflow:\n  backendStoreUri: postgresql://db.internal:5432/mlflow\nserver:"),
    ),
    "MLF810": fix(
        "MLF810/community-wildcard-public-fail.yaml",
        ('allowedHosts: "*"  # expect: MLF810', "allowedHosts: mlflow.acme-corp.internal"),
    ),
    "MLF811": fix(
        "MLF811/bitnami-auth-off-fail.yaml",
        (
            "tracking:  # expect: MLF811\n  auth:\n    enabled: false",
            "tracking:\n  auth:\n    existingSecret: mlflow-auth",
        ),
    ),
    "MLF812": fix(
        "MLF812/bitnami-gcs-and-azure-fail.yaml",
        ("externalAzureBlob:\n  storageAccount: teamartifacts  # expect: MLF812\n", ""),
        ("  bucket: team-artifacts  # expect: MLF812", "  bucket: team-artifacts"),
        (
            "    existingSecret: mlflow-auth\n",
            "    existingSecret: mlflow-auth\n  serviceAccount:\n"
            "    annotations:\n      iam.gke.io/gcp-service-account: mlflow@acme-ml.iam.gserviceaccount.com\n",
        ),
    ),
    "MLF813": fix(
        "MLF813/official-typo-fail.yaml",
        ("allowed_host: ", "allowed_hosts: "),
        ("- serve_artifact  # expect: MLF813", "- serve_artifacts"),
    ),
}

EXCEPTIONS: dict[str, str] = {
    "MLF012": "the fix is a command-line choice (`--chart DIR|TGZ` or `--chart NAME`), not an edit of the file; "
    "tests/test_charts.py shows the finding going away with it",
    "MLF013": "only a `--chart DIR|TGZ` render fails this way, and the fix is in the values or the chart that Helm "
    "names; tests/test_manifests.py covers it with real Helm",
    "MLF008": "the fix is to write the values out plainly: there is no small failing file to edit "
    "(tests/hostile holds the alias bombs and deep nesting)",
    "MLF403": "the seed chart probes `/` and has no values key for its probes: the fix (a post-renderer "
    "patching the Deployment, or another chart) is outside the files the linter reads",
    "MLF900": "a probe is skipped for a missing SDK: the fix is installing an extra, not an edit of the values",
    "MLF901": "a probe fails against a live server: the fix is in the database or bucket (tests/probes show the "
    "finding going away when the server side is right)",
    "MLF902": "a probe cannot reach its endpoint: the fix is the network or --probe-timeout, not the values",
}


def _source(item: Fix, tmp_path: Path) -> tuple[Path, str, list[str]]:
    """Where the text is linted, the text, and its flags (a case that names itself with --secrets
    names the copy)."""
    if "\n" in item.source:
        target = tmp_path / item.name
        return target, item.source, list(item.args)
    path = CASES / item.source
    target = tmp_path / path.name
    own = path.relative_to(CASES.parents[2]).as_posix()  # tests/rules/cases/...: as the header names it
    return target, path.read_text(encoding="utf-8"), [str(target) if a == own else a for a in extra_args(path)]


def _lint(run_cli, path: Path, text: str, args: list[str], code: str) -> list[dict]:
    text, _, manifests = text.partition(MANIFESTS)
    secrets = path.with_name("secrets.yaml")
    secrets.write_text(manifests, encoding="utf-8")
    args = [a.replace("{secrets}", str(secrets)) for a in args]
    if code == "MLF011":
        path.write_bytes(text.encode("latin-1"))
    else:
        path.write_text(text, encoding="utf-8")
    exit_code, out, err = run_cli("--isolated", "--format", "json", "--fail-on", "info", *args, str(path))
    assert exit_code in (0, 1), err
    return [f for f in json.loads(out)["findings"] if not f["suppressed"]]


def _applied(text: str, edits: tuple[tuple[str, str], ...]) -> str:
    for old, new in edits:
        if old == "^":  # put before the file (after its `# args:` line)
            head, _, rest = text.partition("\n") if text.startswith(("# args:", "; args:")) else ("", "", text)
            text = f"{head}\n{new}{rest}" if head else new + rest
            continue
        assert old in text, f"the fix's text {old!r} is not in the case file"
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("code", sorted(FIXES))
def test_the_documented_fix_silences_the_rule_and_adds_nothing(code: str, run_cli, tmp_path: Path) -> None:
    item = FIXES[code]
    path, text, args = _source(item, tmp_path)
    before = _lint(run_cli, path, text, args, code)
    after = _lint(run_cli, path, _applied(text, item.edits), args, code)
    assert code in {f["code"] for f in before}, f"the case does not trigger {code}: {before}"
    assert code not in {f["code"] for f in after}, [f["message"] for f in after if f["code"] == code]
    # Compared as counts per code: a fix may move where a remaining finding points (a URI that now
    # comes from existingSecret), but it must not add one.
    grown = Counter(f["code"] for f in after) - Counter(f["code"] for f in before)
    assert not grown, [f"{f['code']} {f['path']}: {f['message']}" for f in after if f["code"] in grown]


def test_every_rule_has_a_fix_or_a_recorded_exception() -> None:
    codes = {r.code for r in ALL_RULES}
    assert set(FIXES) | set(EXCEPTIONS) == codes, sorted(codes - set(FIXES) - set(EXCEPTIONS))
    assert not set(FIXES) & set(EXCEPTIONS)
    assert all(len(reason) > 20 for reason in EXCEPTIONS.values())
