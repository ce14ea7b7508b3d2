"""Command line: parse flags into a Request, run the engine, print, return the exit code.

Exit codes: 0 nothing at or above `--fail-on`; 1 findings at or above it; 2 usage,
configuration or input problems (unknown flag, missing/unreadable file, directory);
3 internal error (a short "please report" line; the traceback only with `--debug`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from mlflow_lint import __version__

if TYPE_CHECKING:
    from mlflow_lint.engine import Report

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
REPORT_URL = "https://github.com/mlflow-lint/mlflow-lint/issues"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `mlflow-lint` command."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    try:
        return _main(args_list)
    except KeyboardInterrupt:
        print("mlflow-lint: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the documented exit code 3, never a bare traceback
        if debug:
            import traceback

            traceback.print_exc()
        print(
            f"mlflow-lint: internal error ({type(exc).__name__}); please report it at {REPORT_URL}"
            " with --debug output (check it for secrets first)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _main(argv: list[str]) -> int:
    if argv[:1] == ["rules"]:
        from mlflow_lint.commands import list_rules

        return list_rules(argv[1:])
    if argv[:1] == ["explain"]:
        from mlflow_lint.commands import explain

        return explain(argv[1:])
    args = build_parser().parse_args(argv)
    if args.list_rules:
        from mlflow_lint.commands import list_rules

        return list_rules([])
    if not args.files:
        print("mlflow-lint: error: no files given (try `mlflow-lint --help`)", file=sys.stderr)
        return EXIT_USAGE
    return lint(args)


def lint(args: argparse.Namespace) -> int:
    """Run the engine and write every requested report."""
    from mlflow_lint.config import ConfigError
    from mlflow_lint.engine import Request, run

    request = Request(
        files=list(args.files),
        cli_settings=_cli_settings(args),
        config_path=args.config,
        isolated=args.isolated,
    )
    try:
        report = run(request)
    except ConfigError as exc:
        print(f"mlflow-lint: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for problem in report.input_errors:
        print(f"mlflow-lint: error: {problem}", file=sys.stderr)
    status = _apply_baseline(report, args)
    if status != EXIT_OK:
        return status
    written = _write_reports(report, args)
    if written != EXIT_OK:
        return written
    if report.input_errors:
        return EXIT_USAGE
    return EXIT_FINDINGS if report.failing() else EXIT_OK


def _apply_baseline(report: Report, args: argparse.Namespace) -> int:
    """--write-baseline records the findings, --baseline drops the recorded ones (see baseline.py)."""
    if not (args.baseline or args.write_baseline):
        return EXIT_OK
    from mlflow_lint.baseline import BaselineError, use

    try:
        use(report, args.baseline, args.write_baseline)
    except BaselineError as exc:
        print(f"mlflow-lint: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if report.baseline is not None and report.baseline.written is not None:
        print(f"mlflow-lint: wrote {report.baseline.written} baseline entries to {args.write_baseline}",
              file=sys.stderr)
    return EXIT_OK


def _cli_settings(args: argparse.Namespace) -> dict[str, object]:
    settings: dict[str, object] = {}
    if args.select:
        settings["select"] = _split(args.select)
    if args.ignore:
        settings["ignore"] = _split(args.ignore)
    if args.fail_on:
        settings["fail-on"] = args.fail_on
    if args.mlflow_version:
        settings["mlflow-version"] = args.mlflow_version
    if args.chart:
        settings["chart"] = args.chart
    return settings


def _split(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _write_reports(report: object, args: argparse.Namespace) -> int:
    from mlflow_lint import formatters

    formats = args.format or ["auto"]
    outputs = args.output or []
    if len(outputs) > len(formats) or len(formats) - len(outputs) > 1:
        print("mlflow-lint: error: give one --output per --format (one format may go to stdout)",
              file=sys.stderr)
        return EXIT_USAGE
    for index, name in enumerate(formats):
        target = outputs[index] if index < len(outputs) else None
        render = formatters.get(name)
        if target is None:
            sys.stdout.write(render(report, formatters.Output(color=_use_color(sys.stdout))))  # type: ignore[arg-type]
            continue
        try:
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(render(report, formatters.Output(color=False)))  # type: ignore[arg-type]
        except OSError as exc:
            print(f"mlflow-lint: error: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
    return EXIT_OK


def _use_color(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


def build_parser() -> argparse.ArgumentParser:
    """All flags of the lint command."""
    from mlflow_lint.charts import REVISIONS
    from mlflow_lint.formatters import FORMATTERS

    parser = argparse.ArgumentParser(
        prog="mlflow-lint",
        description="Lint values files of the MLflow Helm chart (and basic_auth.ini files). "
        "Subcommands: `mlflow-lint rules` lists the rules, `mlflow-lint explain CODE` documents one.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="values files to lint, each on its own")
    out = parser.add_argument_group("output")
    out.add_argument("--format", action="append", choices=[*FORMATTERS, "auto"],
                     help="report format (repeatable, paired in order with --output); default: auto")
    out.add_argument("--output", "-o", action="append", metavar="FILE",
                     help="write the report of the matching --format to FILE")
    out.add_argument("--fail-on", choices=["error", "warning", "info"],
                     help="lowest severity that makes the exit code 1 (default: error)")
    rules = parser.add_argument_group("rules and settings")
    rules.add_argument("--select", action="append", metavar="CODES", help="only these codes, names or prefixes")
    rules.add_argument("--ignore", action="append", metavar="CODES", help="skip these codes, names or prefixes")
    rules.add_argument("--chart", choices=REVISIONS, help="chart revision (default: detected from the keys)")
    rules.add_argument("--mlflow-version", metavar="X.Y.Z", help="MLflow version (default: from image.tag)")
    rules.add_argument("--config", metavar="PATH", help="settings file (.mlflow-lint.yaml or pyproject.toml)")
    rules.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    rules.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    baseline = parser.add_argument_group("baseline").add_mutually_exclusive_group()
    baseline.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    baseline.add_argument("--write-baseline", metavar="FILE",
                          help="record today's findings in FILE; they are then not reported (exit 0)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    parser.add_argument("--version", action="version", version=f"mlflow-lint {__version__}")
    return parser
