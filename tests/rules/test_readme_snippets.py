"""The seed README's YAML snippets lint with the backend/artifact/server findings the facts predict.

The README (`/work/shared/seed/chart-README.md.gotmpl`, the v1 chart's) is copied here as the
list of its `yaml` snippets; each is linted as a v1 values file with only the MLF1/2/4 families
selected. Facts sections 4 and 5 explain every expected code.
"""

from __future__ import annotations

import pytest

SNIPPETS: list[tuple[str, str, set[str]]] = [
    (
        "backend existingSecret (key BACKEND_STORE_URL/URI never read)",
        "backendStore:\n  existingSecret: mlflow-mysql-backend-store-secret\n",
        {"MLF101"},
    ),
    (
        "backend createSecret",
        "backendStore:\n  createSecret:\n    backendStoreUri: "
        "<dialect>+<driver>://<username>:<password>@<host>:<port>/<database>\n",
        {"MLF101"},
    ),
    (
        "default artifact root ./mlruns (clients write locally)",
        "artifactStore:\n  enabled: true\n  defaultArtifactRoot: ./mlruns\n",
        {"MLF214"},
    ),
    (
        "IRSA annotation with a placeholder (the placeholder rule's job)",
        "serviceAccount:\n  create: true\n  annotations:\n    eks.amazonaws.com/role-arn: "
        '"arn:aws:iam::account-id:role/<YOUR_IAM_ROLE_ARN>"\n',
        set(),
    ),
    (
        "S3 existingSecret: no s3:// location, empty v1 AWS_CA_BUNDLE",
        "artifactStore:\n  enabled: true\n  s3:\n    enabled: true\n"
        "    existingSecret: mlflow-s3-artifact-store-secret\n",
        {"MLF203", "MLF208", "MLF215"},
    ),
    (
        "S3 createSecret with the defaultArtifactStore typo",
        "artifactStore:\n  enabled: true\n  defaultArtifactStore: s3://<bucket>/<path>\n  s3:\n    enabled: true\n"
        "    createSecret:\n      accessKeyId: <YOUR_AWS_ACCESS_KEY_ID>\n"
        "      secretAccessKey: <YOUR_AWS_SECRET_ACCESS_KEY>\n",
        {"MLF203", "MLF208", "MLF215"},
    ),
    (
        "S3 upload extra args",
        "extraEnv:\n- name: MLFLOW_S3_UPLOAD_EXTRA_ARGS\n  value: |\n"
        '    {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "1234"}\n',
        set(),
    ),
    (
        "Azure existingSecret: no wasbs:// location",
        "artifactStore:\n  enabled: true\n  azure:\n    enabled: true\n"
        "    existingSecret: mlflow-azure-artifact-store-secret\n",
        {"MLF203", "MLF215"},
    ),
    (
        "GCS existingSecret: key never mounted",
        "artifactStore:\n  enabled: true\n  defaultArtifactRoot: gs://<bucket>/<path>\n  gcp:\n    enabled: true\n"
        "    existingSecret: mlflow-gcp-artifact-store-secret\n",
        {"MLF209"},
    ),
    (
        "OSS RAM role annotation",
        "serviceAccount:\n  create: true\n  annotations:\n"
        "    pod-identity.alibabacloud.com/role-name: <YOUR_ALIBABA_CLOUD_RAM_ROLE_NAME>\n",
        set(),
    ),
    (
        "OSS existingSecret without endpoint",
        "artifactStore:\n  enabled: true\n  defaultArtifactRoot: oss://<bucket>/<path>\n  oss:\n    enabled: true\n"
        "    existingSecret: mlflow-oss-artifact-store-secret\n",
        {"MLF211"},
    ),
    (
        "OSS createSecret without endpoint",
        "artifactStore:\n  enabled: true\n  defaultArtifactRoot: oss://<bucket>/<path>\n  oss:\n    enabled: true\n"
        "    createSecret:\n      accessKeyId: <YOUR_ALIBABA_CLOUD_ACCESS_KEY_ID>\n"
        "      accessKeySecret: <YOUR_ALIBABA_CLOUD_ACCESS_KEY_SECRET>\n",
        {"MLF211"},
    ),
    (
        "basic auth with existingSecret",
        "trackingServer:\n  enabled: true\n  basicAuth:\n    enabled: true\n"
        "    existingSecret: mlflow-basic-auth-secret\n",
        {"MLF401", "MLF402", "MLF403"},
    ),
    (
        "basic auth inline",
        "trackingServer:\n  enabled: true\n  basicAuth:\n    enabled: true\n    createSecret:\n"
        "      defaultPermission: READ\n      databaseUri: sqlite:///basic_auth.db\n      adminUsername: admin\n"
        "      adminPassword: password\n"
        "      authorizationFunction: mlflow.server.auth:authenticate_request_basic_auth\n",
        {"MLF401", "MLF402", "MLF403", "MLF105"},
    ),
]


@pytest.mark.parametrize(("title", "text", "codes"), SNIPPETS, ids=[s[0] for s in SNIPPETS])
def test_readme_snippet(lint_text, title: str, text: str, codes: set[str]) -> None:
    report = lint_text(text, "--chart", "seed-v1", "--select", "MLF1,MLF2,MLF4")
    assert {f["code"] for f in report["findings"]} == codes, report["findings"]
