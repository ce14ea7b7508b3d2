"""YAML text to a node graph: libyaml reads, ruamel.yaml's pure parser has the last word.

Scanning YAML in pure Python was most of a lint's time, so the event stream comes from
libyaml, compiled (`ruamel.yaml.clib`, the C extension ruamel itself uses), whenever it
accepts the text. ruamel.yaml's pure-Python reader, scanner and parser, reading YAML 1.1 as
go-yaml (Helm's reader) does, stay the reference for what is YAML at all:

- where libyaml refuses a file (or meets an undefined alias), the pure parser reads it again
  and its verdict, message and line stand: the libyaml in that extension is 0.1.7, which
  refuses some YAML that Helm reads (a `:` inside a plain scalar in a flow list,
  `[--x=gs://b]`), and words its errors differently;
- text holding a tab goes to the pure parser at once: that libyaml accepts `key:<TAB>value`,
  which go-yaml, and so Helm, refuses;
- without the extension (PyPy, a platform with no wheel) the pure parser reads everything.

tests/test_yaml_events.py checks that whatever libyaml accepts composes to the same document,
positions included, as the pure parser gives, over every YAML file of the suite and
generated and mutated ones.

The composer is ours rather than either library's, for three reasons: it keeps a budget of
nodes and of nesting depth while composing (an input made to exhaust memory or the C stack
stops early), it leaves plain scalars untyped (`helm_types` applies Helm's typing later), and
it builds small slotted nodes instead of ruamel's, which is most of the per-file cost left
once scanning is compiled.
"""

from __future__ import annotations

from mlflow_lint import runtime

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

PLAIN = "helm:plain"  # the tag we give untagged plain scalars: Helm's typing applies to them
STR = "tag:yaml.org,2002:str"


class Node:
    """A composed YAML node: `id` is "scalar", "sequence" or "mapping".

    `value` is the text of a scalar, a list of nodes for a sequence, a list of (key, value)
    node pairs for a mapping. `start_mark` has 0-based `line` and `column`.
    """

    __slots__ = ("id", "start_mark", "style", "tag", "value")

    def __init__(self, node_id: str, tag: str, value: Any, start_mark: Any, style: str | None = None) -> None:
        self.id = node_id
        self.tag = tag
        self.value = value
        self.start_mark = start_mark
        self.style = style


class ComposeLimit(Exception):
    """The input went past a composing budget; `mark` is where, `what` which budget."""

    def __init__(self, what: str, mark: Any) -> None:
        super().__init__(what)
        self.what = what
        self.mark = mark


class UndefinedAlias(Exception):
    """`*name` with no `&name` before it in the document."""

    def __init__(self, name: str, mark: Any) -> None:
        super().__init__(name)
        self.name = name
        self.mark = mark


def compose_all(text: str, max_nodes: int, max_depth: int) -> list[Node]:
    """Every document of `text` as a node tree.

    Raises ruamel's YAMLError subclasses for text that is not YAML, ComposeLimit past
    `max_nodes` nodes or `max_depth` levels, UndefinedAlias.
    """
    c_parser = None if "\t" in text else compiled_parser_class()
    if c_parser is not None:
        _, yaml_error = error_classes()
        try:
            return compose(c_parser(str(text)), max_nodes, max_depth)  # exactly a str: no subclasses
        except (yaml_error, UnicodeEncodeError, UndefinedAlias):  # refused: ruamel decides
            pass  # (an undefined alias too: the pure parser may refuse an earlier token)
    return compose(pure_parser_class()(text), max_nodes, max_depth)


def compose(parser: Any, max_nodes: int, max_depth: int) -> list[Node]:
    """The documents of one parser's event stream (libyaml's or ruamel's); disposes of it."""
    try:
        return _Composer(parser.get_event, max_nodes, max_depth).documents()
    finally:
        parser.dispose()


def compiled_parser_available() -> bool:
    """True when libyaml (ruamel.yaml.clib) parses; False means the pure-Python fallback."""
    return compiled_parser_class() is not None


def error_classes() -> tuple[type[Exception], type[Exception]]:
    """ruamel's (MarkedYAMLError, YAMLError): what both parsers raise for text that is not YAML."""
    _ensure_light_package()
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    return MarkedYAMLError, YAMLError


class _Composer:
    """Events to nodes, within a node budget and a depth budget, whichever parser sends them."""

    def __init__(self, next_event: Any, max_nodes: int, max_depth: int) -> None:
        events = _part("events")
        self.next_event = next_event
        self.max_nodes = max_nodes
        self.max_depth = max_depth
        self.count = 0
        self.anchors: dict[str, Node] = {}
        self.alias = events.AliasEvent
        self.scalar = events.ScalarEvent
        self.sequence_start = events.SequenceStartEvent
        self.mapping_start = events.MappingStartEvent
        self.sequence_end = events.SequenceEndEvent
        self.mapping_end = events.MappingEndEvent
        self.stream_end = events.StreamEndEvent

    def documents(self) -> list[Node]:
        self.next_event()  # stream start
        nodes = []
        while type(self.next_event()) is not self.stream_end:  # a document starts
            self.anchors = {}
            nodes.append(self.node(self.next_event(), 1))
            self.next_event()  # document end
        return nodes

    def node(self, event: Any, depth: int) -> Node:
        kind = type(event)
        if kind is self.alias:
            try:
                return self.anchors[event.anchor]
            except KeyError:
                raise UndefinedAlias(event.anchor, event.start_mark) from None
        self.count += 1
        if self.count > self.max_nodes:
            raise ComposeLimit("nodes", event.start_mark)
        if depth > self.max_depth:
            raise ComposeLimit("depth", event.start_mark)
        if kind is self.scalar:
            # Plain style is None from ruamel and "" from libyaml: None for both.
            node = Node("scalar", _scalar_tag(event), event.value, event.start_mark, event.style or None)
        else:
            node = Node("sequence" if kind is self.sequence_start else "mapping", "", [], event.start_mark)
        if event.anchor is not None:  # before the children: `&a [*a]` refers to itself, as in ruamel
            self.anchors[event.anchor] = node
        if kind is self.sequence_start:
            self._items(node.value, depth)
        elif kind is self.mapping_start:
            self._pairs(node.value, depth)
        return node

    def _items(self, items: list[Node], depth: int) -> None:
        while type(event := self.next_event()) is not self.sequence_end:
            items.append(self.node(event, depth + 1))

    def _pairs(self, pairs: list[tuple[Node, Node]], depth: int) -> None:
        while type(event := self.next_event()) is not self.mapping_end:
            key = self.node(event, depth + 1)
            value_event = self.next_event()
            value = self.node(value_event, depth + 1)
            if type(value_event) is self.scalar and value.tag == PLAIN and not value.value:
                # `key:` with nothing after it: ruamel marks the empty value at the next token
                # (often the next line), libyaml just past the colon. Both give the key's
                # place, the line the user wrote. (Not through an alias: that node is shared.)
                value.start_mark = key.start_mark
            pairs.append((key, value))


def _scalar_tag(event: Any) -> str:
    tag = event.ctag  # a str from libyaml, a ruamel Tag object from the pure parser
    if tag is not None and not isinstance(tag, str):
        tag = str(tag)
    if tag is None or tag == "!":
        return PLAIN if event.implicit[0] else STR
    return str(tag)


_C_PARSER: Any = None
_PURE_PARSER: Any = None


def compiled_parser_class() -> Any:
    """libyaml's parser from ruamel.yaml.clib, or None where the extension is not installed."""
    global _C_PARSER
    if _C_PARSER is None and not runtime.SPEEDUPS:
        _C_PARSER = False  # MLFLOW_LINT_NO_SPEEDUPS: the pure parser reads everything
    if _C_PARSER is None:
        _ensure_light_package()
        try:
            _C_PARSER = _import_extension().CParser
        except ImportError:  # no wheel for this interpreter or platform: the pure parser reads
            _C_PARSER = False
    return _C_PARSER or None


# `_ruamel_yaml` imports an error class from each of eight ruamel modules, which between them
# load most of the library (the pure scanner and parser, the emitter side with constructors
# and representers): a fifth of a cold lint, for classes that matter only when it fails (the
# pure parser then reads the text again, with the real modules) or that its parser never
# raises (the emitter side's).
_STAND_IN_ERRORS = {
    "reader": ("ReaderError", "YAMLError"),
    "scanner": ("ScannerError", "MarkedYAMLError"),
    "parser": ("ParserError", "MarkedYAMLError"),
    "composer": ("ComposerError", "MarkedYAMLError"),
    "constructor": ("ConstructorError", "MarkedYAMLError"),
    "emitter": ("EmitterError", "YAMLError"),
    "serializer": ("SerializerError", "YAMLError"),
    "representer": ("RepresenterError", "YAMLError"),
}


def _import_extension() -> Any:
    """Import `_ruamel_yaml` with light stand-ins for the modules of its error classes.

    Each stand-in holds only its error class, a subclass of the same ruamel base (so `except
    YAMLError` holds), and leaves `sys.modules` as soon as the extension is loaded: a later
    import of those modules gets ruamel's own. Whenever ruamel's real modules load (the pure
    parser, or ruamel.yaml's `__init__`, see `_deferred_package`), the extension is given
    their classes (`_adopt_real_errors`).
    """
    import sys
    import types

    error = _part("error")
    stand_ins = {}
    for name, (class_name, base) in _STAND_IN_ERRORS.items():
        full_name = f"ruamel.yaml.{name}"
        if full_name not in sys.modules:  # loaded already: the real one serves
            module = types.ModuleType(full_name)
            setattr(module, class_name, type(class_name, (getattr(error, base),), {"__module__": full_name}))
            stand_ins[full_name] = sys.modules[full_name] = module
    try:
        import _ruamel_yaml
    finally:
        for full_name, module in stand_ins.items():
            if sys.modules.get(full_name) is module:
                del sys.modules[full_name]
    return _ruamel_yaml


def _adopt_real_errors() -> None:
    """Give the extension ruamel's own error classes, of whichever modules are loaded now."""
    import sys

    extension = sys.modules.get("_ruamel_yaml")
    for name, (class_name, _) in _STAND_IN_ERRORS.items():
        module = sys.modules.get(f"ruamel.yaml.{name}")
        if extension is not None and module is not None:
            setattr(extension, class_name, getattr(module, class_name))


def pure_parser_class() -> Any:
    """ruamel.yaml's reader, scanner and parser as one object (no composer, no constructor).

    Its parts find each other through properties that probe `self.loader` with hasattr() on
    every token; here all parts are this one object, so the properties return it directly.
    """
    global _PURE_PARSER
    if _PURE_PARSER is None:
        docinfo, parser, reader, resolver, scanner = map(_part, ("docinfo", "parser", "reader", "resolver", "scanner"))
        parts: tuple[Any, ...] = (reader.Reader, scanner.Scanner, parser.Parser, resolver.VersionedResolver)

        class PureParser(*parts):  # type: ignore[misc]
            reader = scanner = parser = resolver = property(lambda self: self)

            def __init__(self, stream: str) -> None:
                # The settings ruamel's parts read from their `YAML` front end.
                self.comment_handling = None
                self.version = None
                self.tags: dict[str, str] = {}
                self.scalar_after_indicator = None
                self.doc_infos = [docinfo.DocInfo(requested_version=docinfo.version(None))]
                for part in parts[:3]:
                    part.__init__(self, **({"stream": stream} if part is parts[0] else {}), loader=self)
                # YAML 1.1, as libyaml and go-yaml read: ruamel's 1.2 default accepts `: x`
                # (an empty key), which they refuse with "did not find expected key".
                parts[3].__init__(self, (1, 1), loader=self)

        _PURE_PARSER = PureParser
        _adopt_real_errors()  # ruamel's reader, scanner and parser are loaded now
    return _PURE_PARSER


def _part(name: str) -> Any:
    """`ruamel.yaml.<name>`, imported without running ruamel.yaml's `__init__`.

    Not `from ruamel.yaml import <name>`: that asks the package for the attribute first,
    which is what runs the deferred `__init__` (see `_ensure_light_package`).
    """
    import importlib

    _ensure_light_package()
    return importlib.import_module(f"ruamel.yaml.{name}")


def _ensure_light_package() -> None:
    """Make `ruamel.yaml.<part>` importable without running the package's `__init__` yet.

    `import ruamel.yaml` executes `ruamel.yaml.main`, which imports every part of the
    library (emitter, representers, constructors): about half of a cold lint's time. The
    parsing modules only need each other, so they are imported under a package object whose
    `__init__` has not run. It stays in `sys.modules`, and the first attribute that only the
    real `__init__` defines (`from ruamel.yaml import YAML` anywhere in the process) runs
    that `__init__` in it (PEP 562 module `__getattr__`), exactly as `import` would have.
    """
    import sys

    if "ruamel.yaml" not in sys.modules:
        sys.modules["ruamel.yaml"] = _deferred_package()


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
        _adopt_real_errors()  # the real __init__ has loaded every part of ruamel
        return getattr(package, name)

    package.__getattr__ = run_init  # type: ignore[method-assign]
    ruamel.yaml = package  # type: ignore[attr-defined]  # as the import system binds a subpackage
    return package
