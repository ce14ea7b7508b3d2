"""How Helm's template functions print values: the few Go formatting rules the charts rely on.

Helm reads values through JSON, so every number is a float64: `%v` and `quote` print Go's
shortest form (`5000`, `1e+06`, `1.048576e+08`), `printf "%s"` of a non-string prints
`%!s(float64=4)`, and a map prints as `map[key:value ...]` with sorted keys.
"""

from __future__ import annotations

import re
from decimal import Decimal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def go_float(number: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 64): shortest digits, exponent from 1e+06 or below 1e-04."""
    if number != number or number in (float("inf"), float("-inf")):
        return {True: "NaN"}.get(number != number, "+Inf" if number > 0 else "-Inf")
    if number == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(float(number))).normalize().as_tuple()
    text = "".join(map(str, digits))
    point = len(text) + int(exponent)  # position of the decimal point in `text`
    exp = point - 1
    prefix = "-" if sign else ""
    if exp < -4 or exp >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if point <= 0:
        return f"{prefix}0.{'0' * -point}{text}"
    if point >= len(text):
        return prefix + text + "0" * (point - len(text))
    return f"{prefix}{text[:point]}.{text[point:]}"


def go_value(value: Any) -> str:
    """Go's `%v` of a value as Helm holds it (what `{{ $v }}`, `quote` and `toString` print)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return go_float(float(value))
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_value(v)}" for k, v in sorted(value.items())) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_value(v) for v in value) + "]"
    return str(value)


def go_s(value: Any) -> str:
    """Go's `printf "%s"`: strings as they are, anything else as `%!s(type=value)`."""
    if isinstance(value, str):
        return value
    if value is None:
        return "%!s(<nil>)"
    if isinstance(value, bool):
        return f"%!s(bool={go_value(value)})"
    if isinstance(value, (int, float)):
        return f"%!s(float64={go_value(value)})"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_s(v)}" for k, v in sorted(value.items())) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_s(v) for v in value) + "]"
    return str(value)


def quote(value: Any) -> str | None:
    """sprig `quote`: the `%v` text, or nothing at all for nil (the YAML value becomes null)."""
    return None if value is None else go_value(value)


_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")


def kebabcase(text: str) -> str:
    """sprig `kebabcase`: `staticPrefix` -> `static-prefix`, `allowedHosts` -> `allowed-hosts`."""
    return "-".join(word.lower() for word in _WORDS.findall(text))


def go_int(value: Any) -> int:
    """sprig `int` (cast.ToInt): numbers truncated, decimal strings parsed, anything else 0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return int(value) if value == value and abs(value) != float("inf") else 0
    if isinstance(value, str):
        text = value.strip()
        return int(text) if re.fullmatch(r"[+-]?\d+", text) else 0
    return 0


def truthy(value: Any) -> bool:
    """Go template truth: false, 0, nil and empty strings, lists and maps are false."""
    return bool(value) and value != 0
