"""Helm's --set syntax (strvals) and -f/--set layering: one release, findings at the layer that set them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlflow_lint.setflags import SET, SET_STRING, Flag, SetError, merge_maps, number_flags, parse_into


def parse(text: str, kind: str = SET, base: dict | None = None) -> dict:
    dest = {} if base is None else base
    parse_into(Flag(kind, text, 1), dest, set())
    return dest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a=b", {"a": "b"}),
        ("a.b.c=1", {"a": {"b": {"c": 1}}}),
        ("a=1,b=2", {"a": 1, "b": 2}),
        (
            "a=true,b=FALSE,c=null,d=0,e=007,f=-5,g=1.5,h=",
            {"a": True, "b": False, "c": None, "d": 0, "e": "007", "f": -5, "g": "1.5", "h": ""},
        ),
        ("a={x,y,1}", {"a": ["x", "y", 1]}),
        ("a={x,y},b=2", {"a": ["x", "y"], "b": 2}),
        (r"a\.b=1", {"a.b": 1}),
        (r"a=x\,y", {"a": "x,y"}),
        ("a[0].b=1,a[0].c=2", {"a": [{"b": 1, "c": 2}]}),
        ("a[2]=z", {"a": [None, None, "z"]}),
        ("a[0][1]=x", {"a": [[None, "x"]]}),
        ("url=postgresql://u:p@h/db?x=1", {"url": "postgresql://u:p@h/db?x=1"}),
        ("a=9223372036854775808", {"a": "9223372036854775808"}),  # beyond int64: stays a string
    ],
)
def test_typed_values_like_helm(text: str, expected: dict) -> None:
    assert parse(text) == expected


def test_set_string_keeps_strings() -> None:
    assert parse("a=true,b=60,c=null", SET_STRING) == {"a": "true", "b": "60", "c": "null"}


def test_set_writes_into_existing_lists_and_maps() -> None:
    base = {"extraEnv": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}], "image": {"tag": "x"}}
    parse("extraEnv[1].value=3,image.pullPolicy=Always", base=base)
    assert base == {
        "extraEnv": [{"name": "A", "value": "1"}, {"name": "B", "value": 3}],
        "image": {"tag": "x", "pullPolicy": "Always"},
    }


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a", "has no value"),
        ("a.b", "has no value"),
        ("a,b=1", "cannot end with"),
        ("a[x]=1", "index"),
        ("a[-1]=1", "negative"),
        ("a={x,y", "must end with"),
        ("a[0]x=1", "unexpected text"),
    ],
)
def test_bad_syntax_is_an_error_naming_the_key(text: str, words: str) -> None:
    with pytest.raises(SetError, match=words):
        parse(text)


def test_error_never_quotes_the_value() -> None:
    with pytest.raises(SetError) as info:
        parse("pw={Hunter2-Secret-Value", SET)
    assert "Hunter2" not in str(info.value)


def test_conflict_with_file_values_is_an_error() -> None:
    with pytest.raises(SetError, match="not a map"):
        parse("image.tag.x=1", base={"image": {"tag": "v1"}})


def test_helm_applies_all_set_before_set_string() -> None:
    flags = number_flags([(SET_STRING, "a=1"), (SET, "a=2"), (SET, "b=3")])
    assert [(f.kind, f.index) for f in flags] == [(SET, 1), (SET, 2), (SET_STRING, 1)]


def test_merge_maps_keeps_nulls_for_the_chart_coalesce() -> None:
    assert merge_maps({"a": {"b": 1, "c": 2}}, {"a": {"b": None}, "d": [1]}) == {"a": {"b": None, "c": 2}, "d": [1]}


BASE = """\
image:
  tag: v2.14.1
trackingServer:
  basicAuth:
    enabled: true
    createSecret:
      adminPassword: correct-horse-battery-staple
extraEnv:
  - name: MLFLOW_S3_IGNORE_TLS
    value: "true"
"""
PROD = """\
replicaCount: 1
trackingServer:
  basicAuth:
    createSecret:
      defaultPermission: read
"""


@pytest.fixture
def layered(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "prod.yaml").write_text(PROD, encoding="utf-8")

    def run(*flags: str) -> tuple[int, list[dict], str]:
        code, out, err = run_cli("--isolated", "--format", "json", *flags)
        return code, (json.loads(out)["findings"] if out.strip() else []), err

    return run


def where(findings: list[dict], code: str) -> list[tuple[str, int]]:
    return [(f["file"], f["line"]) for f in findings if f["code"] == code]


def test_files_are_one_release_and_findings_point_at_the_layer(layered) -> None:
    code, findings, _ = layered("--select", "MLF507", "-f", "base.yaml", "-f", "prod.yaml")
    assert code == 1
    assert where(findings, "MLF507") == [("prod.yaml", 5)]


def test_later_file_overrides_earlier(layered, tmp_path: Path) -> None:
    (tmp_path / "fix.yaml").write_text(
        "trackingServer:\n  basicAuth:\n    createSecret:\n      defaultPermission: READ\n", encoding="utf-8"
    )
    code, findings, _ = layered("--select", "MLF507", "-f", "base.yaml", "-f", "prod.yaml", "-f", "fix.yaml")
    assert (code, where(findings, "MLF507")) == (0, [])


def test_set_overrides_files_and_is_reported_at_the_flag(layered) -> None:
    _, findings, _ = layered(
        "--select",
        "MLF507,MLF005",
        "-f",
        "base.yaml",
        "-f",
        "prod.yaml",
        "--set",
        "trackingServer.basicAuth.createSecret.defaultPermission=EDIT",
        "--set",
        "trackingServer.basicAuth.createSecret.defaultPermission=Manage",
        "--set-string",
        "trackingServer.bogus=1",
    )
    assert where(findings, "MLF507") == [("--set", 2)]
    assert where(findings, "MLF005") == [("--set-string", 1)]
    assert next(f for f in findings if f["code"] == "MLF005")["path"] == "trackingServer.bogus"


def test_set_types_values_and_set_string_does_not(layered) -> None:
    _, findings, _ = layered("--select", "MLF002", "-f", "base.yaml", "--set", "extraEnv[0].value=true")
    assert where(findings, "MLF002") == [("--set", 1)]
    _, findings, _ = layered("--select", "MLF002", "-f", "base.yaml", "--set-string", "extraEnv[0].value=true")
    assert where(findings, "MLF002") == []


def test_null_deletes_a_key(layered) -> None:
    _, findings, _ = layered(
        "--select",
        "MLF507",
        "-f",
        "base.yaml",
        "-f",
        "prod.yaml",
        "--set",
        "trackingServer.basicAuth.createSecret.defaultPermission=null",
    )
    # Helm's null removes the key, the chart default included: the INI gets an empty permission
    assert where(findings, "MLF507") == [("--set", 1)]
    _, findings, _ = layered(
        "--select", "MLF507", "-f", "base.yaml", "-f", "prod.yaml", "--set", "trackingServer.basicAuth=null"
    )
    assert where(findings, "MLF507") == []  # basic auth (and its rendered INI) gone


def test_null_in_a_later_file_deletes(layered, tmp_path: Path) -> None:
    (tmp_path / "off.yaml").write_text(
        "trackingServer:\n  basicAuth:\n    createSecret:\n      defaultPermission: null\n", encoding="utf-8"
    )
    _, findings, _ = layered("--select", "MLF507", "-f", "base.yaml", "-f", "prod.yaml", "-f", "off.yaml")
    assert where(findings, "MLF507") == [("off.yaml", 4)]
    assert "empty" in findings[0]["message"]


def test_bad_set_syntax_exits_2_with_a_clear_message(layered) -> None:
    code, _, err = layered("-f", "base.yaml", "--set", "trackingServer.basicAuth")
    assert code == 2
    assert "--set #1" in err and "has no value" in err


def test_missing_layer_file_exits_2(layered) -> None:
    code, _, err = layered("-f", "base.yaml", "-f", "nope.yaml")
    assert code == 2 and "nope.yaml" in err


def test_set_with_positional_files_but_no_f_is_a_usage_error(layered) -> None:
    code, _, err = layered("base.yaml", "--set", "a=1")
    assert code == 2 and "-f" in err


def test_positional_files_are_still_linted_one_by_one(layered) -> None:
    # prod.yaml alone: basic auth is not enabled there, so its permission renders nothing
    code, findings, _ = layered("--select", "MLF507", "base.yaml", "prod.yaml")
    assert (code, findings) == (0, [])
