"""Pure checks of env var values as their readers parse them, and the extraEnv walker.

Each `*_problem(...)` returns "" when the value is fine, else what is wrong in a phrase
that never quotes the value (callers decide whether a value may be shown, see `shown`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlflow_lint.deployment import EnvEntry
from mlflow_lint.env_catalog import S3_UPLOAD_ARGS, EnvVar, is_secret
from mlflow_lint.release import Values
from mlflow_lint.uris import raw_passwords

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context

MLFLOW_BOOLS = ("true", "false", "1", "0")
CLICK_BOOLS = ("1", "true", "t", "yes", "y", "on", "0", "false", "f", "no", "n", "off")
SHOW_MAX = 40
_RANDOM = r"^[A-Za-z0-9+/=_-]{16,}$"  # compiled by `re` when a message wants to show a value


Entry = EnvEntry  # one `env` item the user wrote (index, name, literal value; `.text`, `.at()`)


def entries(source: Context | Values) -> Iterator[EnvEntry]:
    """The well-formed items of the container's `env` list (a mapping with a string `name`).

    Given a Context, they come from its Deployment (any chart); given seed Values (older
    callers), from `extraEnv`.
    """
    if not isinstance(source, Values):
        yield from source.deployment.env_entries
        return
    items = source.get(("extraEnv",), [])
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            yield EnvEntry(index, item["name"], item.get("value"), ("extraEnv", index))


def shown(name: str, value: str) -> str:
    """` (`value`)` for a short, harmless value; "" for anything that is or may be a secret."""
    if is_secret(name) or len(value) > SHOW_MAX or "\n" in value or not value.strip():
        return ""
    if raw_passwords(value) or re.match(_RANDOM, value) or "-----BEGIN" in value:
        return ""
    return f" (`{value}`)"


def bool_problem(text: str) -> str:
    if text.lower() in MLFLOW_BOOLS:  # MLflow does not strip the value
        return ""
    return "is not a boolean MLflow accepts (only true, false, 1 or 0, any case)"


def click_bool(text: str | None) -> bool | None:
    """A flag's env var as click's BoolParamType reads it (stripped, any case); None when it is not a boolean."""
    word = (text or "").strip().lower()
    if word not in CLICK_BOOLS:
        return None
    return CLICK_BOOLS.index(word) < CLICK_BOOLS.index("0")


def click_bool_problem(text: str) -> str:
    if not text or text.strip().lower() in CLICK_BOOLS:
        return ""
    return "is not a boolean click accepts (true/false, 1/0, yes/no, on/off)"


def int_problem(text: str, var: EnvVar) -> str:
    """Python int() as MLflow uses it, then the catalogue's range."""
    try:
        number = int(text)
    except ValueError:
        return "is not an integer (MLflow converts it with int(): no units, exponents or decimals)"
    return range_problem(number, var)


def range_problem(number: int, var: EnvVar) -> str:
    if var.minimum is not None and number < var.minimum:
        return f"is below the minimum {var.minimum}"
    if var.maximum is not None and number > var.maximum:
        return f"is above the maximum {var.maximum}"
    return ""


def float_problem(text: str) -> str:
    try:
        float(text)
    except ValueError:
        return "is not a number"
    return ""


def multiple_problem(number: int, multiple: int) -> str:
    if number > 0 and number % multiple:
        lower = number // multiple * multiple
        nearest = f"{lower} or {lower + multiple}" if lower else str(multiple)
        return f"{number} is not a multiple of {multiple} bytes (256 KiB); use e.g. {nearest}"
    return ""


def enum_problem(text: str, var: EnvVar) -> str:
    choices = [c.lower() for c in var.choices] if var.ignore_case else list(var.choices)
    if (text.lower() if var.ignore_case else text) in choices:
        return ""
    return f"is not one of {', '.join(var.choices)}"


def endpoint_problem(text: str) -> str:
    """botocore's "Invalid endpoint": it needs a full URL with scheme and host."""
    from urllib.parse import urlsplit  # these checks run only for the variables that need them

    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https"):
        return 'has no http:// or https:// scheme (botocore raises "Invalid endpoint")'
    try:
        host = parts.hostname
    except ValueError:
        host = None
    if not host:
        return 'has no host (botocore raises "Invalid endpoint")'
    if text != text.strip():
        return 'has leading or trailing whitespace (botocore raises "Invalid endpoint")'
    return ""


def oss_endpoint_problem(text: str) -> str:
    """oss2 takes a host (`oss-cn-beijing.aliyuncs.com`) or an http(s) URL, not a bucket URI."""
    from urllib.parse import urlsplit

    scheme = urlsplit(text.strip()).scheme.lower()
    if "://" in text and scheme not in ("http", "https"):
        return f"is a `{scheme}://` URI, not an OSS endpoint (a host such as oss-cn-beijing.aliyuncs.com)"
    if not text.strip():
        return "is empty; the OSS plugin asserts it is set"
    return ""


def upload_args_problem(text: str) -> str:
    """MLflow `json.loads` the value and boto3 rejects keys outside ALLOWED_UPLOAD_ARGS."""
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
    except RecursionError:
        return "is JSON nested too deeply to read"
    if not isinstance(data, dict):
        from mlflow_lint.helm_types import described

        return f"is {described(data)} in JSON, not a JSON object of upload arguments"
    bad = sorted(str(k) for k in data if k not in S3_UPLOAD_ARGS)
    if bad:
        return f'has key(s) boto3 refuses ("Invalid extra_args key"): {", ".join(bad)}'
    return ""


def kv_list_problem(text: str) -> str:
    """`k=v,k=v`: MLflow splits on `,` then on `=` and needs exactly two parts per pair."""
    if not text:
        return ""
    for number, pair in enumerate(text.split(","), start=1):
        if pair.count("=") != 1:
            return f"pair {number} has {pair.count('=')} `=` signs; the format is key=value,key=value"
    return ""


def path_content_problem(text: str) -> str:
    """A variable that must name a file holds the file's content (or a URL) instead."""
    stripped = text.strip()
    if "-----BEGIN" in stripped:
        return "holds PEM text, not the path of a file"
    if stripped.startswith(("{", "[")):
        return "holds JSON text, not the path of a file"
    if "\n" in stripped:
        return "holds several lines of text, not the path of a file"
    if "://" in stripped:
        return "is a URL, not the path of a file in the container"
    return ""


def static_prefix_problem(text: str, braces_forbidden: bool) -> str:
    """`mlflow server` checks: starts with `/`, does not end with `/` (3.17.2: no braces)."""
    if not text.startswith("/"):
        return "does not start with `/`"
    if text.endswith("/"):
        return "ends with `/`"
    if braces_forbidden and ("{" in text or "}" in text):
        return "contains `{` or `}`"
    return ""
