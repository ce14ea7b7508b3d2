"""The loader types scalars as Helm does and gives every key and value a position."""

from __future__ import annotations

import math

import pytest

from mlflow_lint.document import MAX_NODES, LoadError, decode, load
from mlflow_lint.helm_types import resolve_plain
from tests.conftest import python_stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("Y", True),
        ("on", True),
        ("ON", True),
        ("true", True),
        ("no", False),
        ("n", False),
        ("Off", False),
        ("FALSE", False),
        ("~", None),
        ("null", None),
        ("", None),
        ("60", 60),
        ("017", 15),
        ("0x1F", 31),
        ("0o17", 15),
        ("1_000", 1000),
        ("08", 8.0),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("-3", -3),
        ("v2.14.1", "v2.14.1"),
        ("1.2.3", "1.2.3"),
        ("yess", "yess"),
        ("2024-01-01", "2024-01-01"),
    ],
)
def test_plain_scalars_are_typed_like_helm(text: str, expected: object) -> None:
    value = resolve_plain(text)
    assert value == expected and type(value) is type(expected)


def test_special_floats() -> None:
    assert resolve_plain(".inf") == math.inf
    assert math.isnan(resolve_plain(".NaN"))  # type: ignore[arg-type]


def test_quoted_block_and_tagged_scalars_are_strings_unless_tagged_otherwise() -> None:
    doc = load("v.yaml", 'a: "yes"\nb: \'60\'\nc: |\n  on\nd: !!str 5\ne: !!int "7"\n')
    assert doc.data == {"a": "yes", "b": "60", "c": "on\n", "d": "5", "e": 7}


def test_positions_are_one_based_for_keys_values_and_items() -> None:
    doc = load("v.yaml", "image:\n  tag: v2\nextraEnv:\n  - name: A\n    value: x\n")
    assert doc.positions[("image", "tag")].line == 2
    assert doc.positions[("image", "tag")].column == 8
    assert doc.positions[("image", "tag")].key_column == 3
    assert doc.positions[("extraEnv", 0)].line == 4
    assert doc.positions[("extraEnv", 0, "value")].line == 5
    assert doc.locate(("image", "tag", "missing")).line == 2  # nearest ancestor


def test_anchors_aliases_and_merge_keys_follow_helm() -> None:
    text = "base: &b {x: 1, w: 2}\ncopy: *b\nmerged:\n  <<: *b\n  w: 3\nlistmerge:\n  <<: [*b, {z: 4}]\n"
    doc = load("v.yaml", text)
    assert doc.data["copy"] == {"x": 1, "w": 2}
    assert doc.data["merged"] == {"x": 1, "w": 3}
    assert doc.data["listmerge"] == {"x": 1, "w": 2, "z": 4}
    assert doc.positions[("merged", "w")].line == 5  # own key wins, with its own line


def test_duplicate_keys_are_problems_and_the_last_wins() -> None:
    doc = load("v.yaml", "a: 1\nb: 2\na: 3\n")
    assert doc.data["a"] == 3
    assert [(p.code, p.line) for p in doc.problems] == [("MLF006", 3)]


def test_non_string_keys_become_strings_with_a_problem() -> None:
    doc = load("v.yaml", "nodeSelector:\n  on: spot\n  1: x\n")
    assert doc.data == {"nodeSelector": {"true": "spot", "1": "x"}}
    assert [p.code for p in doc.problems] == ["MLF007", "MLF007"]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "~\n"])
def test_empty_documents_are_empty_values(text: str) -> None:
    doc = load("v.yaml", text)
    assert doc.data == {} and doc.problems == []


@pytest.mark.parametrize(
    ("text", "code"), [("- a\n- b\n", "MLF009"), ("just text\n", "MLF009"), ("a: 1\n---\nb: 2\n", "MLF010")]
)
def test_root_and_document_problems(text: str, code: str) -> None:
    assert [p.code for p in load("v.yaml", text).problems] == [code]


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [("a: [1\n", 2, ""), ("a:\n\tb: 1\n", 2, "tabs"), ("a: 'x\n", 2, ""), ("a: b: c\n", 1, "")],
)
def test_syntax_errors_carry_line_and_hint(text: str, line: int, hint: str) -> None:
    with pytest.raises(LoadError) as caught:
        load("v.yaml", text)
    assert caught.value.problem.code == "MLF001"
    assert caught.value.problem.line == line
    assert hint in caught.value.problem.hint


def test_alias_bomb_hits_the_node_limit() -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    with pytest.raises(LoadError) as caught:
        load("v.yaml", "\n".join(lines) + "\n")
    assert caught.value.problem.code == "MLF008"
    assert str(MAX_NODES) in caught.value.problem.message


def test_deep_nesting_is_a_limit_not_a_crash() -> None:
    text = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(LoadError) as caught:
        load("v.yaml", text)
    assert caught.value.problem.code in ("MLF008", "MLF001")


@pytest.mark.parametrize(
    "raw",
    ["a: 1\n".encode("utf-8-sig"), "a: 1\n".encode("utf-16"), "a: 1\n".encode("utf-32"), b"a: 1\r\n"],
)
def test_boms_and_line_endings(raw: bytes) -> None:
    assert load("v.yaml", decode(raw)).data == {"a": 1}


def test_invalid_utf8_raises_for_the_engine_to_report() -> None:
    with pytest.raises(UnicodeDecodeError):
        decode(b"a: \xff\xfe\xfa\n")


def test_ruamel_stays_usable_as_a_library_after_a_lint() -> None:
    script = (
        "from mlflow_lint.document import load\n"
        "load('v.yaml', 'a: 1\\n')\n"
        "import ruamel.yaml\n"
        "from ruamel.yaml import YAML\n"
        "print(YAML(typ='safe').load('b: [1, 2]'), ruamel.yaml.__version__, ruamel.yaml.resolver.VersionedResolver)\n"
    )
    stdout = python_stdout(script)
    assert stdout.startswith("{'b': [1, 2]}")
