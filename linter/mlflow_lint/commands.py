"""The `rules`, `explain` and `schema` subcommands (rule catalogue, per-rule documentation, JSON Schema)."""

from __future__ import annotations

import argparse
import json
import sys

from mlflow_lint.charts.published import charts_of
from mlflow_lint.rules import ALL_RULES, lookup


def _parser(prog: str, description: str) -> argparse.ArgumentParser:
    return argparse.ArgumentParser(prog=f"mlflow-lint {prog}", description=description)


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace | int:
    """Parsed arguments, or the exit code argparse chose (0 for --help, 2 for a usage error)."""
    try:
        return parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2


def list_rules(argv: list[str]) -> int:
    """`mlflow-lint rules [--format json]`: one line per rule."""
    parser = _parser("rules", "List every rule: code, name, default severity and summary.")
    parser.add_argument(
        "--format",
        choices=["text", "json", "markdown"],
        default="text",
        help="output format (default: text; markdown: the reference in docs/rules.md)",
    )
    args = _parse(parser, argv)
    if isinstance(args, int):
        return args
    if args.format == "markdown":
        from mlflow_lint.ruledoc import markdown

        sys.stdout.write(markdown())
        return 0
    if args.format == "json":
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity.label,
                "charts": list(charts_of(r.code)),
                "summary": r.summary,
                "doc": r.doc,
            }
            for r in ALL_RULES
        ]
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(r.name) for r in ALL_RULES)
    charts = {r.code: ",".join(charts_of(r.code)) for r in ALL_RULES}
    chart_width = max(len(c) for c in charts.values())
    for r in ALL_RULES:
        print(f"{r.code}  {r.name:<{width}}  {r.severity.label:<7}  {charts[r.code]:<{chart_width}}  {r.summary}")
    return 0


def explain(argv: list[str]) -> int:
    """`mlflow-lint explain CODE|NAME`: the rule's documentation."""
    parser = _parser("explain", "Show a rule's documentation: why it matters, an example, the fix.")
    parser.add_argument("rule", metavar="CODE|NAME", help="a rule code (MLF005) or name (unknown-key)")
    args = _parse(parser, argv)
    if isinstance(args, int):
        return args
    rule = lookup(args.rule)
    if rule is None:
        from mlflow_lint.config import unknown_selector

        print(f"mlflow-lint: {unknown_selector(args.rule, 'rule')}", file=sys.stderr)
        return 2
    print(f"{rule.code} {rule.name} (default severity: {rule.severity.label})\n")
    print(rule.doc)
    return 0


def print_schema(argv: list[str]) -> int:
    """`mlflow-lint schema [--chart NAME]`: the JSON Schema of a chart's values, for editors."""
    from mlflow_lint.charts import DEFAULT, REVISIONS, schema_dir

    parser = _parser(
        "schema",
        "Print the JSON Schema of the chart's values (for editor completion and hover "
        "docs: save it and point a `# yaml-language-server: $schema=...` modeline at it).",
    )
    parser.add_argument(
        "--chart", choices=REVISIONS, default=DEFAULT, help=f"chart: {', '.join(REVISIONS)} (default: {DEFAULT})"
    )
    args = _parse(parser, argv)
    if isinstance(args, int):
        return args
    import os

    with open(os.path.join(schema_dir(), f"{args.chart}.schema.json"), encoding="utf-8") as handle:
        schema = json.load(handle)
    sys.stdout.write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    return 0
