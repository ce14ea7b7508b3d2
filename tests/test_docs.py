"""The documentation is checked like code: README size and commands, its output samples (a
golden run), snippets, links, the generated rule reference, and no internal citations."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from mlflow_lint.cli import build_parser
from mlflow_lint.ruledoc import markdown
from mlflow_lint.rules import ALL_RULES
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
DOCS = sorted((REPO / "docs").glob("*.md"))
_CONSOLE = re.compile(r"```console\n(.*?)```", re.S)
_YAML = re.compile(r"```yaml\n(.*?)```", re.S)


def test_readme_is_at_most_10_kb() -> None:
    assert len(README.encode()) <= 10 * 1024


def test_readme_states_the_two_setup_commands_and_what_tests_need() -> None:
    assert "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/mlflow-lint examples/values.yaml" in README
    assert "bash tests/run.sh\n" in README and (REPO / "tests" / "run.sh").is_file()
    assert all(word in README for word in ("root", "Node", "minutes", '-m "not services and not slow"'))


def test_readme_and_usage_show_the_yaml_language_server_modeline() -> None:
    modeline = "# yaml-language-server: $schema=./mlflow-values.schema.json"
    assert modeline in README and modeline in (REPO / "docs" / "usage.md").read_text(encoding="utf-8")
    assert "mlflow-lint schema > mlflow-values.schema.json" in README


def test_the_setup_example_lints_clean() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mlflow_lint", "examples/values.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _console_blocks() -> list[tuple[str, str]]:
    """(command, expected output) of every ```console block in the README."""
    blocks = []
    for body in _CONSOLE.findall(README):
        command, _, output = body.partition("\n")
        assert command.startswith("$ mlflow-lint "), command
        blocks.append((command[2:], output))
    return blocks


@pytest.mark.parametrize(("command", "expected"), _console_blocks(), ids=lambda v: v[:60])
def test_readme_output_samples_are_real(command: str, expected: str) -> None:
    """A golden run: each README command prints exactly what the README shows (no colour: not a tty)."""
    argv = shlex.split(command)[1:]
    done = subprocess.run(
        [sys.executable, "-m", "mlflow_lint", *argv],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )
    assert done.stdout == expected, done.stdout
    assert done.returncode == 1 and done.stderr == ""


def test_the_quickstart_has_several_findings_and_a_masked_secret() -> None:
    [(_, output), *_] = _console_blocks()
    assert output.count(": error MLF") >= 4 and "hunter2" not in output and "****" in output


def test_readme_snippets_use_real_hooks_and_flags() -> None:
    hooks = {h["id"] for h in YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text())}
    snippets = [YAML(typ="safe").load(block) for block in _YAML.findall(README)]
    config = next(s for s in snippets if isinstance(s, dict) and "repos" in s)
    assert {h["id"] for repo in config["repos"] for h in repo["hooks"]} <= hooks
    commands = re.findall(r"(?m)^\s*-? ?(?:run: )?(mlflow-lint .+)$", README)
    assert len(commands) >= 2  # the GitHub Actions and GitLab CI commands
    for command in commands:
        argv = shlex.split(command)[1:]
        if argv[:1] in (["schema"], ["explain"], ["rules"]):
            continue
        build_parser().parse_args([a for a in argv if a != ">"])  # SystemExit on an unknown flag


def _links(path: Path) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return [
        (target, anchor)
        for target, anchor in re.findall(r"\]\(([^)#\s]*)(#[^)\s]*)?\)", text)
        if not target.startswith(("http://", "https://", "mailto:"))
    ]


def _anchors(path: Path) -> set[str]:
    headings = re.findall(r"(?m)^#+ (.+)$", re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S))
    return {"#" + re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", [REPO / "README.md", *DOCS], ids=lambda p: p.name)
def test_local_links_resolve(page: Path) -> None:
    for target, anchor in _links(page):
        resolved = (page.parent / target).resolve() if target else page
        assert resolved.exists(), f"{page.name}: broken link {target}"
        if anchor and resolved.suffix == ".md":
            assert anchor in _anchors(resolved), f"{page.name}: no heading {anchor} in {target or page.name}"


def test_rule_reference_is_generated_and_fresh() -> None:
    """docs/rules.md is `mlflow-lint rules --format markdown`; regenerate it when a rule's doc changes."""
    assert (REPO / "docs" / "rules.md").read_text(encoding="utf-8") == markdown(), (
        "docs/rules.md is stale: run `mlflow-lint rules --format markdown > docs/rules.md`"
    )


def test_rule_reference_covers_every_rule() -> None:
    text = markdown()
    assert all(f"### {r.code} {r.name}\n" in text for r in ALL_RULES)


_INTERNAL = re.compile(
    r"\bfacts? (?:file|section)|§|\bfacts \d|mlflow-chart-facts|linter-anchors|other-charts\.md"
    r"|test-services\.md|/work/|\bissue \d+\b",
    re.I,
)


def test_no_internal_document_is_cited_to_users() -> None:
    """Rule docs (what `explain`, SARIF and docs/rules.md show) and the user docs cite no internal notes."""
    cited = [f"{r.code}: {m.group()}" for r in ALL_RULES for m in [_INTERNAL.search(r.doc)] if m]
    assert cited == []
    for page in [REPO / "README.md", *DOCS]:
        match = _INTERNAL.search(page.read_text(encoding="utf-8"))
        assert match is None, f"{page.name}: {match.group() if match else ''}"


def test_messages_cite_no_internal_document(lint_text) -> None:
    """Messages and hints of a file that makes many rules speak."""
    text = (REPO / "examples" / "quickstart" / "values.yaml").read_text()
    report = lint_text(text + "trackingServer:\n  basicAuth:\n    enabled: true\n")
    shown = " ".join(f["message"] + f["hint"] for f in report["findings"])
    assert report["findings"] and _INTERNAL.search(shown) is None
