"""Writes the secret-audit corpus: values files of the seed, community, bitnami and official
charts and of umbrella charts, basic_auth.ini files, multi-document manifests and `--set` flags,
with planted credentials (fake, random, in their real formats) and negatives (the noise generic
scanners report), and `truth.json`, the ground truth: file, line span, kind, input form.

    python tests/secrets/corpus/generate.py      # rewrites the corpus deterministically

No planted value is a real key: every one is drawn from `random.Random(SEED)` in the format of
its kind. The files are committed; tests/secrets/test_corpus.py checks the linter against them
and bench/secrets.py compares it with detect-secrets.
"""

from __future__ import annotations

import base64
import json
import random
import string
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).parent
SEED = 1507
R = random.Random(SEED)
ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"


def pick(alphabet: str, n: int) -> str:
    return "".join(R.choice(alphabet) for _ in range(n))


# --- credential generators: (kind, value) -------------------------------------------------------


def password() -> str:
    """A random 12-20 character password with mixed classes (no YAML-special first character)."""
    body = pick(ALNUM, R.randint(10, 16)) + R.choice("!%*_-.") + pick(string.digits, 2)
    return R.choice(string.ascii_letters) + body


def aws_key_id(prefix: str = "AKIA") -> str:
    return prefix + pick(string.ascii_uppercase + "234567", 16)


def aws_secret() -> str:
    return pick(B64, 40)


def hexstr(n: int) -> str:
    return pick("0123456789abcdef", n)


def pem_body(prefix: str, lines: int) -> list[str]:
    text = prefix + pick(B64, 64 * lines - len(prefix))
    return [text[i : i + 64] for i in range(0, len(text), 64)]


def pem(label: str, prefix: str = "MIIEow", lines: int = 8) -> str:
    return "\n".join([f"-----BEGIN {label}-----", *pem_body(prefix, lines), f"-----END {label}-----"]) + "\n"


def gcp_json(project: str) -> str:
    key = pem("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", 10)
    return json.dumps(
        {
            "type": "service_account",
            "project_id": project,
            "private_key_id": hexstr(40),
            "private_key": key,
            "client_email": f"mlflow@{project}.iam.gserviceaccount.com",
            "client_id": pick(string.digits, 21),
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": "https://oauth2.googleapis.com/token",
        }
    )


def azure_key() -> str:
    return pick(B64, 86) + "=="


def azure_conn(account: str) -> str:
    return (
        f"DefaultEndpointsProtocol=https;AccountName={account};AccountKey={azure_key()};EndpointSuffix=core.windows.net"
    )


def sas_token() -> str:
    sig = quote(pick(B64, 43) + "=", safe="")
    return f"sv=2022-11-02&ss=b&srt=co&sp=rwdlac&se=2027-06-30T18:00:00Z&st=2026-06-01T09:00:00Z&spr=https&sig={sig}"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt() -> str:
    header = b64url(json.dumps({"alg": R.choice(["HS256", "RS256"]), "typ": "JWT"}).encode())
    claims = {
        "sub": f"svc-{pick(string.ascii_lowercase, 6)}",
        "iat": R.randint(1_700_000_000, 1_800_000_000),
        "aud": "mlflow",
    }
    payload = b64url(json.dumps(claims).encode())
    return f"{header}.{payload}.{b64url(R.randbytes(32))}"


def github() -> str:
    return R.choice(["ghp_", "gho_", "ghs_"]) + pick(ALNUM, 36)


def github_pat() -> str:
    return f"github_pat_{pick(ALNUM, 22)}_{pick(ALNUM, 59)}"


def gitlab() -> str:
    return "glpat-" + pick(ALNUM + "_-", 20)


def slack() -> str:
    return f"xoxb-{pick(string.digits, 11)}-{pick(string.digits, 13)}-{pick(ALNUM, 24)}"


def slack_webhook() -> str:
    upper = string.ascii_uppercase + string.digits
    return f"https://hooks.slack.com/services/T{pick(upper, 8)}/B{pick(upper, 10)}/{pick(ALNUM, 24)}"


def databricks() -> str:
    return "dapi" + hexstr(32)


def huggingface() -> str:
    return "hf_" + pick(string.ascii_letters, 34)


def google_api_key() -> str:
    return "AIza" + pick(ALNUM + "_-", 35)


def openai() -> str:
    return f"sk-proj-{pick(ALNUM, 24)}T3BlbkFJ{pick(ALNUM, 24)}"


def npm() -> str:
    return "npm_" + pick(ALNUM, 36)


def alibaba_id() -> str:
    return "LTAI" + pick(ALNUM, 20)


def user() -> str:
    return R.choice(["mlflow", "mlflow_app", "tracking", "svc_mlflow", "ml_platform"])


def host() -> str:
    return R.choice(
        [
            "db.internal",
            "postgres.data.svc.cluster.local",
            "mysql-primary.db",
            "10.20.0.15",
            "mlflow-db.c8xk2.eu-west-1.rds.amazonaws.com",
        ]
    )


def db_uri(scheme: str) -> str:
    if scheme.startswith("redis"):
        return f"{scheme}://:{quote(password(), safe='')}@{host()}:6379/0"
    port = {"postgresql": 5432, "mysql": 3306, "mssql": 1433, "mongodb": 27017}[scheme.split("+")[0]]
    return f"{scheme}://{user()}:{quote(password(), safe='')}@{host()}:{port}/mlflow"


def basic_auth_url() -> str:
    return f"https://{user()}:{quote(password(), safe='')}@nexus.corp.internal/repository/pypi/simple"


# --- negatives ----------------------------------------------------------------------------------

PLACEHOLDERS = [
    "changeme",
    "<password>",
    "${DB_PASSWORD}",
    "{{ .Values.global.dbPassword }}",
    "your_password",
    "REPLACE_ME",
    "xxxxxxxx",
    "<YOUR_SECRET_KEY>",
    "CHANGEME",
    "${MLFLOW_ADMIN_PASSWORD}",
    "<your-token-here>",
    '{{ required "password is required" .Values.pw }}',
]


def digest() -> str:
    return "sha256:" + hexstr(64)


# --- file builder -------------------------------------------------------------------------------


class Corpus:
    def __init__(self) -> None:
        self.positives: list[dict[str, object]] = []
        self.negatives: list[dict[str, object]] = []
        self.files: dict[str, list[str]] = {}

    def file(self, name: str, form: str) -> FileBuilder:
        lines: list[str] = []
        self.files[name] = lines
        return FileBuilder(self, name, form, lines)

    def write(self) -> None:
        for name, lines in self.files.items():
            path = HERE / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        truth = {"seed": SEED, "positives": self.positives, "negatives": self.negatives}
        (HERE / "truth.json").write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")


class FileBuilder:
    def __init__(self, corpus: Corpus, name: str, form: str, lines: list[str]) -> None:
        self.corpus, self.name, self.form, self.lines = corpus, name, form, lines

    def add(self, *lines: str) -> None:
        for line in lines:
            self.lines.extend(line.split("\n"))

    def plant(self, kind: str, *lines: str) -> None:
        """Lines holding one planted credential (its span is all of them)."""
        start = len(self.lines) + 1
        self.add(*lines)
        self.corpus.positives.append(
            {"file": self.name, "line": start, "end": len(self.lines), "kind": kind, "form": self.form}
        )

    def clean(self, kind: str, *lines: str) -> None:
        """Lines holding one negative: something a scanner might claim that is not a secret."""
        start = len(self.lines) + 1
        self.add(*lines)
        self.corpus.negatives.append(
            {"file": self.name, "line": start, "end": len(self.lines), "kind": kind, "form": self.form}
        )


def q(value: str) -> str:
    """A YAML double-quoted scalar."""
    return json.dumps(value)


def block(indent: int, text: str) -> str:
    pad = " " * indent
    return "\n".join(pad + line for line in text.rstrip("\n").split("\n"))


def uuid() -> str:
    h = hexstr(32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


AWS_EXAMPLE_ID, AWS_EXAMPLE_SECRET = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def placeholder() -> str:
    return R.choice(PLACEHOLDERS)


def yaml_placeholder() -> str:
    value = placeholder()
    return q(value) if value[0] in "<${" else value


# --- values files, one function per chart layout ------------------------------------------------


def seed(c: Corpus, n: int) -> None:
    f = c.file(f"values/seed-v2-{n}.yaml", "values")
    f.add(
        "image:",
        "  tag: v2.14.1",
        "trackingServer:",
        "  mode: no-serve-artifacts",
        "  basicAuth:",
        "    enabled: true",
        "    createSecret:",
        "      adminUsername: admin",
    )
    f.plant("named-password", f"      adminPassword: {q(password())}")
    f.plant("db-uri-postgresql", f"      databaseUri: {db_uri('postgresql')}")
    f.add("  extraArgs:", "    - --gunicorn-opts=--timeout=120")
    f.plant("db-uri-mysql", f"    - --backend-store-uri={db_uri('mysql+pymysql')}")
    f.add("backendStore:")
    if n % 2:
        f.clean("secret-name-reference", "  existingSecret: mlflow-database-backend-store-secret")
    else:
        f.add("  createSecret:")
        f.plant("db-uri-postgresql", f"    backendStoreUri: {db_uri('postgresql+psycopg2')}")
    f.add("artifactStore:", "  s3:", "    enabled: true", "    createSecret:")
    f.plant("aws-access-key-id", f"      accessKeyId: {aws_key_id()}")
    f.plant("aws-secret-access-key", f"      secretAccessKey: {aws_secret()}")
    f.clean("secret-name-reference", "    existingCaSecret: mlflow-ca-bundle")
    f.add("extraEnv:")
    f.plant("jwt", "  - name: MLFLOW_TRACKING_TOKEN", f"    value: {jwt()}")
    f.plant("databricks-token", "  - name: DATABRICKS_TOKEN", f"    value: {databricks()}")
    f.plant("env-secret-value", "  - name: MLFLOW_TRACKING_PASSWORD", f"    value: {q(password())}")
    f.add("  - name: DB_PASSWORD", "    valueFrom:", "      secretKeyRef:")
    f.clean("secretKeyRef-name", "        name: mlflow-db-credentials")
    f.clean("secretKeyRef-key", "        key: password")
    f.clean("public-url", "  - name: MLFLOW_S3_ENDPOINT_URL", "    value: https://s3.eu-west-1.amazonaws.com")
    f.clean("placeholder", "  - name: MLFLOW_TRACKING_USERNAME", f"    value: {yaml_placeholder()}")
    f.add("podAnnotations:")
    f.clean("checksum", f"  checksum/config: {hexstr(64)}")
    f.plant("slack-webhook", f"  corp/alerts-webhook: {slack_webhook()}")
    f.clean("aws-example-key", f"  corp/docs-example-key-id: {AWS_EXAMPLE_ID}")
    f.add("serviceAccount:", "  annotations:")
    f.clean("iam-role-arn", f"    eks.amazonaws.com/role-arn: arn:aws:iam::{pick(string.digits, 12)}:role/mlflow")
    if n == 1:
        f.add("trackingServer2:")  # a key the chart does not know: still scanned
        key = pem("OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAA", 6)
        f.plant("openssh-private-key", "  sshKey: |", block(4, key))


def community(c: Corpus, n: int) -> None:
    f = c.file(f"values/community-{n}.yaml", "values")
    f.add("replicaCount: 1", "image:", "  repository: burakince/mlflow")
    f.clean("image-digest", f"  digest: {digest()}")
    f.add("backendStore:", "  databaseMigration: true", "  databaseConnectionCheck: true")
    if n % 2:
        f.add(
            "  postgres:",
            "    enabled: true",
            f"    host: {host()}",
            "    port: 5432",
            "    database: mlflow",
            f"    user: {user()}",
        )
        f.plant("named-password", f"    password: {q(password())}")
    else:
        f.add(
            "  mysql:",
            "    enabled: true",
            f"    host: {host()}",
            "    port: 3306",
            "    database: mlflow",
            "    user: root",
            "    driver: pymysql",
        )
        f.plant("default-password", f"    password: {R.choice(['mlflow', 'password', 'root', 'mysql'])}")
    f.add("  existingDatabaseSecret:")
    f.clean("secret-name-reference", "    name: mlflow-db")
    f.clean("secret-key-reference", "    usernameKey: username")
    f.clean("secret-key-reference", "    passwordKey: password")
    f.add(
        "artifactRoot:",
        "  proxiedArtifactStorage: true",
        "  s3:",
        "    enabled: true",
        "    bucket: mlflow-artifacts",
        "    path: experiments",
    )
    f.plant("aws-access-key-id", f"    awsAccessKeyId: {aws_key_id()}")
    f.plant("aws-secret-access-key", f"    awsSecretAccessKey: {aws_secret()}")
    f.add("    existingSecret:")
    f.clean("secret-name-reference", "      name: mlflow-s3")
    f.clean("secret-key-reference", "      keyOfAccessKeyId: AWS_ACCESS_KEY_ID")
    f.clean("secret-key-reference", "      keyOfSecretAccessKey: AWS_SECRET_ACCESS_KEY")
    f.add("  azureBlob:", "    enabled: false", "    container: mlflow", "    storageAccount: mlflowprod")
    f.plant("azure-connection-string", f"    connectionString: {q(azure_conn('mlflowprod'))}")
    f.plant("azure-account-key", f"    accessKey: {azure_key()}")
    f.add("auth:", "  enabled: true", "  adminUsername: admin")
    if n == 1:
        f.plant("mlflow-default-admin-password", "  adminPassword: password1234")
    elif n == 2:
        f.plant("default-password", "  adminPassword: admin")
    else:
        f.plant("named-password", f"  adminPassword: {q(password())}")
    f.add("  postgres:", "    enabled: true", f"    host: {host()}", "    database: mlflow_auth", "    user: auth")
    f.plant("named-password", f"    password: {q(password())}")
    f.add("  existingAdminSecret:")
    f.clean("secret-name-reference", "    name: mlflow-admin")
    f.clean("secret-key-reference", "    passwordKey: admin-password")
    f.add("ldapAuth:", "  enabled: false", "  uri: ldap://ldap.corp.internal:389")
    f.clean("ldap-template", '  lookupBind: "uid=%s,ou=people,dc=corp,dc=internal"')
    f.plant("flask-secret-key", f"flaskServerSecretKey: {hexstr(32 if n % 2 else 64)}")
    f.add("oidcAuth:", "  enabled: false")
    f.clean("uuid-client-id", f"  clientId: {uuid()}")
    f.plant("client-secret", f"  clientSecret: {pick(ALNUM + '~._-', 40)}")
    f.add("  existingSecret:")
    f.clean("secret-key-reference", "    clientSecretKey: client-secret")
    f.add("extraEnvVars:")
    f.plant("github-token", f"  GITHUB_TOKEN: {github()}")
    f.plant("huggingface-token", f"  HF_TOKEN: {huggingface()}")
    f.plant("openai-api-key", f"  OPENAI_API_KEY: {openai()}")
    f.clean("public-url", "  MLFLOW_S3_ENDPOINT_URL: http://minio.storage.svc:9000")
    f.clean("empty-value", '  MLFLOW_TRACKING_PASSWORD: ""')
    f.clean("placeholder", f"  SMTP_PASSWORD: {yaml_placeholder()}")
    f.add("extraSecretNamesForEnvFrom:")
    f.clean("secret-name-reference", "  - mlflow-extra-credentials")
    f.add("minio:", "  enabled: true", "  rootUser: minio")
    f.plant("default-password", "  rootPassword: minioadmin")
    f.add("postgresql:", "  enabled: false", "  auth:", "    username: mlflow")
    f.plant("named-password", f"    password: {q(password())}")
    f.plant("named-password", f"    postgresPassword: {q(password())}")
    f.add("podAnnotations:")
    f.clean("checksum", f"  checksum/secret: {hexstr(64)}")
    f.clean("helm-template", "  corp/owner: '{{ .Release.Namespace }}'")


def bitnami(c: Corpus, n: int) -> None:
    f = c.file(f"values/bitnami-{n}.yaml", "values")
    f.add(
        "global:",
        "  security:",
        "    allowInsecureImages: true",
        "tracking:",
        "  enabled: true",
        "  auth:",
        "    enabled: true",
        "    username: user",
    )
    f.plant("named-password", f"    password: {q(password())}")
    f.clean("empty-value", '    existingSecret: ""')
    f.clean("secret-key-reference", "    existingSecretUserKey: admin-user")
    f.clean("secret-key-reference", "    existingSecretPasswordKey: admin-password")
    f.clean("secret-key-reference", "    existingSecretFlaskServerSecretKey: flask-server-secret-key")
    f.add("    extraOverrides:")
    f.clean("public-value", "      default_permission: READ")
    f.add("  extraArgs:")
    f.plant("db-uri-mssql", f"    - --registry-store-uri={db_uri('mssql+pymssql')}")
    f.add("  extraEnvVars:")
    f.plant("azure-sas-token", "    - name: AZURE_STORAGE_SAS_TOKEN", f"      value: {q(sas_token())}")
    f.plant("gitlab-token", "    - name: GITLAB_TOKEN", f"      value: {gitlab()}")
    f.plant("npm-token", "    - name: NPM_TOKEN", f"      value: {npm()}")
    f.clean(
        "secretKeyRef-name",
        "    - name: MLFLOW_TRACKING_PASSWORD",
        "      valueFrom:",
        "        secretKeyRef: {name: mlflow-tracking, key: admin-password}",
    )
    f.add("  podAnnotations:")
    f.clean("checksum", f"    checksum/config: {hexstr(64)}")
    f.clean("git-sha", f"    corp/git-commit: {hexstr(40)}")
    f.add("run:", "  source:", "    type: git", "    git:", "      repository: https://github.com/corp/ml-jobs.git")
    f.plant("basic-auth-url", f"      mirror: {basic_auth_url()}")
    f.add("externalDatabase:", f"  host: {host()}", "  port: 5432", "  user: bn_mlflow", "  database: bitnami_mlflow")
    if n % 2:
        f.plant("named-password", f"  password: {q(password())}")
    else:
        f.plant("default-password", "  password: mlflow")
    f.clean("secret-name-reference", "  existingSecret: mlflow-externaldb")
    f.clean("secret-key-reference", "  existingSecretPasswordKey: db-password")
    f.add("externalS3:", "  host: s3.amazonaws.com", "  port: 443", "  protocol: https", "  bucket: mlflow")
    f.plant("aws-access-key-id", f"  accessKeyID: {aws_key_id()}")
    f.plant("aws-secret-access-key", f"  accessKeySecret: {aws_secret()}")
    f.clean("secret-key-reference", "  existingSecretAccessKeyIDKey: root-user")
    f.clean("secret-key-reference", "  existingSecretKeySecretKey: root-password")
    f.add("externalAzureBlob:", "  storageAccount: mlflowprod", "  container: mlflow")
    f.clean("uuid-client-id", f"  clientId: {uuid()}")
    f.clean("uuid-tenant-id", f"  tenantId: {uuid()}")
    f.plant("client-secret", f"  clientSecret: {pick(ALNUM, 3)}8Q~{pick(ALNUM + '~._-', 34)}")
    f.add("minio:", "  enabled: true", "  auth:", "    rootUser: admin")
    f.plant("named-password", f"    rootPassword: {q(password())}")
    f.add("postgresql:", "  enabled: false", "  auth:", "    username: bn_mlflow")
    f.plant("named-password", f"    password: {q(password())}")
    f.clean("secret-key-reference", "    secretKeys:", "      userPasswordKey: password")
    f.add("image:", "  registry: docker.io", "  repository: bitnamilegacy/mlflow")
    f.clean("image-digest", f"  digest: {digest()}")


def official(c: Corpus, n: int) -> None:
    f = c.file(f"values/official-{n}.yaml", "values")
    f.add("mlflow:")
    f.plant("db-uri-postgresql", f"  backendStoreUri: {q(db_uri('postgresql'))}")
    f.add("server:", "  value_options:", "    app_name: basic-auth")
    f.clean("public-url", "    default_artifact_root: s3://mlflow-artifacts/experiments")
    f.add("  flag_options:", "    - serve-artifacts", "env:")
    f.plant("flask-secret-key", "  - name: MLFLOW_FLASK_SERVER_SECRET_KEY", f"    value: {q(hexstr(64))}")
    f.plant(
        "azure-connection-string",
        "  - name: AZURE_STORAGE_CONNECTION_STRING",
        f"    value: {q(azure_conn('mlflowstore' + str(n)))}",
    )
    f.plant("aws-access-key-id", "  - name: AWS_ACCESS_KEY_ID", f"    value: {aws_key_id('ASIA')}")
    f.plant("aws-secret-access-key", "  - name: AWS_SECRET_ACCESS_KEY", f"    value: {aws_secret()}")
    f.plant("google-api-key", "  - name: GOOGLE_API_KEY", f"    value: {google_api_key()}")
    f.clean("aws-example-key", "  - name: AWS_EXAMPLE_SECRET", f"    value: {AWS_EXAMPLE_SECRET}")
    f.clean("file-path", "  - name: GOOGLE_APPLICATION_CREDENTIALS", "    value: /var/secrets/google/key.json")
    f.clean("env-reference", "  - name: MLFLOW_TRACKING_PASSWORD", "    value: $MLFLOW_TRACKING_PASSWORD")
    f.add("envFrom:", "  - secretRef:")
    f.clean("secret-name-reference", "      name: mlflow-env")
    f.add("externalSecrets:", "  enabled: true")
    f.clean("secret-name-reference", "  secretName: mlflow-env")
    f.add("  data:")
    f.clean("secret-key-reference", "    - secretKey: MLFLOW_BACKEND_STORE_URI")
    f.add("      remoteRef:")
    f.clean("remote-reference", "        key: prod/mlflow/database")
    f.clean("secret-key-reference", "        property: password")
    f.add("serviceAccount:", "  create: true", "  annotations:")
    f.clean("iam-role-arn", "    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/mlflow")
    f.add("tls:", "  enabled: true")
    f.clean("secret-name-reference", "  secretName: mlflow-tls")
    f.add("podAnnotations:")
    f.clean("checksum", f"  checksum/config: {hexstr(64)}")


def umbrella(c: Corpus, n: int) -> None:
    f = c.file(f"values/umbrella-{n}.yaml", "values")
    f.add("global:", "  postgresql:", "    auth:")
    f.plant("named-password", f"      postgresPassword: {q(password())}")
    f.clean("secret-name-reference", "      existingSecret: platform-postgres")
    f.add(
        "mlflow:",
        "  backendStore:",
        "    postgres:",
        "      enabled: true",
        f"      host: {host()}",
        "      user: mlflow",
    )
    f.plant("named-password", f"      password: {q(password())}")
    f.add("  extraEnvVars:")
    f.plant("slack-token", f"    SLACK_BOT_TOKEN: {slack()}")
    f.plant("github-fine-grained-pat", f"    GH_PAT: {github_pat()}")
    f.plant("alibaba-access-key-id", f"    MLFLOW_OSS_KEY_ID: {alibaba_id()}")
    f.clean("placeholder", f"    MLFLOW_OSS_KEY_SECRET: {yaml_placeholder()}")
    f.add("redis:", "  auth:", "    enabled: true")
    f.plant("named-password", f"    password: {q(password())}")
    f.add("feast:", "  onlineStore:")
    f.plant("db-uri-redis", f"    connectionString: {q(db_uri('redis'))}")
    f.add("  registry:")
    f.plant("db-uri-mongodb", f"    uri: {q(db_uri('mongodb+srv').replace(':27017', ''))}")
    f.add("jobs:")
    gcp = json.dumps(json.loads(gcp_json(f"ml-platform-{n}")), indent=2)
    f.plant("gcp-service-account-key", "  serviceAccountKey: |", block(4, gcp))
    f.plant("rsa-private-key", "  sshDeployKey: |", block(4, pem("RSA PRIVATE KEY")))
    f.add("  signing:")
    f.plant("ec-private-key", f"    privateKey: {q(pem('EC PRIVATE KEY', 'MHcCAQEEI', 3))}")
    f.add("  encoded:")
    f.plant("base64-known-format", f"    gcsKeyJsonBase64: {base64.b64encode(gcp_json('ml-b64').encode()).decode()}")
    f.plant("base64-password", f"    dbPasswordBase64: {base64.b64encode(password().encode()).decode()}")
    f.add("  notifications:")
    f.clean("public-url", "    dashboard: https://grafana.corp.internal/d/mlflow")
    f.clean("uuid", f"    channelId: {uuid()}")
    f.clean("helm-template", "    apiToken: '{{ .Values.global.slackToken }}'")
    f.clean("placeholder", f"    apiKey: {yaml_placeholder()}")
    f.add("  resources:", "    limits:", "      memory: 2Gi")
    f.clean("sealed-reference", "  token: vault:secret/data/mlflow#token")


def platform(c: Corpus, n: int) -> None:
    """An umbrella of several tools beside MLflow: names in every case style, harder shapes."""
    f = c.file(f"values/platform-{n}.yaml", "values")
    f.add("grafana:", "  enabled: true", "  adminUser: admin")
    f.plant("named-password", f"  adminPassword: {q(password())}")
    f.clean("setting-about-a-secret", "  passwordPolicy: strong")
    f.add("oauth2-proxy:", "  config:")
    f.clean("uuid-client-id", f"    clientID: {uuid()}")
    f.plant("client-secret", f"    clientSecret: {pick(ALNUM, 32)}")
    f.plant("cookie-secret", f"    cookieSecret: {q(base64.b64encode(R.randbytes(32)).decode())}")
    f.clean("setting-about-a-secret", "    cookieSecretLength: 32")
    f.add("  extraArgs:")
    f.plant("gitlab-token", f"    - --gitlab-token={gitlab()}")
    f.add("airflow:", "  webserver:")
    f.plant("named-password", f"    secret_key: {q(password())}")
    f.plant("api-key-named", f"    api-key: {pick(ALNUM, 28)}")
    f.add("  connections:")
    url = f"https://{user()}:{quote(password(), safe='')}@airflow.corp.internal"
    f.plant("basic-auth-url", f"    - uri: {q(url)}")
    f.plant("db-uri-postgresql", f"    - uri: {q(db_uri('postgresql+asyncpg'))}")
    f.add("  config:")
    f.plant("integer-password", f"    smtp_password: {R.randint(10**7, 10**9)}")
    f.add("kafka:", "  sasl:", "    mechanism: SCRAM-SHA-512")
    f.plant("named-password", f"    jaasPassword: '{password()}'")
    f.clean("setting-about-a-secret", "    tokenAudience: mlflow")
    f.clean("setting-about-a-secret", "    tokenRefreshInterval: 300s")
    f.clean("file-path", "    passwordFile: /etc/kafka/secrets/password")
    f.add("notifier:")
    f.plant("bearer-token", f"  bearerToken: {pick(ALNUM, 40)}")
    f.plant("webhook-secret", f"  webhook_secret: {hexstr(40)}")
    f.plant("api-key-named", f"  API_KEY: {pick(ALNUM, 32)}")
    f.clean("secret-key-reference", "  tokenSecretKeyRef: notifier-token")
    f.clean("public-value", "  tokenType: Bearer")
    f.clean("public-value", "  secretsProvider: vault")
    f.clean("setting-about-a-secret", "  credentialsMode: irsa")
    f.clean("uuid", f"  requestId: {uuid()}")
    f.add("storage:", "  azure:")
    sas = sas_token()
    f.plant("azure-sas-token", f"    containerUrl: {q('https://mlflowprod.blob.core.windows.net/artifacts?' + sas)}")
    connection = (
        f"BlobEndpoint=https://mlflowprod.blob.core.windows.net/;AccountName=mlflowprod;AccountKey={azure_key()}"
    )
    f.plant("azure-connection-string", f"    connection: {q(connection)}")
    f.add("  git:")
    f.plant("gitlab-token", f"    remote: https://oauth2:{gitlab()}@gitlab.corp.internal/ml/models.git")
    f.clean("public-url", "    mirror: https://gitlab.corp.internal/ml/models.git")
    f.add("  ldap:")
    f.plant("named-password", f"    bindPassword: {q(password())}")
    f.clean("ldap-template", "    bindDN: cn=svc-mlflow,ou=services,dc=corp,dc=internal")
    f.add("  sessions:")
    f.plant("named-password", f"    redisPassword: {q(password())}")
    f.clean("public-value", "    redisHost: redis-master.cache.svc")
    f.clean("image-digest", f"    image: redis@{digest()}")


def ini(c: Corpus, n: int) -> None:
    f = c.file(f"ini/team-{n}/basic_auth.ini", "ini")
    f.add("[mlflow]", "default_permission = READ")
    if n % 3 == 0:
        f.clean("sqlite-uri", "database_uri = sqlite:///basic_auth.db")
    else:
        f.plant("ini-db-uri-password", f"database_uri = {db_uri('postgresql')}")
    f.add("admin_username = admin")
    if n == 2:
        f.plant("mlflow-default-admin-password", "admin_password = password1234")
    elif n == 5:
        f.clean("placeholder", "admin_password = ${MLFLOW_ADMIN_PASSWORD}")
    else:
        f.plant("ini-admin-password", f"admin_password = {password().replace('%', '')}")
    f.add("authorization_function = mlflow.server.auth:authenticate_request_basic_auth")


def manifests(c: Corpus, n: int) -> None:
    f = c.file(f"manifests/release-{n}.yaml", "manifest")
    b = lambda text: base64.b64encode(text.encode()).decode()  # noqa: E731
    f.add("apiVersion: v1", "kind: Secret", "metadata:", f"  name: mlflow-credentials-{n}", "type: Opaque", "data:")
    f.clean("public-value", f"  username: {b('mlflow')}")
    f.plant("base64-password", f"  password: {b(password())}")
    f.plant("aws-secret-access-key", f"  AWS_SECRET_ACCESS_KEY: {b(aws_secret())}")
    f.plant("aws-access-key-id", f"  AWS_ACCESS_KEY_ID: {b(aws_key_id())}")
    f.add("stringData:")
    f.plant("db-uri-postgresql", f"  MLFLOW_BACKEND_STORE_URI: {db_uri('postgresql+psycopg2')}")
    f.add("  basic_auth.ini: |", "    [mlflow]", "    default_permission = READ", "    admin_username = admin")
    f.plant("ini-admin-password", f"    admin_password = {password().replace('%', '')}")
    f.add(
        "---",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        "  name: mlflow",
        "spec:",
        "  template:",
        "    spec:",
        "      containers:",
        "        - name: mlflow",
        "          image: ghcr.io/mlflow/mlflow:v3.1.0",
        "          env:",
    )
    f.plant("env-secret-value", "            - name: MLFLOW_TRACKING_TOKEN", f"              value: {q(password())}")
    f.plant("huggingface-token", "            - name: HUGGING_FACE_HUB_TOKEN", f"              value: {huggingface()}")
    f.add("            - name: PGPASSWORD", "              valueFrom:", "                secretKeyRef:")
    f.clean("secretKeyRef-name", f"                  name: mlflow-credentials-{n}")
    f.clean("secretKeyRef-key", "                  key: password")
    f.add("---", "apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: mlflow-env", "data:")
    f.clean("public-url", "  MLFLOW_S3_ENDPOINT_URL: https://s3.eu-central-1.amazonaws.com")
    f.clean("checksum", f"  CONFIG_SHA256: {hexstr(64)}")
    f.plant("slack-webhook", f"  ALERT_WEBHOOK: {slack_webhook()}")
    f.add(
        "---",
        "apiVersion: bitnami.com/v1alpha1",
        "kind: SealedSecret",
        "metadata:",
        "  name: mlflow-sealed",
        "spec:",
        "  encryptedData:",
    )
    f.clean("sealed-ciphertext", f"    password: AgB{pick(B64, 180)}==")
    f.add(
        "---",
        "apiVersion: v1",
        "kind: Secret",
        "metadata:",
        f"  name: mlflow-tls-{n}",
        "type: kubernetes.io/tls",
        "data:",
    )
    f.clean("certificate", f"  tls.crt: {b(pem('CERTIFICATE', 'MIIDdzCCAl+gAwIBAgIU', 6))}")
    f.plant("base64-known-format", f"  tls.key: {b(pem('PRIVATE KEY', 'MIIEvgIBADANBgkqhkiG9w0BAQEFAASC', 8))}")
    f.add("---", "apiVersion: v1", "kind: Secret", "metadata:", "  name: registry", "type: Opaque", "stringData:")
    f.clean("placeholder", f"  password: {yaml_placeholder()}")
    f.clean("empty-value", '  token: ""')
    f.plant("jwt", f"  token-live: {jwt()}")


def set_flags(c: Corpus) -> None:
    base = c.file("sets/base.yaml", "set")
    base.add("image:", "  tag: v2.14.1")
    f = c.file("sets/flags.txt", "set")
    f.plant("named-password", f"--set backendStore.postgres.password={password()}")
    f.plant("aws-secret-access-key", f"--set artifactRoot.s3.awsSecretAccessKey={aws_secret()}")
    f.plant("aws-access-key-id", f"--set artifactRoot.s3.awsAccessKeyId={aws_key_id()}")
    f.plant("github-token", f"--set extraEnvVars.GITHUB_TOKEN={github()}")
    f.clean("placeholder", "--set auth.adminPassword=changeme")
    f.clean("secret-key-reference", "--set backendStore.existingDatabaseSecret.passwordKey=password")
    f.plant("db-uri-postgresql", f"--set mlflow.backendStoreUri={db_uri('postgresql')}")
    f.clean("image-digest", f"--set image.digest={digest()}")
    f.plant("databricks-token", f"--set extraEnvVars.DATABRICKS_TOKEN={databricks()}")
    f.plant("flask-secret-key", f"--set flaskServerSecretKey={hexstr(64)}")
    f.clean("secret-name-reference", "--set externalDatabase.existingSecret=mlflow-externaldb")
    f.plant("named-password", f"--set-string tracking.auth.password={password()}")
    f.plant("default-password", "--set-string minio.auth.rootPassword=minioadmin")
    f.clean("empty-value", "--set-string externalDatabase.password=")
    f.plant("gitlab-token", f"--set-string extraEnvVars.CI_JOB_TOKEN={gitlab()}")
    f.clean("env-reference", "--set-string tracking.auth.password=$(ADMIN_PASSWORD)")


def main() -> None:
    corpus = Corpus()
    for n in range(1, 5):
        seed(corpus, n)
        community(corpus, n)
        bitnami(corpus, n)
    for n in range(1, 4):
        official(corpus, n)
        manifests(corpus, n)
    for n in range(1, 3):
        umbrella(corpus, n)
        platform(corpus, n)
    for n in range(1, 7):
        ini(corpus, n)
    set_flags(corpus)
    corpus.write()
    kinds = {p["kind"] for p in corpus.positives}
    print(f"{len(corpus.positives)} planted credentials of {len(kinds)} kinds, {len(corpus.negatives)} negatives")


if __name__ == "__main__":
    main()
