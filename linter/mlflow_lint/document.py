"""Load a values file into Helm-typed data with a position for every key and value.

ruamel.yaml composes the node graph (round-trip mode, so marks are exact); this module then
builds plain Python data from the nodes itself, because Helm's typing is not ruamel's (see
`helm_types`) and because problems in the YAML (duplicate keys, non-string keys, alias
bombs, several documents) must become findings rather than exceptions.
"""

from __future__ import annotations

import codecs
import re
import warnings
from typing import Any, NamedTuple

from mlflow_lint.helm_types import resolve_plain
from mlflow_lint.limits import flow_depth_exceeded
from mlflow_lint.paths import Path, format_path

MAX_NODES = 200_000  # alias expansion budget: a "billion laughs" file stops here
# ruamel composes about 15,000 nodes a second here; real values files have a few hundred.
MAX_COMPOSED_NODES = 30_000
MAX_DEPTH = 200  # values nesting; real charts use fewer than 10 levels
_PLAIN = "helm:plain"  # tag our resolver gives implicit plain scalars
_SURROGATE = re.compile("[\ud800-\udfff]")


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
    if text.count("\n") + text.count(",") > 2 * MAX_COMPOSED_NODES:  # a cheap upper bound, before ruamel
        raise LoadError(LoadProblem("MLF008", 1, 1, f"the file is too large to lint: more than "
                                    f"{2 * MAX_COMPOSED_NODES} lines and list items (real values files have"
                                    " a few hundred)"))
    too_deep = flow_depth_exceeded(text, MAX_DEPTH)  # before ruamel: its scanner is slow on these
    if too_deep is not None:
        raise LoadError(LoadProblem("MLF008", too_deep.line, too_deep.column, too_deep.message(MAX_DEPTH)))
    loader_class = _loader_class()  # first: it imports ruamel's parts the light way
    from ruamel.yaml.composer import MaxDepthExceededError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    loader = None
    try:
        loader = loader_class(text)  # ruamel's Reader refuses control characters right here
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. ReusedAnchorWarning: Helm accepts a redefined anchor
            return _compose_nodes(loader)
    except _TooManyNodes as exc:
        raise _limit(exc.node, f"the YAML holds more than {MAX_COMPOSED_NODES} nodes") from None
    except MaxDepthExceededError as exc:
        mark = exc.problem_mark
        raise LoadError(LoadProblem("MLF008", mark.line + 1, mark.column + 1,
                                    f"the values nest deeper than {MAX_DEPTH} levels")) from None
    except MarkedYAMLError as exc:
        raise LoadError(_syntax_problem(exc, text)) from None
    except RecursionError:
        raise LoadError(LoadProblem("MLF008", 1, 1, "the YAML nests too deeply to be read safely")) from None
    except YAMLError as exc:
        raise LoadError(_reader_problem(exc)) from None
    finally:
        if loader is not None:
            loader.dispose()


def _compose_nodes(loader: Any) -> list[Any]:
    nodes = []
    while loader.check_node():
        nodes.append(loader.get_node())
    return nodes


class _TooManyNodes(Exception):
    def __init__(self, node: Any) -> None:
        super().__init__()
        self.node = node


def _reader_problem(exc: Any) -> LoadProblem:
    """ruamel's ReaderError (a character YAML does not allow) carries an offset, not a mark."""
    character = getattr(exc, "character", None)
    where = f" {character!r}" if isinstance(character, str) and character.isprintable() else ""
    code = f" (U+{ord(character):04X})" if isinstance(character, str) and len(character) == 1 else ""
    return LoadProblem("MLF001", 1, 1, f"invalid YAML: the file holds a character YAML does not allow{where}{code}",
                       "values files are text: remove control characters and NUL bytes")


_LOADER_CLASS: Any = None


def _loader_class() -> Any:
    """ruamel.yaml's reader, scanner, parser and composer, without its constructors.

    We never construct Python objects with ruamel (Helm's typing is applied by `_Builder`),
    so this is ruamel's classic `BaseLoader` minus `BaseConstructor`, with a resolver that
    leaves plain scalars untyped, and without the round-trip scanner's comment handling
    (directives are read from the raw lines). Node marks give the same 0-based positions.
    """
    global _LOADER_CLASS
    if _LOADER_CLASS is None:
        reader, scanner, parser, composer, resolver, nodes, docinfo, tag = _import_ruamel_parts()
        plain = tag.Tag(suffix=_PLAIN)

        base_resolver: Any = resolver.VersionedResolver
        reader_cls: Any = reader.Reader
        scanner_cls: Any = scanner.Scanner
        parser_cls: Any = parser.Parser
        composer_cls: Any = composer.Composer

        class PlainResolver(base_resolver):
            def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
                if kind is nodes.ScalarNode and implicit[0]:
                    return plain
                return super().resolve(kind, value, implicit)

        class Loader(reader_cls, scanner_cls, parser_cls, composer_cls, PlainResolver):
            # ruamel's parts find each other through properties that probe `self.loader`
            # with hasattr() on every token; here all parts are this one object.
            reader = property(lambda self: self)
            scanner = property(lambda self: self)
            parser = property(lambda self: self)
            resolver = property(lambda self: self)

            def compose_node(self, parent: Any, index: Any) -> Any:
                node = super().compose_node(parent, index)
                self.node_count += 1  # a budget while composing: 300k-item lists stop early
                if self.node_count > MAX_COMPOSED_NODES:
                    raise _TooManyNodes(node)
                return node

            def __init__(self, stream: str) -> None:
                self.node_count = 0
                # The settings ruamel's parts read from their `YAML` front end.
                self.comment_handling = None
                self.max_depth = MAX_DEPTH + 2  # ruamel stops deeper documents cleanly
                self.version = None
                self.tags: dict[str, str] = {}
                self.scalar_after_indicator = None
                self.doc_infos = [docinfo.DocInfo(requested_version=docinfo.version(None))]
                reader_cls.__init__(self, stream, loader=self)
                scanner_cls.__init__(self, loader=self)
                parser_cls.__init__(self, loader=self)
                composer_cls.__init__(self, loader=self)
                base_resolver.__init__(self, None, loader=self)

        _LOADER_CLASS = Loader
    return _LOADER_CLASS


def _import_ruamel_parts() -> tuple[Any, ...]:
    """Import ruamel.yaml's parsing modules without running the package's `__init__` yet.

    `import ruamel.yaml` executes `ruamel.yaml.main`, which imports every part of the
    library (emitter, representers, constructors): about half of a cold lint's time. The
    parsing modules only need each other, so they are imported under a package object whose
    `__init__` has not run. It stays in `sys.modules`, and the first attribute that only the
    real `__init__` defines (`from ruamel.yaml import YAML` anywhere in the process) runs
    that `__init__` in it (PEP 562 module `__getattr__`), exactly as `import` would have.
    """
    import importlib
    import sys

    names = ("reader", "scanner", "parser", "composer", "resolver", "nodes", "docinfo", "tag")
    if "ruamel.yaml" not in sys.modules:
        sys.modules["ruamel.yaml"] = _deferred_package()
    return tuple(importlib.import_module(f"ruamel.yaml.{n}") for n in names)


def _deferred_package() -> Any:
    import os
    import types

    import ruamel

    package = types.ModuleType("ruamel.yaml")
    package.__path__ = [os.path.join(p, "yaml") for p in ruamel.__path__]
    init_file = package.__file__ = os.path.join(package.__path__[0], "__init__.py")

    def run_init(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        del package.__dict__["__getattr__"]
        with open(init_file, encoding="utf-8") as handle:
            exec(compile(handle.read(), init_file, "exec"), package.__dict__)
        return getattr(package, name)

    package.__getattr__ = run_init  # type: ignore[method-assign]
    ruamel.yaml = package  # type: ignore[attr-defined]  # as the import system binds a subpackage
    return package


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
            if node.style == '"' and _SURROGATE.search(node.value):
                raise _limit(node, "invalid YAML: a `\\u` escape makes a lone surrogate, which no YAML"
                             " reader Helm uses accepts", code="MLF001")
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

    def _key(self, key_node: Any, path: Path) -> str:
        if key_node.id != "scalar":
            raise _limit(key_node, "a mapping key is itself a list or mapping", code="MLF007")
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
                f"the key `{key_node.value}` is read by Helm as a {type(value).__name__}"
                f" and becomes the string key `{text}`",
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


def _tag(node: Any) -> str:
    tag = node.tag  # a str in ruamel.yaml 0.19, a Tag object in some releases
    return tag if isinstance(tag, str) else str(getattr(tag, "value", tag))


def _is_merge_key(node: Any) -> bool:
    return (
        node.id == "scalar"
        and node.style is None
        and node.value == "<<"
        and _tag(node) in (_PLAIN, "tag:yaml.org,2002:merge")
    )


def _scalar(node: Any) -> Any:
    suffix = _tag(node)
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
