"""Property-based tests: whatever the input, `main()` returns a defined exit code and never raises.

0/1 for values and INI files (a finding or none), 2 only for usage errors (`--set` syntax).
Never 3 (internal error). Each property is bounded (`max_examples`, no deadline: the first
call imports the rules); the "ci" profile in tests/conftest.py derandomises them under CI.
Together they run in well under a minute.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mlflow_lint import setflags
from mlflow_lint.cli import main
from tests.fuzz import strategies as s

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
INI_SAMPLE = REPO / "tests" / "rules" / "cases" / "MLF503" / "ok.ini"
SECRETS_SAMPLES = sorted((REPO / "tests" / "data" / "secrets").glob("*.yaml"))
BOUNDED = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
_counter = itertools.count()
# Exit-3 messages of known core bugs (reported to the lead; tests/hostile has them as xfail cases).
# Delete an entry once fixed: the properties then demand 0/1 for those inputs too.
KNOWN_GAPS: tuple[str, ...] = ()  # e.g. "internal error (ReaderError)" while its fix is pending


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def run(*argv: str) -> tuple[int, str]:
    """main() in-process; stdout/stderr captured. Warnings behave as in the real CLI (printed, not raised)."""
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        warnings.simplefilter("ignore")
        code = main(["--isolated", "--format", "json", *argv])
    return code, err.getvalue()


def write(workdir: Path, content: str | bytes, suffix: str = ".yaml") -> str:
    path = workdir / f"case{next(_counter)}{suffix}"
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogatepass")
    path.write_bytes(content)
    return str(path)


def assert_defined(code: int, err: str, allowed: tuple[int, ...] = (0, 1)) -> None:
    gap = next((g for g in KNOWN_GAPS if g in err), None) if code == 3 else None
    if gap:
        event(f"known gap: {gap}")
        return
    assert code in allowed, f"exit {code}: {err[-1000:]}"
    assert "Traceback" not in err


@BOUNDED
@given(text=s.values_text())
def test_generated_values(workdir: Path, text: str) -> None:
    assert_defined(*run(write(workdir, text)))


@BOUNDED
@given(data=st.data(), example=st.sampled_from(EXAMPLES))
def test_mutated_examples(workdir: Path, data: st.DataObject, example: Path) -> None:
    content = data.draw(s.mutated(example.read_text(encoding="utf-8")))
    assert_defined(*run(write(workdir, content)))


@BOUNDED
@given(layers=st.lists(s.values_text(), min_size=2, max_size=3))
def test_generated_release_layers(workdir: Path, layers: list[str]) -> None:
    argv = [arg for text in layers for arg in ("-f", write(workdir, text))]
    assert_defined(*run(*argv))


@BOUNDED
@given(text=s.ini_text())
def test_generated_ini(workdir: Path, text: str) -> None:
    assert_defined(*run(write(workdir, text, ".ini")))


@BOUNDED
@given(data=st.data())
def test_mutated_ini(workdir: Path, data: st.DataObject) -> None:
    content = data.draw(s.mutated(INI_SAMPLE.read_text(encoding="utf-8")))
    assert_defined(*run(write(workdir, content, ".ini")))


@BOUNDED
@given(manifests=s.secret_manifests(), values=st.sampled_from(EXAMPLES))
def test_generated_secret_manifests(workdir: Path, manifests: str, values: Path) -> None:
    assert_defined(*run("--secrets", write(workdir, manifests), str(values)))


@BOUNDED
@given(data=st.data(), sample=st.sampled_from(SECRETS_SAMPLES))
def test_mutated_secret_manifests(workdir: Path, data: st.DataObject, sample: Path) -> None:
    content = data.draw(s.mutated(sample.read_text(encoding="utf-8")))
    assert_defined(*run("--secrets", write(workdir, content), str(EXAMPLES[0])))


@settings(max_examples=400, deadline=None)
@given(text=s.SET_STRINGS, string=st.booleans())
def test_set_parser_returns_or_raises_its_own_error(text: str, string: bool) -> None:
    flag = setflags.Flag(setflags.SET_STRING if string else setflags.SET, text, 1)
    dest: dict[str, object] = {"image": {"tag": "v2.14.1"}, "extraEnv": [{"name": "A"}]}
    with contextlib.suppress(setflags.SetError):
        setflags.parse_into(flag, dest, set())


@BOUNDED
@given(flags=st.lists(st.tuples(st.sampled_from(["--set", "--set-string"]), s.SET_STRINGS), min_size=1, max_size=3))
def test_set_flags_through_the_cli(workdir: Path, flags: list[tuple[str, str]]) -> None:
    argv = [part for kind, text in flags for part in (f"{kind}={text}",)]
    assert_defined(*run("-f", str(EXAMPLES[0]), *argv), allowed=(0, 1, 2))
