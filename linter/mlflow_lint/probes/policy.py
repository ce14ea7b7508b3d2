"""The credential policy of the probes: whose credentials go where.

- Credentials the configuration supplies (values, `--secrets` manifests, literal `extraEnv`,
  a password inside a URI) are used towards the endpoint the configuration names: whoever
  wrote the values already holds them.
- The machine's own credentials (cloud SDK variables, credential files such as ~/.aws or
  ~/.pgpass, SSH keys and agents, workload identity) are used only with
  `--probe-ambient-credentials`, and then only towards the provider's own endpoints (each
  probe's declared `provider_hosts`) or a host also named with `--probe-allow-host` on the command
  line. Without the flag such a probe is skipped, and says why.
- Link-local and cloud-metadata addresses are never contacted (`guard`), whichever
  credentials are involved; so instance-metadata credentials are never used.

`--probe-plan` shows every connection a probe would open (host:port, TLS) and the source of
the credentials it would send.
"""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import urlsplit

from mlflow_lint.probes import declaration
from mlflow_lint.probes.base import ProbeOptions, Target
from mlflow_lint.records import NamedTuple
from mlflow_lint.uris import parse_db_uri

AMBIENT_FLAG = "--probe-ambient-credentials"
DB_PORTS = {"postgresql": 5432, "mysql": 3306, "mssql": 1433}


class Endpoint(NamedTuple):
    """One connection a probe opens."""

    host: str
    port: int
    tls: str  # "yes", "no", or how it is decided ("if the server offers it")

    def show(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port} (TLS: {self.tls})"


def allow_hosts(values: list[str]) -> frozenset[str] | str:
    """The --probe-allow-host entries, lower-cased; an error text for a malformed one."""
    out: set[str] = set()
    for value in values:
        host, port = _host_port(value.strip().lower())
        if not host or (port and not port.isdigit()):
            return f"--probe-allow-host: `{value}` is not HOST or HOST:PORT"
        out.add(f"{host}:{port}" if port else host)
    return frozenset(out)


def _host_port(text: str) -> tuple[str, str]:
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, rest.lstrip(":")
    if text.count(":") > 1:  # a bare IPv6 address
        return text, ""
    host, _, port = text.partition(":")
    return host, port


def endpoints(target: Target) -> list[Endpoint]:
    """Every connection the probe of `target` would open, as far as the values tell."""
    settings = target.settings
    if target.probe in ("database", "auth_db"):
        db = parse_db_uri(target.uri)
        if db is None or db.is_sqlite:
            return []
        tls = _db_tls(db.dialect, db.query)
        return [Endpoint(db.host or "localhost", db.port or DB_PORTS.get(db.dialect, 0), tls)]
    if target.probe == "s3":
        custom = settings.get("MLFLOW_S3_ENDPOINT_URL", "")
        if custom:
            return [_url_endpoint(custom)]
        region = settings.get("AWS_DEFAULT_REGION") or settings.get("AWS_REGION") or ""
        return [Endpoint(f"s3.{region}.amazonaws.com" if region else "s3.amazonaws.com", 443, "yes")]
    if target.probe == "gcs":
        return _gcs(target)
    if target.probe == "azure_blob":
        return _azure(target)
    if target.probe == "oss":
        custom = settings.get("MLFLOW_OSS_ENDPOINT_URL", "")
        return [_url_endpoint(custom if "://" in custom else f"https://{custom}")] if custom else []
    if target.probe in ("ftp", "sftp", "hdfs"):
        parts = urlsplit(target.uri)
        default, tls = {"ftp": (21, "no"), "sftp": (22, "SSH"), "hdfs": (8020, "no")}[target.probe]
        return [Endpoint(parts.hostname or "localhost", _port(parts) or default, tls)] if parts.hostname else []
    return []


def _port(parts: object) -> int | None:
    try:
        return parts.port  # type: ignore[attr-defined]
    except ValueError:
        return None


def _db_tls(dialect: str, query: str) -> str:
    mode = dict(p.partition("=")[::2] for p in query.split("&") if p).get("sslmode", "")
    if dialect == "postgresql":
        if mode in ("require", "verify-ca", "verify-full"):
            return f"yes (sslmode={mode})"
        return "no" if mode == "disable" else "if the server offers it (sslmode=prefer)"
    return "no" if dialect == "mysql" else "as the driver decides"


def _url_endpoint(url: str) -> Endpoint:
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    return Endpoint(parts.hostname or url, _port(parts) or (443 if secure else 80), "yes" if secure else "no")


def _gcs(target: Target) -> list[Endpoint]:
    emulator = target.settings.get("STORAGE_EMULATOR_HOST", "")
    storage = (
        _url_endpoint(emulator if "://" in emulator else f"http://{emulator}")
        if emulator
        else Endpoint("storage.googleapis.com", 443, "yes")
    )
    token = Endpoint("oauth2.googleapis.com", 443, "yes")
    key = target.secrets.get("keyfile.json", "")
    if key:
        try:
            uri = json.loads(key).get("token_uri", "")
        except (ValueError, AttributeError):
            uri = ""
        token = _url_endpoint(uri) if isinstance(uri, str) and "://" in uri else token
    elif emulator and not target.ambient:
        return [storage]  # anonymous, as against an emulator
    return [token, storage]


def _azure(target: Target) -> list[Endpoint]:
    conn = target.secrets.get("AZURE_STORAGE_CONNECTION_STRING", "")
    fields = dict(part.partition("=")[::2] for part in conn.split(";") if "=" in part)
    if fields.get("BlobEndpoint"):
        return [_url_endpoint(fields["BlobEndpoint"])]
    rest = target.uri.split("@", 1)[1] if "@" in target.uri else ""
    host = rest.split("/", 1)[0]
    out = [Endpoint(host, 443, "yes")] if host else []
    if target.ambient:
        out.insert(0, Endpoint("login.microsoftonline.com", 443, "yes"))
    return out


def apply(targets: list[Target], options: ProbeOptions) -> list[Target]:
    """Targets the policy refuses get `skip` (and `refused`): nothing is contacted for them."""
    return [_decide(t, options) for t in targets]


def _decide(target: Target, options: ProbeOptions) -> Target:
    if target.skip or not target.ambient:
        return target
    if not options.ambient:
        return replace(
            target,
            refused=True,
            skip=(
                "the values give this store no credentials, so the probe would use this machine's own "
                f"(environment, credential files, keys); it does so only with {AMBIENT_FLAG}"
            ),
        )
    outside = [e for e in endpoints(target) if not _allowed(e, target.probe, options.allow_hosts)]
    if outside:
        names = ", ".join(f"{e.host}:{e.port}" for e in outside)
        return replace(
            target,
            refused=True,
            skip=(
                f"this machine's own credentials go only to the provider's endpoints or to a host named with "
                f"--probe-allow-host; {names} is neither"
            ),
        )
    return target


def _allowed(endpoint: Endpoint, probe: str, allowed: frozenset[str]) -> bool:
    host = endpoint.host.lower().rstrip(".")
    if host in allowed or f"{host}:{endpoint.port}" in allowed:
        return True
    suffixes = declaration(probe).provider_hosts  # the provider's own endpoints, as the probe declares them
    return any(host.endswith(suffix) or host == suffix.lstrip(".") for suffix in suffixes)


def describe(target: Target) -> str:
    """For --probe-plan: every connection and the credential source."""
    found = endpoints(target)
    where = "; ".join(e.show() for e in found) if found else "no network connection"
    return f"connects to {where}; credentials: {target.credentials or 'none'}"
