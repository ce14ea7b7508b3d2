"""Load a values file into Helm-typed data with a position for every key and value.

`yaml_events` composes the node graph (libyaml's parser, with ruamel's as the reference);
this module then builds plain Python data from the nodes itself, because Helm's typing is
not ruamel's (see `helm_types`) and because problems in the YAML (duplicate keys, non-string
keys, alias bombs, several documents) must become findings rather than exceptions.
"""

from __future__ import annotations

import codecs
import re

from mlflow_lint import yaml_events
from mlflow_lint.helm_types import described, resolve_plain
from mlflow_lint.limits import flow_depth_exceeded
from mlflow_lint.paths import Path, format_path
from mlflow_lint.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_NODES = 200_000  # alias expansion budget: a "billion laughs" file stops here
# A budget while composing; real values files have a few hundred nodes.
MAX_COMPOSED_NODES = 30_000
MAX_DEPTH = 200  # values nesting; real charts use fewer than 10 levels
_PLAIN = yaml_events.PLAIN
_SURROGATE = "[\ud800-\udfff]"  # compiled by `re` on first use: only non-ASCII scalars need it


class Position(NamedTuple):
    """1-based line and column of a key (if any) and of its value."""

    line: int
    column: int
    key_line: int = 0
    key_column: int = 0


class LoadProblem(NamedTuple):
    """A problem found while reading the YAML; the engine turns it into a finding."""

    code: str
    line: int
    column: int
    message: str
    hint: str = ""
    path: Path = ()


class LoadError(Exception):
    """The file cannot be read as YAML at all; carries the problem that says why."""

    def __init__(self, problem: LoadProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class Document(NamedTuple):
    """One values file as Helm will see it."""

    file: str
    text: str
    data: dict[str, Any]
    positions: dict[Path, Position]
    problems: list[LoadProblem]

    def locate(self, path: Path, at_key: bool = False) -> Position | None:
        """Position of `path`, or of its nearest ancestor present in this file."""
        while True:
            pos = self.positions.get(path)
            if pos is not None:
                if at_key and pos.key_line:
                    return Position(pos.key_line, pos.key_column, pos.key_line, pos.key_column)
                return pos
            if not path:
                return None
            path = path[:-1]


def decode(raw: bytes) -> str:
    """Decode file bytes as YAML readers do: UTF-8, or UTF-16/32 when a BOM says so."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(encoding)
    return raw.decode("utf-8")


def load(file: str, text: str) -> Document:
    """Parse `text`; raise LoadError for YAML that no tool could read."""
    nodes = _compose_all(text)
    builder = _Builder()
    data: Any = None
    if nodes:
        data = builder.build(nodes[0])
    for extra in nodes[1:]:
        mark = extra.start_mark
        builder.problems.append(
            LoadProblem(
                "MLF010",
                mark.line + 1,
                mark.column + 1,
                "this file holds more than one YAML document; Helm reads only the first",
                "remove the `---` separator and merge the documents",
            )
        )
    if data is None:
        data = {}
    elif not isinstance(data, dict):
        mark = nodes[0].start_mark
        builder.problems.append(
            LoadProblem(
                "MLF009",
                mark.line + 1,
                mark.column + 1,
                f"the values root is a {_kind(data)}; Helm needs a mapping of keys to values",
                "start the file with top-level keys such as `image:` or `trackingServer:`",
            )
        )
        data = {}
    return Document(file, text, data, builder.positions, builder.problems)


def load_all(text: str) -> list[tuple[Any, dict[Path, Position]]]:
    """Every YAML document of `text` with its positions (Kubernetes manifests hold several).

    Raises LoadError for YAML that cannot be read; problems inside documents are not kept.
    """
    out = []
    for node in _compose_all(text):
        builder = _Builder()
        out.append((builder.build(node), builder.positions))
    return out


def _kind(value: Any) -> str:
    return "list" if isinstance(value, list) else "scalar"


def _compose_all(text: str) -> list[Any]:
    if text.count("\n") + text.count(",") > 2 * MAX_COMPOSED_NODES:  # a cheap upper bound, before parsing
        raise LoadError(
            LoadProblem(
                "MLF008",
                1,
                1,
                f"the file is too large to lint: more than "
                f"{2 * MAX_COMPOSED_NODES} lines and list items (real values files have"
                " a few hundred)",
            )
        )
    too_deep = flow_depth_exceeded(text, MAX_DEPTH)  # before parsing: ruamel's pure scanner is slow on these
    if too_deep is not None:
        raise LoadError(LoadProblem("MLF008", too_deep.line, too_deep.column, too_deep.message(MAX_DEPTH)))
    marked_error, yaml_error = yaml_events.error_classes()
    try:
        # Depth budget MAX_DEPTH + 2: the builder reports MAX_DEPTH itself, with the path.
        return yaml_events.compose_all(text, MAX_COMPOSED_NODES, MAX_DEPTH + 2)
    except yaml_events.ComposeLimit as exc:
        what = (
            f"the YAML holds more than {MAX_COMPOSED_NODES} nodes"
            if exc.what == "nodes"
            else f"the values nest deeper than {MAX_DEPTH} levels"
        )
        raise LoadError(LoadProblem("MLF008", exc.mark.line + 1, exc.mark.column + 1, what)) from None
    except yaml_events.UndefinedAlias as exc:
        raise LoadError(
            LoadProblem(
                "MLF001", exc.mark.line + 1, exc.mark.column + 1, f"invalid YAML: found undefined alias {exc.name!r}"
            )
        ) from None
    except marked_error as exc:
        raise LoadError(_syntax_problem(exc, text)) from None
    except RecursionError:
        raise LoadError(LoadProblem("MLF008", 1, 1, "the YAML nests too deeply to be read safely")) from None
    except yaml_error as exc:
        raise LoadError(_reader_problem(exc)) from None


def _reader_problem(exc: Any) -> LoadProblem:
    """A character YAML does not allow: ruamel's ReaderError carries an offset, not a mark.

    Only the pure parser's errors get here (it reads again whatever libyaml refuses).
    """
    character = getattr(exc, "character", None)
    where = f" {character!r}" if isinstance(character, str) and character.isprintable() else ""
    code = f" (U+{ord(character):04X})" if isinstance(character, str) and len(character) == 1 else ""
    return LoadProblem(
        "MLF001",
        1,
        1,
        f"invalid YAML: the file holds a character YAML does not allow{where}{code}",
        "values files are text: remove control characters and NUL bytes",
    )


def _syntax_problem(exc: Any, text: str) -> LoadProblem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
    hint = ""
    lines = text.splitlines()
    if 0 < line <= len(lines) and "\t" in lines[line - 1]:
        hint = "YAML does not allow tabs for indentation; indent with spaces"
    return LoadProblem("MLF001", line, column, f"invalid YAML: {problem}", hint)


class _Builder:
    """Turns composed nodes into Helm-typed data, recording positions and problems."""

    def __init__(self) -> None:
        self.positions: dict[Path, Position] = {}
        self.problems: list[LoadProblem] = []
        self.count = 0

    def build(self, node: Any) -> Any:
        self.positions[()] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        return self._value(node, (), 0)

    def _value(self, node: Any, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _limit(node, f"the YAML expands to more than {MAX_NODES} nodes (alias bomb?)")
        if depth > MAX_DEPTH:
            raise _limit(node, f"the values nest deeper than {MAX_DEPTH} levels")
        node_id = node.id
        if node_id == "scalar":
            return _scalar(node)
        if node_id == "sequence":
            return self._sequence(node, path, depth)
        return self._mapping(node, path, depth)

    def _sequence(self, node: Any, path: Path, depth: int) -> list[Any]:
        items = []
        for index, item in enumerate(node.value):
            item_path = path + (index,)
            mark = item.start_mark
            self.positions[item_path] = Position(mark.line + 1, mark.column + 1)
            items.append(self._value(item, item_path, depth + 1))
        return items

    def _mapping(self, node: Any, path: Path, depth: int) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        own_pairs = []
        for key_node, value_node in node.value:
            if _is_merge_key(key_node):
                self._merge(value_node, path, depth, merged)
            else:
                own_pairs.append((key_node, value_node))
        # Own keys after merges: they win, and so do their positions.
        own: dict[str, Any] = {}
        for key_node, value_node in own_pairs:
            key = self._key(key_node, path)
            if key is None:  # a list or mapping as key: reported, and the rest of the file is still read
                continue
            key_path = path + (key,)
            if key in own:
                self._duplicate(key_node, key_path)
            kmark, vmark = key_node.start_mark, value_node.start_mark
            self.positions[key_path] = Position(vmark.line + 1, vmark.column + 1, kmark.line + 1, kmark.column + 1)
            own[key] = self._value(value_node, key_path, depth + 1)
        merged.update(own)
        return merged

    def _merge(self, value_node: Any, path: Path, depth: int, merged: dict[str, Any]) -> None:
        """`<<: *anchor` or `<<: [*a, *b]`: earlier sources win, own keys win over all."""
        sources = value_node.value if value_node.id == "sequence" else [value_node]
        for source in reversed(sources):
            if source.id != "mapping":
                mark = source.start_mark
                self.problems.append(
                    LoadProblem(
                        "MLF001",
                        mark.line + 1,
                        mark.column + 1,
                        "invalid YAML: a merge key `<<` needs a mapping or a list of mappings",
                    )
                )
                continue
            value = self._mapping(source, path, depth + 1)
            merged.update(value)

    def _key(self, key_node: Any, path: Path) -> str | None:
        if key_node.id != "scalar":
            mark = key_node.start_mark
            kind = "list" if key_node.id == "sequence" else "mapping"
            self.problems.append(
                LoadProblem(
                    "MLF001",
                    mark.line + 1,
                    mark.column + 1,
                    f'invalid map key: this key is a {kind}; Helm refuses the file ("yaml: invalid map key")',
                    "keys are plain strings: remove the `? ` complex key or quote it",
                    path,
                )
            )
            return None
        value = _scalar(key_node)
        if isinstance(value, str):
            return value
        text = _json_key(value)
        mark = key_node.start_mark
        self.problems.append(
            LoadProblem(
                "MLF007",
                mark.line + 1,
                mark.column + 1,
                f"the key `{key_node.value}` is read by Helm as {described(value)} and becomes the string key `{text}`",
                f'quote the key: "{key_node.value}":',
                path + (text,),
            )
        )
        return text

    def _duplicate(self, key_node: Any, key_path: Path) -> None:
        mark = key_node.start_mark
        self.problems.append(
            LoadProblem(
                "MLF006",
                mark.line + 1,
                mark.column + 1,
                f"duplicate key `{format_path(key_path)}`: Helm silently keeps only the last one",
                "remove one of the two entries",
                key_path,
            )
        )


def _is_merge_key(node: Any) -> bool:
    return (
        node.id == "scalar"
        and node.style is None
        and node.value == "<<"
        and node.tag in (_PLAIN, "tag:yaml.org,2002:merge")
    )


def _scalar(node: Any) -> Any:
    # Keys too (libyaml refuses these at once); only a non-ASCII scalar can hold one.
    if node.style == '"' and not node.value.isascii() and re.search(_SURROGATE, node.value):
        raise _limit(
            node,
            "invalid YAML: a `\\u` escape makes a lone surrogate, which no YAML reader Helm uses accepts",
            code="MLF001",
        )
    suffix = node.tag
    if suffix == _PLAIN:
        return resolve_plain(node.value)
    if suffix in ("tag:yaml.org,2002:str", "!"):
        return node.value
    if suffix in (
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:null",
    ):
        return resolve_plain(node.value)
    return node.value


def _json_key(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _limit(node: Any, message: str, code: str = "MLF008") -> LoadError:
    mark = node.start_mark
    return LoadError(LoadProblem(code, mark.line + 1, mark.column + 1, message))
