"""Helm's `--set` / `--set-string` syntax (helm/pkg/strvals/parser.go), and `-f` merging.

`helm upgrade -f a.yaml -f b.yaml --set x=1 --set-string y=2` builds the user values as:
each `-f` file merged into the previous ones (`mergeMaps`: maps merge, anything else
replaces, `null` stays null), then every `--set` flag parsed INTO that map in order, then
every `--set-string` flag (whatever the order on the command line), and only then the
chart's defaults coalesced under it (a null deletes the key). `--set` writes into the map
rather than merging a new layer, so `--set list[1]=x` changes one item of a list a file set.

Each flag becomes one `release.Layer` named after the flag (`--set`, `--set-string`) whose
"line" is the flag's 1-based position among flags of its kind; its data is the whole user
map after the flag (so coalescing the layers gives exactly Helm's result) and its positions
are the paths that flag set (and their parents). Error messages name keys, never values.
"""

from __future__ import annotations

import argparse

from mlflow_lint.document import Position
from mlflow_lint.paths import Path
from mlflow_lint.records import NamedTuple
from mlflow_lint.release import Layer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_INDEX = 65536  # strvals.MaxIndex
MAX_NESTING = 30  # strvals.MaxNestedNameLevel
SET, SET_STRING = "--set", "--set-string"


class SetError(ValueError):
    """A `--set` flag Helm would refuse; the message names the flag and the key."""


class Flag(NamedTuple):
    """One `--set` or `--set-string` occurrence: its kind, text and 1-based index among its kind."""

    kind: str
    text: str
    index: int  # type: ignore[assignment]  # shadows tuple.index, which nothing calls

    @property
    def label(self) -> str:
        return f"{self.kind} #{self.index}"


def number_flags(flags: list[tuple[str, str]]) -> list[Flag]:
    """Number flags per kind, then order them as Helm applies them (all --set, then --set-string)."""
    counts = {SET: 0, SET_STRING: 0}
    out = []
    for kind, text in flags:
        counts[kind] += 1
        out.append(Flag(kind, text, counts[kind]))
    return [f for f in out if f.kind == SET] + [f for f in out if f.kind == SET_STRING]


def merge_maps(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Helm's mergeMaps for -f files: nested maps merge, everything else (null too) replaces."""
    out = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_maps(out[key], value)
        else:
            out[key] = value
    return out


def set_layers(flags: list[Flag], files: list[dict[str, Any]]) -> list[Layer]:
    """One Layer per flag, applied in Helm's order onto the merged -f files."""
    import copy  # only runs with --set

    user: dict[str, Any] = {}
    for data in files:
        user = merge_maps(user, copy.deepcopy(data))
    layers = []
    for flag in flags:
        paths: set[Path] = set()
        parse_into(flag, user, paths)
        positions = {p[:depth]: Position(flag.index, 1, flag.index, 1) for p in paths for depth in range(1, len(p) + 1)}
        layers.append(Layer(flag.kind, copy.deepcopy(user), positions))
    return layers


def validate(flags: list[Flag]) -> None:
    """Raise SetError for the first flag with bad syntax (checked before any file is read)."""
    for flag in flags:
        parse_into(flag, {}, set())


def parse_into(flag: Flag, dest: dict[str, Any], paths: set[Path]) -> None:
    """strvals.ParseInto / ParseIntoString: write the flag's pairs into `dest`."""
    parser = _Parser(flag, dest, paths)
    try:
        parser.run()
    except SetError:
        raise
    except (TypeError, AttributeError, IndexError, ValueError) as exc:  # Helm recovers a panic here
        raise SetError(f"{flag.label}: cannot apply it to the values ({type(exc).__name__})") from None


class _Parser:
    """A direct port of strvals' recursive-descent parser (key, index, list, value)."""

    def __init__(self, flag: Flag, dest: dict[str, Any], paths: set[Path]) -> None:
        self.flag, self.text, self.pos = flag, flag.text, 0
        self.dest, self.paths = dest, paths
        self.strings = flag.kind == SET_STRING

    def fail(self, message: str) -> SetError:
        return SetError(f"{self.flag.label}: {message}")

    def run(self) -> None:
        while self.pos < len(self.text):
            self.key(self.dest, (), 0)

    def until(self, stops: str) -> tuple[str, str]:
        """Read until a stop character (consumed); backslash escapes the next character."""
        out: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            self.pos += 1
            if char in stops:
                return "".join(out), char
            if char == "\\":
                if self.pos >= len(self.text):
                    return "".join(out), ""
                char = self.text[self.pos]
                self.pos += 1
            out.append(char)
        return "".join(out), ""

    def key(self, data: dict[str, Any], path: Path, level: int) -> None:
        name, last = self.until("=[,.")
        if last == "":
            if name and "=" not in self.text:  # no `=` anywhere: the text may be a value, even a secret
                raise self.fail("has no value: no `=` in it (write `key=value`); not shown, as it may be a secret")
            if name:
                raise self.fail(f"key `{_show((*path, name))}` has no value (write `key=value`)")
            return
        if last == "[":
            self.list_key(data, name, path, level)
        elif last == "=":
            self.store(data, name, (*path, name), self.value())
        elif last == ",":
            raise self.fail(f"key `{_show((*path, name))}` has no value (cannot end with `,`)")
        else:
            self.map_key(data, name, path, level + 1)

    def map_key(self, data: dict[str, Any], name: str, path: Path, level: int) -> None:
        if level > MAX_NESTING:
            raise self.fail(f"keys nest deeper than Helm's limit of {MAX_NESTING}")
        inner = data.get(name, {})
        if not isinstance(inner, dict):
            raise self.fail(f"`{_show((*path, name))}` is not a map in the values, so `.` cannot follow it")
        data_inner = inner
        self.key(data_inner, (*path, name), level)
        if not data_inner:
            raise self.fail(f"key map `{_show((*path, name))}` has no value")
        if name:
            data[name] = data_inner

    def list_key(self, data: dict[str, Any], name: str, path: Path, level: int) -> None:
        items = data.get(name, [])
        if not isinstance(items, list):
            raise self.fail(f"`{_show((*path, name))}` is not a list in the values, so `[` cannot follow it")
        index = self.index()
        items = self.list_item(list(items), index, (*path, name), level)
        if name:
            data[name] = items

    def index(self) -> int:
        text, last = self.until("]")
        if last != "]" or not text.strip().lstrip("+-").isdigit():
            raise self.fail("error parsing index: an index must be a whole number in `[...]`")
        return int(text)

    def list_item(self, items: list[Any], index: int, path: Path, level: int) -> list[Any]:
        if index < 0:
            raise self.fail(f"negative index {index} is not allowed")
        rest, last = self.until("[.=")
        if rest:
            raise self.fail(f"unexpected text after `{_show(path)}[{index}]`")
        if last == "=":
            return self.set_index(items, index, (*path, index), self.value())
        if last == "[":
            current = items[index] if index < len(items) and items[index] is not None else []
            if not isinstance(current, list):
                raise self.fail(f"`{_show((*path, index))}` is not a list")
            inner = self.list_item(list(current), self.index(), (*path, index), level)
            return self.set_index(items, index, None, inner)
        if last == ".":
            current = items[index] if index < len(items) and isinstance(items[index], dict) else {}
            self.key(current, (*path, index), level)
            return self.set_index(items, index, None, current)
        raise self.fail(f"`{_show(path)}[{index}]` has no value")

    def set_index(self, items: list[Any], index: int, path: Path | None, value: Any) -> list[Any]:
        if index > MAX_INDEX:
            raise self.fail(f"index {index} is greater than Helm's maximum of {MAX_INDEX}")
        items.extend([None] * (index + 1 - len(items)))
        items[index] = value
        if path is not None:
            self._record(path, value)
        return items

    def store(self, data: dict[str, Any], name: str, path: Path, value: Any) -> None:
        if name:  # strvals ignores an empty key
            data[name] = value
            self._record(path, value)

    def _record(self, path: Path, value: Any) -> None:
        self.paths.add(path)
        if isinstance(value, list):
            self.paths.update((*path, i) for i in range(len(value)))

    def value(self) -> Any:
        """After `=`: a `{a,b}` list, or a scalar up to the next unescaped comma."""
        if self.pos < len(self.text) and self.text[self.pos] == "{":
            self.pos += 1
            items = []
            while True:
                text, last = self.until(",}")
                if last == "":
                    raise self.fail("a list value must end with `}`")
                items.append(self.typed(text))
                if last == "}":
                    if self.pos < len(self.text) and self.text[self.pos] == ",":
                        self.pos += 1
                    return items
        text, _ = self.until(",")
        return self.typed(text)

    def typed(self, text: str) -> Any:
        """strvals.typedVal: true/false/null (any case) and decimal integers, unless --set-string."""
        if self.strings:
            return text
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        if lowered == "null":
            return None
        if text == "0":
            return 0
        if text and text[0] != "0" and _is_int64(text):
            return int(text)
        return text


def _is_int64(text: str) -> bool:
    body = text[1:] if text[0] in "+-" else text
    return body.isdigit() and body.isascii() and -(2**63) <= int(text) < 2**63


def _show(path: Path) -> str:
    from mlflow_lint.paths import format_path

    return format_path(path) or "(empty)"


class SetAction(argparse.Action):
    """Collects --set and --set-string into one list of (flag, text), keeping the command-line order."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        items = list(getattr(namespace, self.dest) or [])
        items.append((option_string or SET, str(values)))
        setattr(namespace, self.dest, items)


def typed_hint(hint: str, path: Path) -> str:
    """A value typed by `--set` is not fixed by quoting it (the shell eats the quotes): `--set-string` is."""
    if not hint.startswith("quote the value"):
        return hint
    from mlflow_lint.paths import format_path

    return (
        f"use `--set-string {format_path(path)}=...` instead of `--set`: --set reads true/false and digits "
        "as a boolean or a number, however it is quoted"
    )
