"""Options `mlflow server` passes through to gunicorn (`--gunicorn-opts`) and uvicorn (`--uvicorn-opts`).

MLflow splits the option's value with `shlex.split` and puts the words on the server's own command line
(`gunicorn <opts> -b host:port -w N app`, `uvicorn <opts> --host ... app`); the server then parses them
and exits on a word it does not take. Tables below: the option names and value types of gunicorn
21.2.0, 22.0.0, 23.0.0 and 26.2.0 (`gunicorn.config.KNOWN_SETTINGS`, the union: which one an image holds
is not known offline) and of uvicorn 0.55.0 (`uvicorn.main.main`'s click options), the versions the
oracle tier's MLflow venvs (2.10.0, 2.14.1, 2.22.5, 3.17.2) resolved. gunicorn reads its argv with
argparse, which also takes an unambiguous prefix of a long option; uvicorn uses click, which does not.
"""

from __future__ import annotations

_GUNICORN_STR = (
    "--access-logfile --access-logformat --asgi-lifespan --asgi-loop --bind --ca-certs --certfile --chdir --ciphers "
    "--config --control-socket --dirty-app --dogstatsd-tags --env --error-logfile --forwarded-allow-ips "
    "--forwarder-headers --group --header-map --http-parser --http-protocols --http2-cleartext --keyfile --log-config "
    "--log-config-json --log-file --log-level --log-syslog-facility --log-syslog-prefix --log-syslog-to "
    "--logger-class --name --paste --paste-global --paster --pid --protocol --proxy-allow-from --pythonpath "
    "--reload-engine --reload-extra-file --root-path --ssl-version --statsd-host --statsd-prefix --user "
    "--uwsgi-allow-from --worker-class --worker-tmp-dir -b -c -e -g -k -n -p -u"
)
_GUNICORN_INT = (
    "--asgi-disconnect-grace-period --backlog --cert-reqs --control-socket-mode --dirty-graceful-timeout "
    "--dirty-threads --dirty-timeout --dirty-workers --graceful-timeout --http2-initial-window-size "
    "--http2-max-concurrent-streams --http2-max-frame-size --http2-max-header-list-size --keep-alive "
    "--limit-request-field_size --limit-request-fields --limit-request-line --max-requests --max-requests-jitter "
    "--threads --timeout --umask --worker-connections --workers -m -t -w"
)
_GUNICORN_FLAG = (
    "--capture-output --casefold-http-method --check-config --daemon --disable-redirect-access-to-syslog "
    "--do-handshake-on-connect --enable-backlog-metric --enable-stdio-inheritance --initgroups --log-syslog "
    "--no-control-socket --no-sendfile --permit-obsolete-folding --permit-unconventional-http-method "
    "--permit-unconventional-http-version --preload --print-config --reload --reuse-port --spew "
    "--strip-header-spaces --suppress-ragged-eofs -D -R"
)
_UVICORN_FLAG = (
    "--access-log --date-header --factory --http2 --no-access-log --no-date-header --no-proxy-headers "
    "--no-server-header --no-use-colors --proxy-headers --reload --reset-contextvars --server-header --use-colors "
    "--version"
)
_UVICORN_STR = (
    "--app-dir --env-file --forwarded-allow-ips --header --host --http --log-config --loop --reload-dir "
    "--reload-exclude --reload-include --root-path --ssl-ca-certs --ssl-certfile --ssl-ciphers --ssl-keyfile "
    "--ssl-keyfile-password --uds --ws --ws-per-message-deflate"
)
_UVICORN_INT = (
    "--backlog --fd --h11-max-incomplete-event-size --limit-concurrency --limit-max-requests "
    "--limit-max-requests-jitter --port --ssl-cert-reqs --ssl-version --timeout-graceful-shutdown "
    "--timeout-keep-alive --timeout-worker-healthcheck --workers --ws-max-queue --ws-max-size"
)


def _table(**groups: str) -> dict[str, str]:
    return {name: kind for kind, names in groups.items() for name in names.split()}


# option -> "str" | "int" | "float" | "flag" | "any" (a flag or a value) | "choice:a,b,c"
GUNICORN: dict[str, str] = {
    **_table(str=_GUNICORN_STR, int=_GUNICORN_INT, flag=_GUNICORN_FLAG),
    "--proxy-protocol": "any",
}  # a flag up to 23.0.0, takes a value in 26.2.0
UVICORN: dict[str, str] = {
    **_table(flag=_UVICORN_FLAG, str=_UVICORN_STR, int=_UVICORN_INT),
    "--reload-delay": "float",
    "--ws-ping-interval": "float",
    "--ws-ping-timeout": "float",
    "--interface": "choice:auto,asgi3,asgi2,wsgi",
    "--lifespan": "choice:auto,on,off",
    "--log-level": "choice:critical,error,warning,info,debug,trace",
}
SERVERS = {"--gunicorn-opts": ("gunicorn", GUNICORN, True), "--uvicorn-opts": ("uvicorn", UVICORN, False)}


def problems(option: str, value: str) -> list[str]:
    """Why gunicorn/uvicorn would refuse the words of `--gunicorn-opts`/`--uvicorn-opts` (empty: fine)."""
    import shlex  # only when a pass-through option is given

    server, table, prefixes = SERVERS[option]
    try:
        words = shlex.split(value)
    except ValueError:
        return ["MLflow cannot split it into words (unbalanced quotes or a trailing backslash)"]
    out: list[str] = []
    index = 0
    while index < len(words):
        index, problem = _read_word(words, index, server, table, prefixes)
        if problem:
            out.append(problem)
    return out


def _read_word(words: list[str], index: int, server: str, table: dict[str, str], prefixes: bool) -> tuple[int, str]:
    """Read the option at `index` (and its value): the next index, and what is wrong ("" if nothing).

    Only option names from the tables are quoted; the user's words are referred to by position.
    """
    word = words[index]
    index += 1
    where = f"word {index}"
    if not word.startswith("-") or word == "-":
        return index, f"{where} is not an option; {server} refuses extra arguments"
    if word.startswith("--"):
        name, sep, inline = word.partition("=")
    else:  # `-t 120`, `-t120`
        name, inline = word[:2], word[2:]
        sep = "=" if inline else ""
    known = _resolve(name, table, prefixes)
    if known is None:
        return index, f"{where} is not an option {server} knows"
    kind = table[known]
    if kind in ("flag", "any"):
        return index, (f"{server}'s `{known}` takes no value" if sep and kind == "flag" else "")
    if not sep:
        if index >= len(words):
            return index, f"{server}'s `{known}` needs a value"
        inline, index = words[index], index + 1
    problem = _value_problem(kind, inline)
    return index, (f"{server}'s `{known}` {problem}" if problem else "")


def _resolve(name: str, table: dict[str, str], prefixes: bool) -> str | None:
    if name in table:
        return name
    if prefixes and name.startswith("--") and len(name) > 2:
        matches = [known for known in table if known.startswith(name)]
        if len(matches) == 1:
            return matches[0]
    return None


def _value_problem(kind: str, value: str) -> str:
    if kind == "int":
        try:
            int(value, 0) if value.strip().lower().startswith(("0x", "0o", "0b")) else int(value)
        except ValueError:
            return "takes an integer"
    elif kind == "float":
        try:
            float(value)
        except ValueError:
            return "takes a number"
    elif kind.startswith("choice:") and value not in kind[7:].split(","):
        return f"takes one of {kind[7:].replace(',', ', ')}"
    return ""
