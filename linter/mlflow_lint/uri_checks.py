"""What is wrong with a backend-store or artifact URI, the way `mlflow server` would see it.

Pure functions over one URI (and the MLflow version): they return problem texts, the rules
decide where to report them. Facts: backend stores 10.1/10.2 (`mlflow/utils/uri.py`,
`mlflow/store/db/db_types.py`), artifact schemes 9.1 (`artifact_repository_registry.py`).
Messages never quote a URI unredacted.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mlflow_lint.uris import DB_DIALECTS, parse_artifact_uri, parse_db_uri
from mlflow_lint.versions import MlflowVersion

CLIENT_ONLY = ("http", "https", "databricks", "databricks-uc")
# scheme -> (first MLflow version that registers it, or None for "all versions checked")
SCHEMES: dict[str, tuple[int, int, int] | None] = {
    "": None,
    "file": None,
    "s3": None,
    "gs": None,
    "wasbs": None,
    "ftp": None,
    "sftp": None,
    "hdfs": None,
    "viewfs": None,
    "http": None,
    "https": None,
    "mlflow-artifacts": None,
    "r2": None,
    "dbfs": None,
    "runs": None,
    "models": None,
    "abfss": (2, 22, 0),
    "b2": (3, 12, 0),
    "oss": None,  # plugin aliyunstoreplugin (mlflow[aliyun-oss]); not part of MLflow itself
}
WASBS_HOSTS: tuple[tuple[str, tuple[int, int, int] | None], ...] = (
    ("blob.core.windows.net", None),
    ("blob.core.chinacloudapi.cn", None),
    ("blob.core.usgovcloudapi.net", (3, 12, 0)),
)
FormCheck = Callable[[str, MlflowVersion], list[str]]
_AT_HOST = r"^(?P<name>[^@/]+)@(?P<host>[^/]+)$"  # compiled by `re` when a wasbs/abfss-like URI is checked


def is_placeholder(text: str) -> bool:
    """`<bucket>`-style template text: the placeholder rules report it, the URI rules skip it."""
    return "<" in text or ">" in text


def backend_kind(uri: str) -> str:
    """ "file" (FileStore path), "db" (SQLAlchemy), "client" (a client-only tracking URI) or "other"."""
    scheme = uri.split(":", 1)[0].lower() if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", uri) else ""
    if scheme in CLIENT_ONLY or uri.lower() in ("databricks", "databricks-uc"):
        return "client"
    if scheme in ("", "file"):
        return "file"
    return "db" if "://" in uri else "other"


def db_uri_problems(uri: str) -> list[str]:
    """Why SQLAlchemy/MLflow would reject this database URI (empty list: fine)."""
    parsed = parse_db_uri(uri)
    if parsed is None:
        return ["it has no `dialect://` part (expected `<dialect>[+<driver>]://...`)"]
    if parsed.plus_count > 1:
        return [f'scheme `{parsed.scheme}` has more than one `+`; MLflow refuses it ("Invalid database URI")']
    if parsed.dialect not in DB_DIALECTS:
        return [f"dialect `{parsed.dialect}` is not one MLflow supports ({', '.join(DB_DIALECTS)})"]
    if parsed.is_sqlite:
        return []
    out = []
    if not parsed.host and not _socket_in_query(parsed.query):
        out.append("it names no database host (nor a Unix socket: `?host=/run/postgresql`, `?unix_socket=...`)")
    if not parsed.database:
        out.append("it names no database (`.../<database>`)")
    if parsed.port_text and not (parsed.port_text.isdigit() and 0 < int(parsed.port_text) < 65536):
        out.append("its port is not a number between 1 and 65535")
    return out


def _socket_in_query(query: str) -> bool:
    """A Unix-socket connection: PostgreSQL `?host=/var/run/postgresql` (libpq, psycopg2 and psycopg), MySQL
    `?unix_socket=/path` (PyMySQL, mysqlclient). MLflow 2.10.0-3.17.2 create their stores through it
    (checked by the oracle tier on a real PostgreSQL socket)."""
    from urllib.parse import parse_qs

    fields = parse_qs(query)
    return any(value.startswith("/") for key in ("host", "unix_socket") for value in fields.get(key, []))


def sqlite_path(uri: str) -> str | None:
    """The file a sqlite URI names (`:memory:` or "" for in-memory), None if not sqlite."""
    parsed = parse_db_uri(uri)
    if parsed is None or not parsed.is_sqlite:
        return None
    return parsed.sqlite_path()


def scheme_of(uri: str) -> str:
    return parse_artifact_uri(uri).scheme


def _registered(scheme: str, mlflow: MlflowVersion) -> bool:
    since = SCHEMES.get(scheme)
    return since is None or mlflow.at_least(*since)


def scheme_problem(scheme: str, mlflow: MlflowVersion) -> str:
    """Why this MLflow version has no artifact repository for `scheme` ("" if it has one)."""
    if scheme not in SCHEMES:
        known = ", ".join(f"{s}:" for s in sorted(SCHEMES) if s and _registered(s, mlflow))
        return f"no artifact repository is registered for scheme `{scheme}` in {mlflow.describe()} (known: {known})"
    since = SCHEMES[scheme]
    if since and not mlflow.at_least(*since):
        return (
            f"`{scheme}://` is registered from MLflow {'.'.join(map(str, since))}; "
            f"this release runs {mlflow.describe()}"
        )
    return ""


def artifact_uri_problems(uri: str, role: str, mlflow: MlflowVersion) -> list[str]:
    """Problems of `uri` as a server's default artifact root (role "root") or destination."""
    parsed = parse_artifact_uri(uri)
    problem = scheme_problem(parsed.scheme, mlflow)
    if problem:
        return [problem]
    if parsed.scheme in ("runs", "models"):
        return [
            f"`{parsed.scheme}:` URIs are logical references that resolve to another location; "
            "they cannot be a server's artifact root or destination"
        ]
    if parsed.scheme == "mlflow-artifacts" and role == "destination":
        return [
            "`mlflow-artifacts:` as the artifacts destination makes the server proxy to itself; "
            "the destination must be real storage (s3://, gs://, a mounted path...)"
        ]
    checker = _FORM_CHECKS.get(parsed.scheme)
    return checker(parsed.netloc, mlflow) if checker else []


def _needs_bucket(word: str, example: str) -> FormCheck:
    def check(netloc: str, mlflow: MlflowVersion) -> list[str]:
        return [] if netloc else [f"it names no {word}; the form is `{example}`"]

    return check


def _wasbs(netloc: str, mlflow: MlflowVersion) -> list[str]:
    match = re.match(_AT_HOST, netloc)
    form = "`wasbs://<container>@<account>.blob.core.windows.net/<path>`"
    if not match:
        return [f'it does not have the form {form}; MLflow raises "WASBS URI must be of the form ..."']
    host = match["host"].lower()
    for suffix, since in WASBS_HOSTS:
        if host.endswith("." + suffix) and host.count(".") == suffix.count(".") + 1:
            if since and not mlflow.at_least(*since):
                return [
                    f"host suffix `{suffix}` is accepted from MLflow {'.'.join(map(str, since))}; "
                    f"this release runs {mlflow.describe()}"
                ]
            return []
    allowed = ", ".join(s for s, since in WASBS_HOSTS if since is None or mlflow.at_least(*since))
    return [f"host `{host}` is not `<account>.` followed by an allowed suffix ({allowed}) for {mlflow.describe()}"]


def _at_host(scheme: str, example: str, suffix: str = "") -> FormCheck:
    def check(netloc: str, mlflow: MlflowVersion) -> list[str]:
        match = re.match(_AT_HOST, netloc)
        if not match or (suffix and not match["host"].lower().endswith(suffix)):
            return [f"it does not have the form `{example}`"]
        return []

    return check


def _abfss(netloc: str, mlflow: MlflowVersion) -> list[str]:
    """`abfss://<filesystem>@<account>.<domain suffix>`: MLflow (2.22.0 to 3.17.2 checked) takes ANY suffix
    (`re.match(r"([^@]+)@([^.]+)\\.(.*)", netloc)` in `_parse_abfss_uri`), so sovereign clouds
    (`dfs.core.chinacloudapi.cn`, `dfs.core.usgovcloudapi.net`) and private endpoints work."""
    if not re.match(r"^[^@]+@[^.@]+\.", netloc):
        return [
            "it does not have the form `abfss://<filesystem>@<account>.<domain suffix>/<path>` "
            "(e.g. `fs@account.dfs.core.windows.net`)"
        ]
    return []


def _ftp(netloc: str, mlflow: MlflowVersion) -> list[str]:
    host = netloc.rpartition("@")[2]
    return [] if host else ["it names no FTP host (`ftp://<user>@<host>/<path>`)"]


_FORM_CHECKS: dict[str, FormCheck] = {
    "s3": _needs_bucket("bucket", "s3://<bucket>/<path>"),
    "gs": _needs_bucket("bucket", "gs://<bucket>/<path>"),
    "oss": _needs_bucket("bucket", "oss://<bucket>/<path>"),
    "wasbs": _wasbs,
    "abfss": _abfss,
    "r2": _at_host("r2", "r2://<bucket>@<account-id>.r2.cloudflarestorage.com/<path>", ".r2.cloudflarestorage.com"),
    "b2": _at_host("b2", "b2://<bucket>@s3.<region>.backblazeb2.com/<path>", ".backblazeb2.com"),
    "ftp": _ftp,
}
