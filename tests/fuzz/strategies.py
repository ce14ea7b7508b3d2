"""Hypothesis strategies: values documents, INI files, Secret manifests, `--set` strings, mutations."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from mlflow_lint import charts

# Keys the chart knows (so that rules run deep), plus noise.
_CHART_PATHS = sorted(
    {p for rev in charts.REVISIONS for p in charts.all_key_paths(charts.load_chart(rev).schema)}, key=str
)
_WORDS = [
    "yes",
    "no",
    "on",
    "off",
    "~",
    "null",
    "true",
    "1e3",
    "0x1F",
    "0o17",
    "-",
    "",
    "…",
    "é",
    "\t",
    "a: b",
    "# c",
    "&a",
    "*a",
    "!!str",
    "{}",
    "[]",
    "'",
    '"',
    "\\",
    "@",
    "%",
]
URIS = [
    "postgresql://mlflow:Zq8-very-long-db-pass@postgres:5432/mlflow",
    "mysql+pymysql://u:p@db/m",
    "sqlite:///mlflow.db",
    "sqlite:////tmp/x.db",
    "s3://bucket/prefix",
    "gs://b/p",
    "wasbs://c@a.blob.core.windows.net/p",
    "mlflow-artifacts:/",
    "file:///mnt/artifacts",
    "http://minio:9000",
    "oss://b/p",
    "sftp://u:pw@host/path",
    "ftp://h/p",
    "postgresql://u:$(DB_PASSWORD)@h/db",
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.sampled_from(_WORDS + URIS),
    st.text(max_size=40),
)
KEYS = st.one_of(st.sampled_from([str(p[-1]) for p in _CHART_PATHS]), st.text(max_size=12))


def _tree(leaves: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        leaves,
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
        max_leaves=25,
    )


@st.composite
def values_data(draw: st.DrawFn) -> dict[str, Any]:
    """Chart key paths with random values, plus random extra subtrees."""
    data: dict[str, Any] = {}
    for path in draw(st.lists(st.sampled_from(_CHART_PATHS), max_size=12)):
        node = data
        for part in path[:-1]:
            child = node.get(str(part))
            if not isinstance(child, dict):
                child = node[str(part)] = {}
            node = child
        node[str(path[-1])] = draw(_tree(SCALARS))
    data.update(draw(st.dictionaries(KEYS, _tree(SCALARS), max_size=3)))
    return data


def block_yaml(value: Any, indent: int = 0) -> str:
    """A small block-style emitter (strings JSON-quoted, so any text survives)."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        return "".join(f"{pad}{json.dumps(str(k))}:{_after(v, indent)}" for k, v in value.items())
    if isinstance(value, list) and value:
        return "".join(f"{pad}-{_after(v, indent)}" for v in value)
    return f"{pad}{_flow(value)}\n"


def _after(value: Any, indent: int) -> str:
    if isinstance(value, (dict, list)) and value:
        return "\n" + block_yaml(value, indent + 2)
    return f" {_flow(value)}\n"


def _flow(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, float) and value != value:  # NaN: JSON has none, YAML spells it .nan
        return ".nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    return json.dumps(value)


@st.composite
def values_text(draw: st.DrawFn) -> str:
    data = draw(values_data())
    style = draw(st.sampled_from(["block", "flow", "plain-words"]))
    if style == "flow":
        return json.dumps(data, default=str).replace("NaN", ".nan").replace("Infinity", ".inf") + "\n"
    text = block_yaml(data)
    if style == "plain-words":  # unquote some strings: Helm's typing of yes/no/on/off, numbers
        text = text.replace('"', "")
    return text


@st.composite
def mutated(draw: st.DrawFn, text: str) -> bytes:
    """Byte flips, line deletions/duplications/swaps, indentation changes, truncation."""
    lines = text.encode("utf-8").splitlines(keepends=True) or [b""]
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "delete", "duplicate", "indent", "dedent", "swap", "truncate", "insert"]))
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        if op == "flip" and line:
            j = draw(st.integers(0, len(line) - 1))
            line = line[:j] + bytes([line[j] ^ draw(st.sampled_from([1, 2, 4, 8, 16, 32, 64, 128]))]) + line[j + 1 :]
            lines[i] = line
        elif op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op == "indent":
            lines[i] = b" " * draw(st.integers(1, 4)) + line
        elif op == "dedent":
            lines[i] = line.lstrip(b" ")
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], line
        elif op == "truncate" and line:
            lines[i] = line[: draw(st.integers(0, len(line)))]
        elif op == "insert":
            lines.insert(
                i,
                draw(
                    st.sampled_from(
                        [
                            b"\t",
                            b"- x\n",
                            b"? k\n",
                            b"---\n",
                            b"&a\n",
                            b"*a\n",
                            b"<<: *a\n",
                            b"# mlflow-lint: disable=MLF999\n",
                            b"{[\n",
                            b"\xff\n",
                            b"\x00",
                        ]
                    )
                ),
            )
    return b"".join(lines)


INI_KEYS = [
    "default_permission",
    "database_uri",
    "admin_username",
    "admin_password",
    "authorization_function",
    "DEFAULT_PERMISSION",
    "grant_default_workspace_access",
    "workspace_cache_max_size",
    "x",
]
INI_VALUES = st.one_of(
    st.sampled_from(
        [
            "READ",
            "EDIT",
            "MANAGE",
            "NO_PERMISSIONS",
            "read",
            "admin",
            "password1234",
            "mlflow.server.auth:authenticate_request_basic_auth",
            "%(x)s",
            "%",
            "true",
            "",
            *URIS,
        ]
    ),
    st.text(max_size=30),
)


@st.composite
def ini_text(draw: st.DrawFn) -> str:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        section = draw(st.sampled_from(["mlflow", "MLFLOW", "DEFAULT", "other", "mlflow.x", ""]))
        out.append(f"[{section}]\n")
        for _ in range(draw(st.integers(0, 7))):
            key = draw(st.one_of(st.sampled_from(INI_KEYS), st.text(max_size=10)))
            sep = draw(st.sampled_from([" = ", "=", ": ", " ", "  =  "]))
            value = draw(INI_VALUES).replace("\n", "\n  ")
            out.append(f"{key}{sep}{value}\n")
        if draw(st.booleans()):
            out.append(draw(st.sampled_from(["; comment\n", "# comment\n", "  continued\n", "\n", "[broken\n"])))
    return "".join(out)


@st.composite
def secret_manifests(draw: st.DrawFn) -> str:
    """Secret, SealedSecret and ExternalSecret documents (some malformed) with random data."""
    import base64

    docs = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["Secret", "SealedSecret", "ExternalSecret", "ConfigMap", "", None]))
        name = draw(st.sampled_from(["mlflow-backend", "mlflow-s3", "mlflow-auth", "x"]))
        keys = draw(
            st.lists(
                st.sampled_from(
                    [
                        "MLFLOW_BACKEND_STORE_URI",
                        "AWS_ACCESS_KEY_ID",
                        "AWS_SECRET_ACCESS_KEY",
                        "password",
                        "username",
                        "uri",
                        "x",
                    ]
                ),
                max_size=4,
            )
        )
        values = [draw(st.one_of(st.sampled_from(URIS), st.text(max_size=20))) for _ in keys]
        field = draw(st.sampled_from(["data", "stringData", "encryptedData", "spec"]))
        if field == "data" and draw(st.booleans()):
            values = [base64.b64encode(v.encode()).decode() for v in values]
        doc: dict[str, Any] = {
            "apiVersion": "v1",
            "kind": kind,
            "metadata": {"name": name},
            field: dict(zip(keys, values, strict=True)),
        }
        if draw(st.booleans()):
            doc[field] = draw(_tree(SCALARS))  # wrong shapes
        docs.append(json.dumps(doc) if draw(st.booleans()) else block_yaml(doc))
    return "\n---\n".join(docs) + "\n"


SET_ALPHABET = st.sampled_from(
    list("ab.[]0123456789=,\\{}-_ \"'")
    + ["image.tag", "extraEnv[0].name", "null", "backendStore.postgres.password", "[65537]"]
)
SET_STRINGS = st.lists(SET_ALPHABET, max_size=16).map("".join)
