"""Validate merged values against the chart schema and explain each error in user terms.

Unknown keys become MLF005 with a "did you mean" that searches the siblings first, then
the whole chart, then the other revision's keys; every other error becomes MLF002.
Messages never quote a value the schema marks `x-secret: credential`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

from mlflow_lint.charts import Chart, all_key_paths, schema_at
from mlflow_lint.finding import Hit
from mlflow_lint.helm_types import helm_type_name
from mlflow_lint.paths import Path, format_path
from mlflow_lint.schema_check import SchemaError, iter_errors, iter_errors_jsonschema

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

UNKNOWN_KEY = "MLF005"
MAX_SUGGESTIONS = 200
SCHEMA = "MLF002"


def check(chart: Chart, data: dict[str, Any]) -> Iterator[tuple[str, Hit]]:
    """(code, hit) for every schema error of `data`."""
    engine = iter_errors_jsonschema if os.environ.get("MLFLOW_LINT_SCHEMA_ENGINE") == "jsonschema" else iter_errors
    suggestions = MAX_SUGGESTIONS  # "did you mean" costs a difflib search; a file of typos gets a few
    for error in engine(data, chart.schema):
        if error.keyword == "additionalProperties":
            for key in error.extra:
                yield UNKNOWN_KEY, unknown_key_hit(chart, error.path + (key,), suggest=suggestions > 0)
                suggestions -= 1
        else:
            yield SCHEMA, _explain(chart, error)


def unknown_key_hit(chart: Chart, path: Path, suggest: bool = True) -> Hit:
    """An unknown key, with the most likely intended key in the message."""
    key = str(path[-1])
    where = f" under `{format_path(path[:-1])}`" if path[:-1] else " at the top level"
    suggestion = suggest_key(chart, path) if suggest else None
    message = f"unknown key `{key}`{where}"
    if suggestion:
        message += f"; did you mean `{format_path(suggestion)}`?"
    hint = "Helm ignores keys the chart does not know, so this setting has no effect"
    moved = chart.only_other.get(_strip_indexes(path), "absent")
    if moved != "absent":
        other = "v1" if chart.name == "seed-v2" else "v2"
        hint = f"`{format_path(path)}` is a {other} key; this file is linted as {chart.name}"
        hint += " (use --chart to choose the revision)"
    return Hit(path, message, hint, at_key=True)


def suggest_key(chart: Chart, path: Path) -> Path | None:
    """Sibling typo, then the same name elsewhere in the chart, then a revision rename."""
    import difflib  # only when a key is unknown

    key, parent = str(path[-1]), path[:-1]
    renamed = chart.only_other.get(_strip_indexes(path))
    if renamed:
        return renamed
    parent_schema = schema_at(chart.schema, parent) or {}
    siblings = list(parent_schema.get("properties", {}))
    close = difflib.get_close_matches(key, siblings, n=1, cutoff=0.75)
    if close:
        return parent + (close[0],)
    paths = all_key_paths(chart.schema)
    everywhere = {p[-1]: p for p in paths}
    for candidate in paths:  # same name elsewhere, `imagePullSecrets` = image.pullSecrets, `env` = extraEnv
        last = str(candidate[-1]).lower()
        if key.lower() in (last, "".join(map(str, candidate)).lower()) or "extra" + key.lower() == last:
            return candidate
    close = difflib.get_close_matches(key, [str(k) for k in everywhere], n=1, cutoff=0.8)
    if close:
        return everywhere[close[0]]
    close = difflib.get_close_matches(key, siblings, n=1, cutoff=0.6)
    return parent + (close[0],) if close else None


def _strip_indexes(path: Path) -> Path:
    return tuple(p for p in path if not isinstance(p, int))


def _explain(chart: Chart, error: SchemaError) -> Hit:
    path, schema, value = error.path, error.schema, error.instance
    shown = _show(chart, path, value)
    name = format_path(path) or "the values"
    keyword = error.keyword
    if keyword == "type":
        return _type_hit(path, schema, value, shown)
    if keyword == "enum":
        import difflib  # only for a value outside its enum

        allowed = ", ".join(json.dumps(v) for v in schema["enum"])
        close = difflib.get_close_matches(str(value), [str(v) for v in schema["enum"]], n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"use one of {allowed}"
        return Hit(path, f"`{name}` is {shown}; allowed values: {allowed}", hint)
    if keyword in ("minimum", "maximum"):
        word = "at least" if keyword == "minimum" else "at most"
        return Hit(path, f"`{name}` is {shown}; it must be {word} {schema[keyword]}")
    if keyword in ("minLength", "maxLength", "minItems", "maxItems"):
        word = "at least" if keyword.startswith("min") else "at most"
        unit = "characters" if keyword.endswith("Length") else "items"
        return Hit(path, f"`{name}` must have {word} {schema[keyword]} {unit}")
    if keyword == "pattern":
        what = schema.get("description", "").rstrip(".")
        return Hit(
            path,
            f"`{name}` is {shown}, which is not valid here ({what})",
            f"it must match the pattern {schema['pattern']}",
        )
    if keyword == "required":
        return Hit(path, f"`{name}` is missing the required key `{error.extra[0]}`")
    if keyword == "oneOf":
        return Hit(path, _one_of_message(name, schema))
    return Hit(path, f"`{name}` does not have an allowed shape ({keyword})")


def _type_hit(path: Path, schema: dict[str, Any], value: Any, shown: str) -> Hit:
    name = format_path(path)
    expected = schema["type"] if isinstance(schema["type"], str) else " or ".join(schema["type"])
    message = f"`{name}` must be {_a(expected)}, but Helm reads {shown} as {_a(helm_type_name(value))}"
    hint = ""
    if expected == "string" and isinstance(value, (bool, int, float)):
        hint = (
            'quote the value, e.g. "true" or "60" (unquoted yes/no/on/off/true/false are booleans, digits are numbers)'
        )
        if len(path) >= 2 and path[-1] == "value" and path[0] == "extraEnv":
            message = f"`{name}` must be a string: Kubernetes rejects an env value that is {_a(helm_type_name(value))}"
            if isinstance(value, bool):
                message += f" (Helm reads the unquoted value as the boolean {shown})"
    return Hit(path, message, hint)


def _one_of_message(name: str, schema: dict[str, Any]) -> str:
    options = schema["oneOf"]
    keys = [o["required"][0] for o in options if isinstance(o, dict) and list(o) == ["required"]]
    if len(keys) == len(options):
        return f"`{name}` needs exactly one of " + " or ".join(f"`{k}`" for k in keys)
    return f"`{name}` must match exactly one of the allowed shapes"


def _show(chart: Chart, path: Path, value: Any) -> str:
    """A value as it may be printed: secrets and long values are never quoted."""
    node = schema_at(chart.schema, path) or {}
    if node.get("x-secret") == "credential" or _under_env_value(path):
        return f"{_a(helm_type_name(value))} value" if not isinstance(value, bool) else json.dumps(value)
    if isinstance(value, (dict, list)):
        return _a(helm_type_name(value))
    text = json.dumps(value)
    return text if len(text) <= 40 else f"{_a(helm_type_name(value))} of {len(str(value))} characters"


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _under_env_value(path: Path) -> bool:
    return bool(path) and path[-1] == "value" and path[0] in ("extraEnv",)
