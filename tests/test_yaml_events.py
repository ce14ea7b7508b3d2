"""yaml_events: what libyaml accepts reads exactly as ruamel's pure parser reads it.

libyaml (ruamel.yaml.clib) is the fast path and ruamel's pure-Python parser the reference:
it decides wherever libyaml refuses a file, reads files with tabs, and reads everything when
the extension is missing. So a lint must never depend on which parser read the file: every
YAML file of the suite (rule cases, the hostile corpus, fixtures, examples) and generated and
mutated documents are read by both, and whenever libyaml accepts, the node trees (tags,
values, styles, positions) are the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlflow_lint import yaml_events
from mlflow_lint.document import LoadError, decode, load
from tests.conftest import REPO, python_stdout
from tests.fuzz import strategies as s

pytestmark = pytest.mark.skipif(
    not yaml_events.compiled_parser_available(), reason="ruamel.yaml.clib is not installed: only the pure parser runs"
)

CORPUS = sorted(
    p
    for p in [*REPO.glob("tests/**/*.yaml"), *REPO.glob("tests/**/*.yml"), *REPO.glob("examples/*.yaml")]
    if p.stat().st_size < 1_000_000
)
# YAML Helm reads that the extension's libyaml 0.1.7 refuses: the pure parser reads it.
LIBYAML_REFUSES = [
    "extraArgs: [--artifacts-destination=gs://bucket/x]\n",  # `:` in a plain scalar in a flow list
    "a: {url: http://x}\n",
]


def canonical(node: yaml_events.Node, seen: set[int] | None = None) -> Any:
    """Everything the builder reads from a node; a node met again (an alias) by its place."""
    seen = set() if seen is None else seen
    mark = node.start_mark
    where = (mark.line, mark.column)
    if id(node) in seen:
        return ("alias of", where)
    seen.add(id(node))
    if node.id == "scalar":
        return (node.tag, node.value, node.style, where)
    if node.id == "sequence":
        return ("sequence", where, [canonical(item, seen) for item in node.value])
    return ("mapping", where, [(canonical(k, seen), canonical(v, seen)) for k, v in node.value])


def read(text: str, parser_class: Any) -> tuple[Any, ...]:
    _, yaml_error = yaml_events.error_classes()
    try:
        nodes = yaml_events.compose(parser_class(text), 30_000, 202)
    except (yaml_error, UnicodeEncodeError):
        return ("refused",)
    except yaml_events.ComposeLimit as exc:
        return ("limit", exc.what)
    except yaml_events.UndefinedAlias as exc:
        return ("undefined alias", exc.name)
    return ("read", [canonical(n) for n in nodes])


def assert_libyaml_agrees(text: str) -> bool:
    """True when libyaml accepted the text (and then read it exactly as the pure parser)."""
    compiled = read(text, yaml_events.compiled_parser_class())
    if compiled[0] in ("refused", "undefined alias") or "\t" in text:  # the pure parser decides these
        return False
    assert compiled == read(text, yaml_events.pure_parser_class())
    return True


def test_the_corpus_is_the_suite_s_yaml() -> None:
    assert len(CORPUS) > 250  # rule cases, hostile corpus, fixtures, examples


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(REPO)))
def test_libyaml_reads_the_suite_s_files_as_ruamel_does(path: Path) -> None:
    try:
        text = decode(path.read_bytes())
    except UnicodeDecodeError:
        pytest.skip("not text: the engine reports it before parsing")
    accepted = assert_libyaml_agrees(text)
    if path.parent.name == "examples" or "/rules/cases/" in str(path):
        assert accepted or "\t" in text or "MLF001" in text, "the fast path should read valid values files"


@settings(max_examples=150, deadline=None)
@given(text=s.values_text())
def test_generated_documents_read_the_same(text: str) -> None:
    assert_libyaml_agrees(text)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_mutated_examples_read_the_same(data: st.DataObject) -> None:
    raw = data.draw(s.mutated((REPO / "examples" / "values.yaml").read_text(encoding="utf-8")))
    try:
        text = decode(raw)
    except UnicodeDecodeError:
        return
    assert_libyaml_agrees(text)


@pytest.mark.parametrize("text", LIBYAML_REFUSES)
def test_what_libyaml_refuses_the_pure_parser_reads(text: str) -> None:
    assert read(text, yaml_events.compiled_parser_class()) == ("refused",)
    assert load("v.yaml", text).data  # read, through the pure parser


def test_a_tab_after_a_colon_is_refused_as_helm_refuses_it() -> None:
    # The extension's libyaml accepts `key:<TAB>value`; go-yaml (Helm) and ruamel's pure
    # scanner do not, so text with a tab is read by the pure parser.
    assert read("image:\n  tag:\tv2.14.1\n", yaml_events.compiled_parser_class())[0] == "read"
    with pytest.raises(LoadError) as caught:
        load("v.yaml", "image:\n  tag:\tv2.14.1\n")
    assert (caught.value.problem.code, caught.value.problem.line) == ("MLF001", 2)
    assert load("v.yaml", 'image:\n  tag: "v2\t14"\n').data == {"image": {"tag": "v2\t14"}}


def test_an_empty_value_is_placed_at_its_key_by_both() -> None:
    text = "a:\nb: {c: , d: 1}\n"
    for parser in (yaml_events.compiled_parser_class(), yaml_events.pure_parser_class()):
        (root,) = yaml_events.compose(parser(text), 100, 10)
        (_, a_value), (_, b_value) = root.value
        assert (a_value.start_mark.line, a_value.start_mark.column) == (0, 0)
        assert (b_value.value[0][1].start_mark.line, b_value.value[0][1].start_mark.column) == (1, 4)
        (root,) = yaml_events.compose(parser("a: &x\nb: *x\n"), 100, 10)
        (_, anchored), (_, alias) = root.value
        assert alias is anchored and (anchored.start_mark.line, anchored.start_mark.column) == (0, 0)


def test_without_the_extension_the_pure_parser_reads() -> None:
    script = (
        "import sys\n"
        "sys.modules['_ruamel_yaml'] = None  # as if ruamel.yaml.clib were not installed\n"
        "from mlflow_lint import yaml_events\n"
        "from mlflow_lint.document import load\n"
        "print(yaml_events.compiled_parser_available(), load('v.yaml', 'a: yes\\nb: [1, 2]\\n').data)\n"
    )
    stdout = python_stdout(script)
    assert stdout.strip() == "False {'a': True, 'b': [1, 2]}"


@pytest.mark.parametrize("parser", ["compiled", "pure"])
def test_composing_budgets_hold_for_both_parsers(parser: str) -> None:
    cls = yaml_events.compiled_parser_class() if parser == "compiled" else yaml_events.pure_parser_class()
    deep = "".join(f"{'  ' * i}k{i}:\n" for i in range(30)) + "  " * 30 + "v\n"
    assert read(deep, cls)[0] == "read"  # 31 levels: within the suite's budget of 202
    with pytest.raises(yaml_events.ComposeLimit) as caught:
        yaml_events.compose(cls(deep), max_nodes=10_000, max_depth=10)
    assert caught.value.what == "depth"
    with pytest.raises(yaml_events.ComposeLimit) as caught:
        yaml_events.compose(cls("[" + ", ".join(["1"] * 50) + "]\n"), max_nodes=20, max_depth=10)
    assert caught.value.what == "nodes"
    with pytest.raises(yaml_events.UndefinedAlias):
        yaml_events.compose(cls("a: *nowhere\n"), max_nodes=20, max_depth=10)


def test_the_extension_gets_ruamel_s_own_error_classes_once_ruamel_loads() -> None:
    # While `_ruamel_yaml` loads, stand-ins hold its eight error classes; the pure parser and
    # the real ruamel.yaml, loaded later in the same process, must work as if they never had.
    script = (
        "import io, sys\n"
        "from mlflow_lint.document import load\n"
        "load('v.yaml', 'a: 1\\n')\n"
        "import _ruamel_yaml\n"
        "from ruamel.yaml.error import YAMLError\n"
        "print(issubclass(_ruamel_yaml.EmitterError, YAMLError), 'ruamel.yaml.emitter' in sys.modules,\n"
        "      'ruamel.yaml.scanner' in sys.modules)\n"
        "from mlflow_lint.document import LoadError\n"
        "try:\n"
        "    load('v.yaml', 'a: [1\\n')  # libyaml refuses; the pure parser (real modules) reports\n"
        "except LoadError as exc:\n"
        "    print(exc.problem.code, exc.problem.message)\n"
        "import ruamel.yaml.parser, ruamel.yaml.reader, ruamel.yaml.scanner\n"
        "print(_ruamel_yaml.ScannerError is ruamel.yaml.scanner.ScannerError,\n"
        "      _ruamel_yaml.ParserError is ruamel.yaml.parser.ParserError,\n"
        "      _ruamel_yaml.ReaderError is ruamel.yaml.reader.ReaderError)\n"
        "from ruamel.yaml import YAML\n"
        "import ruamel.yaml.constructor, ruamel.yaml.emitter, ruamel.yaml.events, ruamel.yaml.representer\n"
        "import ruamel.yaml.serializer\n"
        "print(_ruamel_yaml.EmitterError is ruamel.yaml.emitter.EmitterError,\n"
        "      _ruamel_yaml.SerializerError is ruamel.yaml.serializer.SerializerError,\n"
        "      _ruamel_yaml.ConstructorError is ruamel.yaml.constructor.ConstructorError,\n"
        "      _ruamel_yaml.RepresenterError is ruamel.yaml.representer.RepresenterError)\n"
        "out = io.StringIO()\n"
        "YAML(typ='safe').dump({'b': [1, 2]}, out)\n"
        "print(repr(out.getvalue()), YAML(typ='safe').load('c: yes'))\n"
        "try:\n"
        "    scalar = ruamel.yaml.events.ScalarEvent(None, None, (True, False), 'x')\n"
        "    _ruamel_yaml.CEmitter(io.StringIO()).emit(scalar)  # no stream start: an EmitterError\n"
        "except ruamel.yaml.emitter.EmitterError:\n"
        "    print('caught')\n"
    )
    stdout = python_stdout(script)
    assert stdout.splitlines() == [
        "True False False",
        "MLF001 invalid YAML: while parsing a flow sequence expected ',' or ']', but got '<stream end>'",
        "True True True",
        "True True True True",
        "'b: [1, 2]\\n' {'c': 'yes'}",
        "caught",
    ]
