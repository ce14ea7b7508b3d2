"""MLF313: passwords written in a committed basic_auth.ini (a file given on the command line).

Only INI files the user passed are judged here: the INI the chart renders from the values is
the values' business (MLF301), and one inside a Secret manifest is judged with the manifest.
Every option of the file is read, not only MLflow's: `admin_password`, the password in
`database_uri`/`read_database_uri`, and any other option whose name says it holds a secret.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_lint import auth_ini
from mlflow_lint.finding import Hit
from mlflow_lint.secrets import detectors, judge
from mlflow_lint.secrets.auditor import MLFLOW_DEFAULT_PASSWORD

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context
    from mlflow_lint.ini_parse import Option

HINT = (
    "keep basic_auth.ini in a Secret named by `trackingServer.basicAuth.existingSecret` (or, from MLflow "
    "3.17.2, give the admin credentials as MLFLOW_AUTH_ADMIN_USERNAME/MLFLOW_AUTH_ADMIN_PASSWORD from a "
    "Secret) and commit a template without the password"
)


def ini_passwords(ctx: Context) -> Iterator[Hit]:
    for source in auth_ini.sources(ctx):
        if source.origin != "file":
            continue
        for key, option in source.options.items():
            value = source.value(key)
            if value is None:
                value = option.value
            yield from _judge(source, key, option, value)


def _judge(source: auth_ini.IniSource, key: str, option: Option, value: str) -> Iterator[Hit]:
    text = value.strip()
    if judge.ignorable(text):
        return
    if "://" in text:
        if any(d.kind == "uri-password" for d in detectors.scan(text)):
            yield source.option_hit(
                option, f"`{key}` holds a database password in plain text in a committed basic_auth.ini", HINT
            )
        return
    shaped = [d for d in detectors.scan(text) if d.kind != "uri-password"]
    if shaped:
        yield source.option_hit(option, f"`{key}` holds {shaped[0].label} in a committed basic_auth.ini", HINT)
        return
    if key in auth_ini.PASSWORD_KEYS or judge.holds(key, text):
        default = (
            " (MLflow's shipped default admin password: its security advisory says to change it on every version)"
            if text == MLFLOW_DEFAULT_PASSWORD
            else ""
        )
        yield source.option_hit(option, f"`{key}` is a real password in a committed basic_auth.ini{default}", HINT)
