"""The rule reference in Markdown, made from the rules' own documentation (their docstrings).

`mlflow-lint rules --format markdown > docs/rules.md` writes docs/rules.md; a test fails when
the committed file differs from what this module makes, so the reference cannot go stale.
"""

from __future__ import annotations

from mlflow_lint.rules import ALL_RULES
from mlflow_lint.rules.base import DOC_HEADINGS, Rule

FAMILIES = {
    "MLF0": "The file itself",
    "MLF1": "Backend store",
    "MLF2": "Artifact store",
    "MLF3": "Secrets",
    "MLF4": "Server and chart",
    "MLF5": "basic_auth.ini",
    "MLF6": "extraEnv and extraArgs",
    "MLF7": "Secret manifests",
    "MLF9": "Live probes (`--probe`)",
}


def anchor(rule: Rule) -> str:
    """GitHub's anchor of the rule's heading (`### MLF005 unknown-key` -> `mlf005-unknown-key`)."""
    return f"{rule.code.lower()}-{rule.name}"


def markdown() -> str:
    """The whole reference: an index per family, then one section per rule."""
    out = [
        "# Rule reference",
        "",
        "Generated from the rules' documentation by `mlflow-lint rules --format markdown`; do not edit by hand.",
        "`mlflow-lint explain CODE` prints the same text. Select or ignore rules by code (`MLF005`), name",
        "(`unknown-key`) or prefix (`MLF3`); change a severity in the configuration "
        "([configuration.md](configuration.md)).",
        "",
    ]
    for prefix, title in FAMILIES.items():
        mine = [r for r in ALL_RULES if r.code.startswith(prefix)]
        if not mine:
            continue
        out += [f"## {prefix}xx: {title}", "", "| code | name | severity | summary |", "| --- | --- | --- | --- |"]
        out += [f"| [{r.code}](#{anchor(r)}) | `{r.name}` | {r.severity.label} | {_cell(r.summary)} |" for r in mine]
        out.append("")
    for rule in ALL_RULES:
        out += _section(rule)
    return "\n".join(out).rstrip("\n") + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _section(rule: Rule) -> list[str]:
    lines = rule.doc.splitlines()
    out = [f"### {rule.code} {rule.name}", "", f"Default severity: **{rule.severity.label}**.", ""]
    body: list[str] = []
    for line in lines:
        heading = next((h for h in DOC_HEADINGS if line.startswith(h)), None)
        if heading is not None:
            body += ["", f"**{heading}**{line[len(heading) :]}"]
        else:
            body.append(line)
    out += [line.rstrip() for line in body]
    return [*_squeeze(out), ""]


def _squeeze(lines: list[str]) -> list[str]:
    """No two blank lines in a row."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return out
