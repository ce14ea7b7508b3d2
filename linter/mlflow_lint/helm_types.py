"""How Helm types a plain YAML scalar.

Helm reads values with go-yaml v2 (YAML 1.1 resolution, `yaml.v2/resolve.go`): `yes`, `no`,
`on`, `off`, `y`, `n` (three spellings each) are booleans, `~`/`null`/empty are null, and
anything that Go's `strconv` parses as a number after removing `_` is a number (`0x1F`,
`0o17`, `017` octal, `1e3`, `.5`, `+.inf`). Everything else is a string. Quoted and block
scalars are always strings. ruamel.yaml in its default YAML 1.2 mode would call `yes` a
string, so the loader asks this module instead.
"""

from __future__ import annotations

import math
import re

_TRUE = frozenset(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"])
_FALSE = frozenset(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"])
_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_SPECIAL_FLOATS = {
    **{s: math.inf for s in (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF")},
    **{s: -math.inf for s in ("-.inf", "-.Inf", "-.INF")},
    **{s: math.nan for s in (".nan", ".NaN", ".NAN")},
}
_NUMBER_START = frozenset("0123456789+-.")
_GO_OCTAL = re.compile(r"[+-]?0[0-7]+")
_GO_INT = re.compile(r"[+-]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)")
# Go's ParseFloat: decimal with optional exponent, hex floats, inf/infinity/nan in any case.
_GO_FLOAT = re.compile(
    r"[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|0[xX][0-9a-fA-F.]+[pP][+-]?\d+|inf(inity)?|nan)",
    re.IGNORECASE,
)

Scalar = str | int | float | bool | None


def resolve_plain(text: str) -> Scalar:
    """Type a plain (unquoted, untagged) scalar exactly as Helm's YAML reader does."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    if text[0] in _NUMBER_START:
        return _resolve_number(text)
    return text


def _resolve_number(text: str) -> Scalar:
    plain = text.replace("_", "")
    if _GO_OCTAL.fullmatch(plain):
        return int(plain, 8)
    if _GO_INT.fullmatch(plain):
        try:
            return int(plain, 0)
        except ValueError:  # "08": not an int for Go either, but a float
            pass
    if _GO_FLOAT.fullmatch(plain):
        try:
            return float(plain) if "x" not in plain.lower() else float.fromhex(plain)
        except ValueError:
            return text
    return text


def helm_type_name(value: object) -> str:
    """The word a user would use for the type Helm gives a value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "mapping"


def described(value: object) -> str:
    """`helm_type_name` with its article, for messages: "an integer", "a list", "null"."""
    name = helm_type_name(value)
    return name if name == "null" else f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def render_scalar(value: object) -> str:
    """A value as a template prints it (`{{ .Values.x }}`): `true`/`false`, nothing for null."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
