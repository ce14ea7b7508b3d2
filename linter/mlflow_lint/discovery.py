"""Which files a command line names: directories searched, `.gitignore` respected, `-` for stdin.

A directory is walked recursively for the files the pre-commit hooks match (the same two
patterns as `.pre-commit-hooks.yaml`; a test keeps them equal): values files and
`basic_auth.ini`. Files named explicitly are always linted, like ruff does; `--exclude` and
`.gitignore` only prune what a directory walk finds.

`.gitignore` files are read with `pathspec`, the library black and others use for exactly
this (git's own pattern rules, negation and directory patterns included). Not `git ls-files`:
running git in a checkout a pull request controls would honour its configuration (hooks,
fsmonitor commands), and a linter must not run anything its input names. The walk never
follows a symbolic link to a directory, and skips a linked file that resolves outside the
directory being searched.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence

from mlflow_lint.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

# Kept equal to the `files:` of the two hooks in .pre-commit-hooks.yaml (tests/test_discovery.py).
VALUES_PATTERN = r"(^|/)(values[^/]*|[^/]*[.-]values|values/[^/]+)\.ya?ml$"
INI_PATTERN = r"(^|/)basic_auth\.ini$"
_WANTED = f"{VALUES_PATTERN}|{INI_PATTERN}"  # compiled by `re` on first use (only directory walks need it)
# Never searched, as in ruff: version-control data and environments full of other projects' files.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
    }
)
STDIN = "-"
STDIN_NAME = "<stdin>"  # how findings name standard input without --stdin-filename


class Discovery(NamedTuple):
    """The files to lint in order, and the directories in which nothing was found."""

    files: list[str]
    empty_dirs: list[str]  # directories that held no file to lint


def wanted(path: str) -> bool:
    """Would the pre-commit hooks pass this file (`/`-separated path) to mlflow-lint?"""
    return re.search(_WANTED, path.replace(os.sep, "/")) is not None


def expand(inputs: Sequence[str], excludes: Sequence[str] = ()) -> Discovery:
    """Files as given, directories replaced by the files found under them (sorted, deduplicated)."""
    files: list[str] = []
    empty: list[str] = []
    exclude = _spec(excludes) if excludes else None
    for name in inputs:
        if name != STDIN and os.path.isdir(name):
            found = list(walk(name, exclude))
            if not found:
                empty.append(name)
            files.extend(found)
        else:
            files.append(name)
    seen: set[str] = set()
    unique = [f for f in files if not (f in seen or seen.add(f))]  # type: ignore[func-returns-value]
    return Discovery(unique, empty)


def walk(root: str, exclude: GitIgnoreSpec | None = None) -> Iterator[str]:
    """The values and basic_auth.ini files under `root`, in sorted order, minus ignored ones."""
    real_root = os.path.realpath(root)
    ignores = _IgnoreStack(root)
    for directory, subdirs, names in os.walk(root, followlinks=False):
        ignores.enter(directory)
        subdirs[:] = sorted(
            d
            for d in subdirs
            if d not in SKIPPED_DIRS
            and not os.path.islink(os.path.join(directory, d))
            and not ignores.ignored(os.path.join(directory, d), is_dir=True)
            and not _excluded(exclude, os.path.join(directory, d), is_dir=True)
        )
        for name in sorted(names):
            path = os.path.join(directory, name)
            if not wanted(os.path.abspath(path)) or ignores.ignored(path, is_dir=False):
                continue
            if _excluded(exclude, path, is_dir=False) or not _inside(path, real_root):
                continue
            yield _tidy(path)


def _tidy(path: str) -> str:
    return path[2:] if path.startswith("./") else path


def _inside(path: str, real_root: str) -> bool:
    """False for a linked file that resolves outside the searched directory (or is not a file)."""
    real = os.path.realpath(path)
    return os.path.isfile(real) and (real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep))


def _spec(lines: Iterable[str]) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec  # only directory walks need it

    return GitIgnoreSpec.from_lines(list(lines))


def _excluded(spec: GitIgnoreSpec | None, path: str, is_dir: bool) -> bool:
    """--exclude patterns, gitignore syntax, relative to the working directory (or absolute)."""
    if spec is None:
        return False
    absolute = os.path.abspath(path)
    rel = os.path.relpath(absolute, os.getcwd()).replace(os.sep, "/")
    if rel.startswith("../"):
        rel = absolute.replace(os.sep, "/").lstrip("/")
    return bool(spec.match_file(rel + "/" if is_dir else rel))


class _IgnoreStack:
    """The `.gitignore` files that apply under a walked directory: those of the repository above
    it (up to the directory holding `.git`, with `.git/info/exclude`) and those met on the way down."""

    def __init__(self, root: str) -> None:
        self.specs: list[tuple[str, GitIgnoreSpec]] = []  # (base directory, patterns), outermost first
        self.loaded: set[str] = set()
        top = os.path.abspath(root)
        chain = [top]
        while not os.path.isdir(os.path.join(chain[-1], ".git")):
            parent = os.path.dirname(chain[-1])
            if parent == chain[-1]:  # no repository: only the walked tree's own .gitignore files
                chain = [top]
                break
            chain.append(parent)
        repo = chain[-1]
        self._load(repo, os.path.join(repo, ".git", "info", "exclude"))
        for directory in reversed(chain):
            self.enter(directory)

    def enter(self, directory: str) -> None:
        directory = os.path.abspath(directory)
        if directory not in self.loaded:
            self.loaded.add(directory)
            self._load(directory, os.path.join(directory, ".gitignore"))

    def _load(self, base: str, path: str) -> None:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                lines = handle.read(1024 * 1024).splitlines()
        except OSError:
            return
        if lines:
            self.specs.append((base, _spec(lines)))

    def ignored(self, path: str, is_dir: bool) -> bool:
        """git's answer: the deepest .gitignore with a matching pattern decides (`!` re-includes)."""
        absolute = os.path.abspath(path)
        verdict = False
        for base, spec in self.specs:
            rel = os.path.relpath(absolute, base).replace(os.sep, "/")
            if rel.startswith("../"):
                continue
            result = spec.check_file(rel + "/" if is_dir else rel)
            if result.include is not None:
                verdict = result.include
        return verdict


def read_stdin(limit: int) -> bytes | str:
    """Standard input's bytes (at most `limit` + 1, so an oversized input can be told), or an error text."""
    try:
        return sys.stdin.buffer.read(limit + 1)
    except (OSError, ValueError, AttributeError) as exc:
        return f"cannot read standard input: {exc}"
