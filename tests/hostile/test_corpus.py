"""Hostile inputs through the real CLI: each ends in a finding or an exit-2 message, in bounded
time and memory, never a traceback.

Small cases are files in `corpus/`; big or special ones (tens of MB, a line of MBs, deep
nesting, a FIFO, a symlink loop, an unreadable file) are made at test time. Every case states
its outcome: the exit code and the finding codes that must appear (exit 0/1), or a piece of
the message (exit 2). `gap` marks a known problem in the core (reported to the lead): the
case is an expected failure until it is fixed, then passes.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile.harness import MEMORY_LIMIT, Outcome, run_cli

CORPUS = Path(__file__).resolve().parent / "corpus"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    exit: int
    codes: tuple[str, ...] = ()  # finding codes that must be reported
    stderr: str = ""  # a piece of the exit-2 message
    flags: tuple[str, ...] = ()
    seconds: float = 5.0  # CPU-time bound, interpreter start included (wall clock only catches hangs)
    gap: str = ""


FILES: dict[str, Case] = {
    "malformed-unclosed-flow.yaml": Case(1, ("MLF001",)),
    "malformed-bad-indent.yaml": Case(1, ("MLF001",)),
    "malformed-unclosed-quote.yaml": Case(1, ("MLF001",)),
    "malformed-tab-indent.yaml": Case(1, ("MLF001",)),
    "malformed-tab-after-colon.yaml": Case(1, ("MLF001",)),  # libyaml (Helm's parser's ancestor) refuses it too
    "malformed-nested-mapping-on-one-line.yaml": Case(1, ("MLF001",)),
    "malformed-undefined-alias.yaml": Case(1, ("MLF001",)),
    "malformed-yaml-directive.yaml": Case(1, ("MLF001",)),
    "malformed-block-scalar.yaml": Case(1, ("MLF001",)),
    "malformed-sequence-in-mapping.yaml": Case(1, ("MLF001",)),
    "malformed-double-comma.yaml": Case(1, ("MLF001",)),
    "malformed-control-character.yaml": Case(1, ("MLF001",)),
    "binary-nul-bytes.yaml": Case(1, ("MLF001",)),
    "binary-png.yaml": Case(1, ("MLF011",)),
    "invalid-utf8-latin1.yaml": Case(1, ("MLF011",)),
    "invalid-utf8-truncated.yaml": Case(1, ("MLF011",)),
    "utf16-no-bom.yaml": Case(1, ("MLF001",)),  # NUL bytes: not text YAML reads
    "utf16-bom.yaml": Case(0),
    "utf16-be-bom.yaml": Case(0),
    "utf8-bom.yaml": Case(0),
    "crlf.yaml": Case(1, ("MLF002",)),
    "cr-only.yaml": Case(0),
    "tabs-in-strings.yaml": Case(0),
    "empty.yaml": Case(0),
    "only-comments.yaml": Case(0),
    "only-document-marker.yaml": Case(0),
    "document-end-marker.yaml": Case(0),
    "root-list.yaml": Case(1, ("MLF009",)),
    "root-scalar.yaml": Case(1, ("MLF009",)),
    "root-number.yaml": Case(1, ("MLF009",)),
    "non-string-keys.yaml": Case(1, ("MLF007",), flags=("--fail-on", "warning")),
    "complex-key.yaml": Case(1, ("MLF001",)),  # Helm refuses it: "invalid map key"
    "merge-keys.yaml": Case(1, ("MLF005",)),  # the merge works; `common` is not a chart key
    "merge-key-not-mapping.yaml": Case(1, ("MLF001",)),
    "anchor-redefined.yaml": Case(1, ("MLF005",)),
    "multiple-documents.yaml": Case(1, ("MLF010",), flags=("--fail-on", "warning")),
    "alias-bomb.yaml": Case(1, ("MLF008",)),
    "surrogate-escape.yaml": Case(1, ("MLF001",)),
    "alias-bomb-mappings.yaml": Case(1, ("MLF008",)),
    "alias-recursive.yaml": Case(1, ("MLF008",)),
}


def _lines(count: int, width: int) -> str:
    return "".join(f"key{i:0{width}d}: value{i:0{width}d}\n" for i in range(count))


def _write(text: str | bytes) -> Callable[[Path], str]:
    def make(path: Path) -> str:
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return str(path)

    return make


def _block_mapping(depth: int) -> str:
    return "".join(f"{' ' * i}k{i}:\n" for i in range(depth)) + " " * depth + "leaf\n"


# name -> (how to make it in a directory, outcome)
GENERATED: dict[str, tuple[Callable[[Path], str], Case]] = {
    "huge-24-mib": (_write(_lines(24 * MIB // 24, 7)), Case(2, stderr="limit")),
    "one-line-3-mib": (_write("notes: " + "x" * 3 * MIB + "\n"), Case(1, ("MLF005",), seconds=10)),
    "one-quoted-line-3-mib": (_write('notes: "' + "x" * 3 * MIB + '"\n'), Case(1, ("MLF005",), seconds=10)),
    "deep-block-mapping-1000": (_write(_block_mapping(1000)), Case(1, ("MLF008",))),
    "deep-block-sequence-3000": (
        _write("".join(f"{' ' * i}-\n" for i in range(3000)) + " " * 3000 + "1\n"),
        Case(2, stderr="limit"),
    ),  # 4.5 MB of indentation
    "deep-block-sequence-1000": (
        _write("".join(f"{' ' * i}-\n" for i in range(1000)) + " " * 1000 + "1\n"),
        Case(1, ("MLF008",)),
    ),
    "deep-compact-sequence-5000": (_write("- " * 5000 + "1\n"), Case(1, ("MLF008",))),
    "deep-flow-sequence-5000": (_write("a: " + "[" * 5000 + "]" * 5000 + "\n"), Case(1, ("MLF008",))),
    "deep-flow-mapping-5000": (_write("a: " + "{x: " * 5000 + "1" + "}" * 5000 + "\n"), Case(1, ("MLF008",))),
    "deep-flow-unclosed-20000": (_write("a: " + "[" * 20000 + "\n"), Case(1, ("MLF008",))),
    "wide-flow-300k-items": (_write("a: [" + "1," * 300_000 + "1]\n"), Case(1, ("MLF008",))),
    "many-keys-120k": (_write(_lines(120_000, 6)), Case(1, ("MLF008",))),
    "many-keys-20k": (_write(_lines(20_000, 6)), Case(1, ("MLF008",))),
    "many-keys-10k": (_write(_lines(10_000, 6)), Case(1, ("MLF012",), seconds=10)),  # no chart has these keys
}


def _special(kind: str, directory: Path) -> str:
    """Paths that are not regular readable files."""
    path = directory / kind
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)  # nobody writes: reading it would block forever
    elif kind == "symlink-loop":
        os.symlink(directory / "symlink-loop-b", path)
        os.symlink(path, directory / "symlink-loop-b")
    elif kind == "dangling-symlink":
        os.symlink(directory / "nowhere.yaml", path)
    elif kind == "unreadable":
        path.write_text("image:\n  tag: v2.14.1\n", encoding="utf-8")
        path.chmod(0)
    return str(path)


SPECIAL: dict[str, Case] = {
    "directory": Case(0),  # searched for values files; an empty one is a warning (tests/test_discovery.py)
    "missing": Case(2, stderr="no such file"),
    "fifo": Case(2, stderr="not a regular file"),
    "symlink-loop": Case(2, stderr="cannot read"),
    "dangling-symlink": Case(2, stderr="no such file"),
    "unreadable": Case(2, stderr="Permission denied"),
}


def _unprivileged() -> tuple[str, ...]:
    """As root, mode bits are ignored: drop the capabilities that bypass them (a real EACCES)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    drop = "-dac_override,-dac_read_search"
    return (setpriv, f"--bounding-set={drop}", f"--inh-caps={drop}")


def check(outcome: Outcome, case: Case, name: str) -> None:
    assert outcome.code is not None, f"{name}: still running after {hang_deadline(case.seconds)} s (hang)"
    assert "Traceback" not in outcome.err and "Warning" not in outcome.err, outcome.err[-2000:]
    assert outcome.code == case.exit, f"{name}: exit {outcome.code}, stderr: {outcome.err[-500:]}"
    assert outcome.cpu_seconds < case.seconds, f"{name}: {outcome.cpu_seconds:.2f} s of CPU"
    assert outcome.max_rss_mb * 1024 * 1024 < MEMORY_LIMIT
    if case.exit == 2:
        assert case.stderr in outcome.err
        assert outcome.err.count("\n") <= 2, "one short message, not a dump"
        return
    codes = {f["code"] for f in json.loads(outcome.out)["findings"]}
    assert set(case.codes) <= codes, f"{name}: got {sorted(codes)}"


def _marks(case: Case) -> list[pytest.MarkDecorator]:
    return [pytest.mark.xfail(reason=case.gap, strict=False)] if case.gap else []


def _params(table: dict[str, Case]) -> list[object]:
    return [pytest.param(name, case, id=name, marks=_marks(case)) for name, case in table.items()]


def lint(path: str, case: Case, prefix: tuple[str, ...] = ()) -> Outcome:
    # The kill deadline is wall clock, generous for a loaded 2-core machine: it only catches hangs.
    return run_cli(["--isolated", "--format", "json", *case.flags, path], hang_deadline(case.seconds), prefix)


def hang_deadline(cpu_bound: float) -> float:
    """Wall-clock seconds after which a run counts as hung: far beyond its CPU bound."""
    return max(4 * cpu_bound, 30.0)


def test_every_corpus_file_has_an_outcome() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(FILES)


@pytest.mark.parametrize(("name", "case"), _params(FILES))
def test_corpus_file(name: str, case: Case) -> None:
    check(lint(str(CORPUS / name), case), case, name)


@pytest.mark.parametrize(
    ("name", "case"), [pytest.param(name, case, id=name, marks=_marks(case)) for name, (_, case) in GENERATED.items()]
)
def test_generated(name: str, case: Case, tmp_path: Path) -> None:
    path = GENERATED[name][0](tmp_path / f"{name}.yaml")
    check(lint(path, case), case, name)


@pytest.mark.parametrize(("name", "case"), _params(SPECIAL))
def test_special_path(name: str, case: Case, tmp_path: Path) -> None:
    path = _special(name, tmp_path)
    prefix = _unprivileged() if name == "unreadable" else ()
    check(lint(path, case, prefix), case, name)


def test_a_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    """pre-commit passes many files: the readable ones are linted, the exit code is 2."""
    good = CORPUS / "utf8-bom.yaml"
    outcome = run_cli(
        ["--isolated", "--format", "json", _special("fifo", tmp_path), str(good), str(CORPUS / "alias-bomb.yaml")], 30
    )
    assert outcome.code == 2 and "not a regular file" in outcome.err
    report = json.loads(outcome.out)
    assert {f["code"] for f in report["findings"]} == {"MLF008"}
