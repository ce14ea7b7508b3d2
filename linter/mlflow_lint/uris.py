"""Parsing of the URIs MLflow reads: database URIs (SQLAlchemy) and artifact locations.

Shared by the rules, the basic_auth.ini checks and the probes, so that every part of the
linter reads a URI the same way MLflow does (`mlflow/utils/uri.py`,
`mlflow/store/db/db_types.py`, `mlflow/store/artifact/artifact_repository_registry.py`).
Parsed objects never expose the password in their `redacted()` form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import SplitResult, unquote, urlsplit

from mlflow_lint.records import NamedTuple

DB_DIALECTS = ("sqlite", "postgresql", "mysql", "mssql")
MASK = "****"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


class DbUri(NamedTuple):
    """A SQLAlchemy URL split into its parts (`dialect[+driver]://user:pw@host:port/db?q`)."""

    raw: str
    scheme: str
    dialect: str
    driver: str
    username: str
    password: str
    host: str
    port: int | None
    database: str
    query: str
    plus_count: int
    port_text: str = ""

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def redacted(self) -> str:
        """The URI with the password replaced by ****."""
        return redact(self.raw)

    def sqlite_path(self) -> str:
        """The file path of a sqlite URI (`sqlite:///rel.db` -> `rel.db`, 4 slashes -> `/abs`)."""
        rest = self.raw.split("://", 1)[1] if "://" in self.raw else ""
        return rest[1:].split("?", 1)[0] if rest.startswith("/") else rest.split("?", 1)[0]


def _split(uri: str) -> SplitResult:
    """urlsplit, which raises ValueError on an unbalanced `[` in the host (`s3://[bucket`): then
    the host is the text up to the next `/`, as a URI without brackets would have it."""
    try:
        return urlsplit(uri)
    except ValueError:
        scheme, _, rest = uri.partition("://")
        netloc, slash, path = rest.partition("/")
        path, _, query = (slash + path).partition("?")
        return SplitResult(scheme, netloc, path, query, "")


def parse_db_uri(uri: str) -> DbUri | None:
    """Parse a database URI; None when it has no `scheme://` at all."""
    if "://" not in uri:
        return None
    scheme, _, rest = uri.partition("://")
    dialect, _, driver = scheme.partition("+")
    # SQLAlchemy's scheme is `\w+` joined by `+` (`mysql+my_driver`); urlsplit takes no `_` in a scheme
    # and would then see no host at all, so the rest is split under a neutral scheme.
    parts = _split("db://" + rest)
    netloc = parts.netloc
    userinfo, _, hostport = netloc.rpartition("@")
    username, _, password = userinfo.partition(":")
    host, port_text = _split_host_port(hostport)
    port = int(port_text) if port_text.isdigit() else None
    return DbUri(
        raw=uri,
        scheme=scheme,
        dialect=dialect.lower(),
        driver=driver.lower(),
        username=unquote(username),
        password=unquote(password),
        host=host,
        port=port,
        database=parts.path.lstrip("/") if dialect != "sqlite" else parts.path,
        query=parts.query,
        plus_count=scheme.count("+"),
        port_text=port_text,
    )


def _split_host_port(hostport: str) -> tuple[str, str]:
    if hostport.startswith("["):  # [::1]:5432
        host, _, rest = hostport[1:].partition("]")
        return host, rest.lstrip(":")
    host, _, port = hostport.partition(":")
    return host, port


class ArtifactUri(NamedTuple):
    """An artifact root or destination: scheme ('' for a plain path), host part and path."""

    raw: str
    scheme: str
    netloc: str
    path: str
    username: str
    password: str

    @property
    def is_local(self) -> bool:
        return self.scheme in ("", "file")

    def redacted(self) -> str:
        return redact(self.raw)


def parse_artifact_uri(uri: str) -> ArtifactUri:
    """Split an artifact location the way MLflow's registry picks a repository."""
    match = _SCHEME.match(uri)
    if not match or len(match[1]) == 1:  # `C:` is a Windows drive, not a scheme
        return ArtifactUri(uri, "", "", uri, "", "")
    parts = _split(uri)
    userinfo, _, _ = parts.netloc.rpartition("@")
    username, _, password = userinfo.partition(":")
    return ArtifactUri(uri, match[1].lower(), parts.netloc, parts.path, unquote(username), unquote(password))


# `scheme://user:password@`. The password runs to the LAST `@` of the authority (which ends at
# `/`, `?`, `#` or the line's end), as MLflow and urllib split it: `ftp://u:p@ss@host` has the
# password `p@ss`, and a space does not end it either (`postgresql://u:pass word@db`). The
# scheme is bounded (real ones are under 25 characters) and the search runs line by line up
# to each line's last `@`: a plain regex search is quadratic on hostile strings (a 200 KB
# value without `://` took 30 s per detector); `/` ends every password, so no attempt scans
# past the next `://`.
_USERINFO = re.compile(
    r"(?P<head>[A-Za-z][A-Za-z0-9+.-]{0,63}://[^:/@\s]*:)(?P<pw>[^/?#\n\r]*?)(?P<at>@)(?=[^@/?#\n\r]*(?:[/?#\n\r]|$))"
)
_TOKEN = re.compile(r"[^\n\r]+")


class _UserinfoPattern:
    """`finditer`/`sub` of the userinfo regex in linear time; the same matches as `re` gives."""

    pattern = _USERINFO.pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if "://" not in text or "@" not in text:
            return
        for token in _TOKEN.finditer(text):
            start, end = token.span()
            last_at = text.rfind("@", start, end)
            # Every match lies inside one token and ends at an `@`: with `endpos` after the
            # last one, each attempt that reaches the password finds its `@` and succeeds.
            if last_at > start and text.find("://", start, last_at) >= 0:
                yield from _USERINFO.finditer(text, start, last_at + 1)

    def sub(self, repl: Callable[[re.Match[str]], str], text: str) -> str:
        pieces: list[str] = []
        done = 0
        for match in self.finditer(text):
            pieces += [text[done : match.start()], repl(match)]
            done = match.end()
        return "".join(pieces) + text[done:]


USERINFO_PASSWORD = _UserinfoPattern()


def raw_passwords(text: str) -> list[str]:
    """Every URI password in `text`, both as written (percent-encoded) and decoded."""
    out: list[str] = []
    for match in USERINFO_PASSWORD.finditer(text):
        if match["pw"]:
            out.extend({match["pw"], unquote(match["pw"])})
    return out


def redact(text: str) -> str:
    """Replace the password of every URI in `text` with ****."""
    return USERINFO_PASSWORD.sub(lambda m: m["head"] + MASK + m["at"], text)
