"""One driver for every rule case file under tests/rules/cases/<CODE>/.

A case file is a real values.yaml (or basic_auth.ini) fragment. Lines that must produce a
finding end with `# expect: CODE` (several codes: `# expect: MLF101,MLF102`), or follow a
comment line `; expect-next-line: CODE` (INI values keep trailing text); a file with no
marker must produce no finding of its code. Optional first-line header:
`# args: --mlflow-version 2.22.0 --chart seed-v1` adds flags. The driver lints with only the
directory's code selected and compares the sets of (line, code).
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from mlflow_lint.cli import main

CASES = Path(__file__).parent / "cases"
_EXPECT = re.compile(r"[#;]\s*expect:\s*([A-Z0-9, ]+)\s*$")
_ARGS = re.compile(r"^[#;]\s*args:\s*(.*)$")
# In basic_auth.ini a trailing marker would become part of the value (configparser keeps inline
# comments), so a comment line of its own can announce the finding on the NEXT line instead.
_EXPECT_NEXT = re.compile(r"^\s*[#;]\s*expect-next-line:\s*([A-Z0-9, ]+)\s*$")


def case_files() -> list[Path]:
    return sorted(p for p in CASES.glob("*/*") if p.suffix in (".yaml", ".yml", ".ini"))


def expected(path: Path, code: str) -> set[tuple[int, str]]:
    out = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            out.update((number, c.strip()) for c in match[1].split(",") if c.strip() == code)
        ahead = _EXPECT_NEXT.match(line)
        if ahead:
            out.update((number + 1, c.strip()) for c in ahead[1].split(",") if c.strip() == code)
    return out


def extra_args(path: Path) -> list[str]:
    first = path.read_text(encoding="utf-8").splitlines()[:1]
    match = _ARGS.match(first[0]) if first else None
    return shlex.split(match[1]) if match else []


@pytest.mark.parametrize("path", case_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = path.parent.name
    main(["--isolated", "--format", "json", "--select", code, *extra_args(path), str(path)])
    report = json.loads(capsys.readouterr().out)
    found = {(f["line"], f["code"]) for f in report["findings"] if f["code"] == code}
    assert found == expected(path, code), json.dumps(report["findings"], indent=1)
