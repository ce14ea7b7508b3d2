"""A fast validator for the draft-07 subset that mlflow-lint's chart schemas use.

python-jsonschema is the authority on what the schemas mean, but importing it costs more
than a whole offline lint should (about 120-200 ms). This module evaluates exactly the
keywords listed in `SUPPORTED` and refuses any other, so it cannot silently misread a
schema; `tests/test_schema_engine.py` runs it side by side with jsonschema over generated
documents and demands the same verdicts (error locations and keywords). Set
`MLFLOW_LINT_SCHEMA_ENGINE=jsonschema` to validate with jsonschema itself.

Errors have jsonschema's granularity: one per failing keyword at an instance path, with
`oneOf`/`anyOf`/`not` reported once at the location they apply to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from mlflow_lint.paths import Path
from mlflow_lint.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SUPPORTED = frozenset(
    [
        "$schema",
        "$id",
        "title",
        "description",
        "default",
        "examples",
        "definitions",
        "$ref",
        "type",
        "properties",
        "additionalProperties",
        "patternProperties",
        "required",
        "items",
        "enum",
        "const",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "oneOf",
        "anyOf",
        "allOf",
        "not",
        "x-secret",
    ]
)


class SchemaError(NamedTuple):
    """One failing keyword: where in the instance, which keyword, and its schema node."""

    path: Path
    keyword: str
    schema: Any
    instance: Any
    extra: tuple[str, ...] = ()  # unexpected keys (additionalProperties) or missing ones


class UnsupportedSchema(ValueError):
    """The schema uses a keyword this validator does not implement."""


def check_supported(schema: Any, where: str = "#") -> None:
    """Raise UnsupportedSchema if any schema node uses a keyword outside SUPPORTED."""
    if not isinstance(schema, dict):
        return
    for key, sub in schema.items():
        if key not in SUPPORTED:
            raise UnsupportedSchema(f"{where}: keyword {key!r} is not supported")
        if key in ("properties", "patternProperties", "definitions"):
            for name, child in sub.items():
                check_supported(child, f"{where}/{key}/{name}")
        elif key in ("items", "additionalProperties", "not"):
            check_supported(sub, f"{where}/{key}")
        elif key in ("oneOf", "anyOf", "allOf"):
            for index, child in enumerate(sub):
                check_supported(child, f"{where}/{key}/{index}")


def iter_errors(instance: Any, schema: dict[str, Any]) -> Iterator[SchemaError]:
    """All errors of `instance` against `schema` (the root holds the definitions)."""
    yield from _Validator(schema).errors(instance, schema, ())


def is_type(value: Any, name: str) -> bool:
    """JSON Schema draft-07 type test, with Python's bool kept apart from numbers."""
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if name == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float))
    return False


def json_equal(a: Any, b: Any) -> bool:
    """Equality as JSON sees it: true is not 1, 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(type(a) is type(b) or (isinstance(a, (int, float)) and isinstance(b, (int, float)))) and a == b


@lru_cache(maxsize=512)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class _Validator:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise UnsupportedSchema(f"only local $ref are supported, got {ref!r}")
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def valid(self, instance: Any, schema: Any) -> bool:
        return next(self.errors(instance, schema, ()), None) is None

    def errors(self, instance: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
        if schema is True:
            return
        if schema is False:
            yield SchemaError(path, "false", schema, instance)
            return
        if "$ref" in schema:  # draft-07: $ref ignores its siblings
            yield from self.errors(instance, self.resolve(schema["$ref"]), path)
            return
        for keyword in schema:
            check = _CHECKS.get(keyword)
            if check is not None:
                yield from check(self, instance, schema, path)


def _type(v: _Validator, inst: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
    types = schema["type"]
    names = [types] if isinstance(types, str) else types
    if not any(is_type(inst, name) for name in names):
        yield SchemaError(path, "type", schema, inst)


def _properties(v: _Validator, inst: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
    if isinstance(inst, dict):
        for name, sub in schema["properties"].items():
            if name in inst:
                yield from v.errors(inst[name], sub, path + (name,))


def _pattern_properties(v: _Validator, inst: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
    if isinstance(inst, dict):
        for pattern, sub in schema["patternProperties"].items():
            for name, value in inst.items():
                if _regex(pattern).search(name):
                    yield from v.errors(value, sub, path + (name,))


def _additional(v: _Validator, inst: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
    if not isinstance(inst, dict):
        return
    known = schema.get("properties", {})
    patterns = [_regex(p) for p in schema.get("patternProperties", {})]
    extra = [k for k in inst if k not in known and not any(p.search(k) for p in patterns)]
    additional = schema["additionalProperties"]
    if additional is False and extra:
        yield SchemaError(path, "additionalProperties", schema, inst, tuple(extra))
    elif isinstance(additional, dict):
        for name in extra:
            yield from v.errors(inst[name], additional, path + (name,))


def _required(v: _Validator, inst: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
    if isinstance(inst, dict):
        for name in schema["required"]:
            if name not in inst:
                yield SchemaError(path, "required", schema, inst, (name,))


def _items(v: _Validator, inst: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
    if isinstance(inst, list):
        for index, item in enumerate(inst):
            yield from v.errors(item, schema["items"], path + (index,))


def _enum(v: _Validator, inst: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
    if not any(json_equal(inst, option) for option in schema["enum"]):
        yield SchemaError(path, "enum", schema, inst)


def _const(v: _Validator, inst: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
    if not json_equal(inst, schema["const"]):
        yield SchemaError(path, "const", schema, inst)


def _bound(keyword: str) -> Any:
    def check(v: _Validator, inst: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
        limit = schema[keyword]
        if isinstance(inst, bool) or not isinstance(inst, (int, float)):
            return
        if (inst < limit) if keyword == "minimum" else (inst > limit):
            yield SchemaError(path, keyword, schema, inst)

    return check


def _length(keyword: str, kind: type) -> Any:
    def check(v: _Validator, inst: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
        if not isinstance(inst, kind):
            return
        limit, size = schema[keyword], len(inst)  # type: ignore[arg-type]  # str or list, checked above
        if (size < limit) if keyword.startswith("min") else (size > limit):
            yield SchemaError(path, keyword, schema, inst)

    return check


def _pattern(v: _Validator, inst: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
    if isinstance(inst, str) and not _regex(schema["pattern"]).search(inst):
        yield SchemaError(path, "pattern", schema, inst)


def _one_of(v: _Validator, inst: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
    matches = sum(1 for sub in schema["oneOf"] if v.valid(inst, sub))
    if matches != 1:
        yield SchemaError(path, "oneOf", schema, inst)


def _any_of(v: _Validator, inst: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
    if not any(v.valid(inst, sub) for sub in schema["anyOf"]):
        yield SchemaError(path, "anyOf", schema, inst)


def _all_of(v: _Validator, inst: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
    for sub in schema["allOf"]:
        yield from v.errors(inst, sub, path)


def _not(v: _Validator, inst: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
    if v.valid(inst, schema["not"]):
        yield SchemaError(path, "not", schema, inst)


_CHECKS = {
    "type": _type,
    "properties": _properties,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional,
    "required": _required,
    "items": _items,
    "enum": _enum,
    "const": _const,
    "minimum": _bound("minimum"),
    "maximum": _bound("maximum"),
    "minLength": _length("minLength", str),
    "maxLength": _length("maxLength", str),
    "minItems": _length("minItems", list),
    "maxItems": _length("maxItems", list),
    "pattern": _pattern,
    "oneOf": _one_of,
    "anyOf": _any_of,
    "allOf": _all_of,
    "not": _not,
}


def iter_errors_jsonschema(instance: Any, schema: dict[str, Any]) -> Iterator[SchemaError]:
    """The same errors, computed by python-jsonschema (the reference implementation)."""
    import ast

    import jsonschema

    validator = jsonschema.Draft7Validator(schema)
    for error in validator.iter_errors(instance):
        extra: tuple[str, ...] = ()
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {})
            patterns = [_regex(p) for p in error.schema.get("patternProperties", {})]
            extra = tuple(k for k in error.instance if k not in known and not any(p.search(k) for p in patterns))
        elif error.validator == "required":  # message: "'name' is a required property"
            extra = (ast.literal_eval(error.message.rsplit(" is a required property", 1)[0]),)
        yield SchemaError(tuple(error.absolute_path), str(error.validator), error.schema, error.instance, extra)
