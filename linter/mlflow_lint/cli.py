"""Command line: parse flags into a Request, run the engine, print, return the exit code.

Exit codes: 0 nothing at or above `--fail-on`; 1 findings at or above it; 2 usage,
configuration or input problems (unknown flag, missing/unreadable file, directory);
3 internal error (a short "please report" line; the traceback only with `--debug`);
4 live probes (`--probe`) could not check something (MLF900 probe-skipped: SDK missing,
MLF902 probe-inconclusive: unreachable, timeout, TLS, DNS) and nothing else fails.
A CI gate tells "configuration is wrong" (1: a probe `fail` is an MLF901 error finding)
from "could not check" (4). Without `--probe`/`--probe-plan` no connection is attempted.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence

from mlflow_lint import __version__, runtime

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.engine import Report

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_UNCHECKED = 4  # probes could not decide (and nothing else fails)
UNDECIDED = frozenset({"MLF900", "MLF902"})  # probe findings that mean "could not check"
REPORT_URL = "https://github.com/mlflow-lint/mlflow-lint/issues"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `mlflow-lint` command."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    # A lint creates tens of thousands of long-lived objects (modules, classes, the schema)
    # and little cyclic garbage; the cyclic collector tracing them over and over while they
    # load was about 5% of a cold lint. Reference counting still frees everything else.
    collecting = gc.isenabled()
    if runtime.SPEEDUPS:
        gc.disable()
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
    finally:
        if collecting:
            gc.enable()


_SUBCOMMANDS = {"rules": "list_rules", "explain": "explain", "schema": "print_schema"}


def _main(argv: list[str]) -> int:
    if argv[:1] and argv[0] in _SUBCOMMANDS:
        from mlflow_lint import commands

        return int(getattr(commands, _SUBCOMMANDS[argv[0]])(argv[1:]))
    args = build_parser().parse_args(argv)
    if args.list_rules:
        from mlflow_lint.commands import list_rules

        return list_rules([])
    stop = _inputs(args)
    if stop is not None:
        return stop
    if args.show_settings:
        return _show_settings(args)
    probes = _probe_options(args)
    if isinstance(probes, str):
        print(f"mlflow-lint: error: {probes}", file=sys.stderr)
        return EXIT_USAGE
    chart_problem = _chart_choice(args)
    if chart_problem:
        print(f"mlflow-lint: error: {chart_problem}", file=sys.stderr)
        return EXIT_USAGE
    if not (args.files or args.layers or args.sets or args.secrets or args.searched):
        print("mlflow-lint: error: no files given (try `mlflow-lint --help`)", file=sys.stderr)
        return EXIT_USAGE
    if args.sets and args.files and not args.layers:
        print(
            "mlflow-lint: error: --set/--set-string apply to the release given with -f; pass the values "
            "files as `-f FILE` (positional files are linted one by one)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return lint(args, probes)


def _chart_choice(args: argparse.Namespace) -> str:
    """Sort `--chart` into a chart name or a chart to render (`args.render_chart`); "" when fine."""
    from mlflow_lint.charts import BY_NAME, is_chart_source

    args.render_chart = None
    if args.chart is None or args.chart in BY_NAME:
        return ""
    if is_chart_source(args.chart):
        args.render_chart, args.chart = args.chart, None
        return ""
    return (
        f"--chart: `{args.chart}` is neither a chart mlflow-lint knows ({', '.join(BY_NAME)}) nor a chart "
        "directory or .tgz archive"
    )


def lint(args: argparse.Namespace, probes: object = None) -> int:
    """Run the engine and write every requested report."""
    from mlflow_lint.config import ConfigError
    from mlflow_lint.engine import Request, run
    from mlflow_lint.formatters.escape import printable  # names and keys may come from the checkout

    request = Request(
        files=list(args.files),
        cli_settings=_cli_settings(args),
        config_path=args.config,
        isolated=args.isolated,
        probes=probes,  # type: ignore[arg-type]
        layers=list(args.layers or []),
        sets=list(args.sets or []),
        secrets=list(args.secrets or []),
        file_type=args.type,
        stdin=getattr(args, "stdin_bytes", None),  # set by _inputs()
        stdin_name=args.stdin_filename,
        render_chart=getattr(args, "render_chart", None),
    )
    try:
        report = run(request)
    except ConfigError as exc:
        print(f"mlflow-lint: configuration error: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    for problem in report.input_errors:
        print(f"mlflow-lint: error: {printable(problem)}", file=sys.stderr)
    status = _apply_baseline(report, args)
    if status != EXIT_OK:
        return status
    written = _write_reports(report, args)
    if written != EXIT_OK:
        return written
    if report.input_errors:
        return EXIT_USAGE
    return EXIT_OK if args.exit_zero else _exit_code(report)


def _exit_code(report: Report) -> int:
    """1 for findings at or above fail-on (a probe `fail` included); 4 when only probes could not decide."""
    if any(f.code not in UNDECIDED for f in report.failing()):
        return EXIT_FINDINGS
    if any(f.code in UNDECIDED for f in report.active()):
        return EXIT_UNCHECKED
    return EXIT_OK


def _probe_options(args: argparse.Namespace) -> object:
    """ProbeOptions for --probe/--probe-plan, None without them, or an error text."""
    if args.probe is None and not args.probe_plan:
        return None
    from mlflow_lint.probes import GROUPS
    from mlflow_lint.probes.base import ProbeOptions

    groups = None if args.probe in (None, "all") else frozenset(_split([args.probe]))
    if groups is not None and not groups <= set(GROUPS):
        if os.path.exists(args.probe) or not groups & set(GROUPS):  # `--probe values.yaml`: a file, not groups
            args.files.insert(0, args.probe)
            groups = None
        else:
            unknown = ", ".join(sorted(groups - set(GROUPS)))
            return f"--probe: unknown probe group {unknown} (use {','.join(GROUPS)})"
    if not 0 < args.probe_timeout <= 600:
        return "--probe-timeout: give a number of seconds between 0 and 600"
    from mlflow_lint.probes.policy import allow_hosts

    hosts = allow_hosts(args.probe_allow_host or [])
    if isinstance(hosts, str):
        return hosts
    return ProbeOptions(
        groups,
        args.probe_plan,
        args.probe_timeout,
        args.probe_write,
        args.probe_known_hosts,
        args.probe_ambient_credentials,
        hosts,
    )


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
    if report.baseline is not None and report.baseline.written is not None and not args.quiet:
        print(
            f"mlflow-lint: wrote {report.baseline.written} baseline entries to {args.write_baseline}", file=sys.stderr
        )
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
    if args.disable_noqa:
        settings["disable-noqa"] = True
    return settings


def _split(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _write_reports(report: object, args: argparse.Namespace) -> int:
    from mlflow_lint import formatters

    formats = list(args.format or [])
    layout = args.output_format if args.output_format in ("full", "concise") else "full"
    if args.output_format and args.output_format not in ("full", "concise"):
        formats.append(args.output_format)  # ruff's spelling of --format
    formats = formats or ["auto"]
    outputs = args.output or []
    if len(outputs) > len(formats) or len(formats) - len(outputs) > 1:
        print("mlflow-lint: error: give one --output per --format (one format may go to stdout)", file=sys.stderr)
        return EXIT_USAGE
    for index, name in enumerate(formats):
        target = outputs[index] if index < len(outputs) else None
        render = formatters.get(name)
        view = formatters.Output(
            color=False,
            concise=layout == "concise",
            statistics=args.statistics,
            quiet=args.quiet,
            show_suppressed=args.show_suppressed,
        )
        if target is None:
            from mlflow_lint.display import use_color

            shown = view._replace(color=use_color(sys.stdout, args.color))
            sys.stdout.write(render(report, shown))  # type: ignore[arg-type]
            continue
        from mlflow_lint import safe_files  # never through a symlink, never half-written

        try:
            safe_files.write_text(target, render(report, view))  # type: ignore[arg-type]
        except OSError as exc:
            print(f"mlflow-lint: error: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
    return EXIT_OK


def _formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's formatter with the width taken from `os`: argparse builds one for every
    `add_argument`, and its default asks `shutil` (an import a cold lint can do without)."""
    try:
        columns = os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        columns = 80
    return argparse.HelpFormatter(prog, width=max(columns - 2, 40))


def build_parser() -> argparse.ArgumentParser:
    """All flags of the lint command."""
    from mlflow_lint.charts import BY_NAME
    from mlflow_lint.formatters import FORMATTERS

    parser = argparse.ArgumentParser(
        prog="mlflow-lint",
        formatter_class=_formatter,
        description="Lint values files of the MLflow Helm chart (and basic_auth.ini files). "
        "Subcommands: `mlflow-lint rules` lists the rules, `mlflow-lint explain CODE` documents one.",
    )
    parser.add_argument(
        "files",
        nargs="*",
        metavar="PATH",
        help="values files, basic_auth.ini files or directories to search (each file on its own); "
        "`-` reads standard input",
    )
    out = parser.add_argument_group("output")
    out.add_argument(
        "--format",
        action="append",
        choices=[*FORMATTERS, "auto"],
        help="report format (repeatable, paired in order with --output); default: auto",
    )
    out.add_argument(
        "--output", "-o", action="append", metavar="FILE", help="write the report of the matching --format to FILE"
    )
    out.add_argument(
        "--fail-on",
        choices=["error", "warning", "info"],
        help="lowest severity that makes the exit code 1 (default: error)",
    )
    _add_everyday_flags(parser, out, FORMATTERS)
    rules = parser.add_argument_group("rules and settings")
    rules.add_argument("--select", action="append", metavar="CODES", help="only these codes, names or prefixes")
    rules.add_argument("--ignore", action="append", metavar="CODES", help="skip these codes, names or prefixes")
    rules.add_argument(
        "--chart",
        metavar="NAME|DIR|TGZ",
        help=f"the chart the values are for: {', '.join(BY_NAME)} (default: detected from the "
        "keys), or a chart directory or .tgz to render with Helm (extra `helm`) and lint what it "
        "renders",
    )
    rules.add_argument("--mlflow-version", metavar="X.Y.Z", help="MLflow version (default: from image.tag)")
    rules.add_argument("--config", metavar="PATH", help="settings file (.mlflow-lint.yaml or pyproject.toml)")
    rules.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    rules.add_argument(
        "--disable-noqa",
        action="store_true",
        help="ignore inline `# mlflow-lint: disable` directives (a CI gate a pull request cannot "
        "switch off; see docs/security.md)",
    )
    rules.add_argument(
        "--show-suppressed",
        action="store_true",
        help="text format: also list the findings inline directives suppressed",
    )
    rules.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    _add_release_flags(parser)
    baseline = parser.add_argument_group("baseline").add_mutually_exclusive_group()
    baseline.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    baseline.add_argument(
        "--write-baseline", metavar="FILE", help="record today's findings in FILE; they are then not reported (exit 0)"
    )
    probes = parser.add_argument_group(
        "live probes", "connect to what the values point at (opt-in; exit 4 = could not check)"
    )
    probes.add_argument(
        "--probe",
        nargs="?",
        const="all",
        metavar="db,artifacts,auth",
        help="probe the backend DB, artifact store and auth DB (default: all applicable)",
    )
    probes.add_argument(
        "--probe-plan",
        "--dry-run",
        action="store_true",
        help="list the endpoints --probe would contact (credentials redacted); contact nothing",
    )
    probes.add_argument(
        "--probe-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="hard deadline per probe: DNS, connect, TLS, auth and the request (default: 10)",
    )
    probes.add_argument(
        "--probe-write",
        action="store_true",
        help="also write, read back and delete one marker object under the artifact path",
    )
    probes.add_argument(
        "--probe-known-hosts", metavar="FILE", help="SSH known_hosts for the SFTP probe (default: ~/.ssh/known_hosts)"
    )
    probes.add_argument(
        "--probe-ambient-credentials",
        action="store_true",
        help="let probes use this machine's own credentials (environment, credential files) "
        "when the values give none; only towards the provider's endpoints or --probe-allow-host",
    )
    probes.add_argument(
        "--probe-allow-host",
        action="append",
        metavar="HOST[:PORT]",
        help="a host the machine's own credentials may be sent to (repeatable)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    parser.add_argument("--version", action="version", version=f"mlflow-lint {__version__}")
    return parser


def _add_release_flags(parser: argparse.ArgumentParser) -> None:
    """-f/--set/--set-string (one release, as Helm merges it), --secrets manifests, --type."""
    from mlflow_lint.setflags import SetAction

    release = parser.add_argument_group("release (as `helm upgrade -f ... --set ...` builds it)")
    release.add_argument(
        "-f",
        "--values",
        dest="layers",
        action="append",
        metavar="FILE",
        help="values file of ONE release, merged in order like Helm's -f (repeatable)",
    )
    release.add_argument(
        "--set",
        dest="sets",
        action=SetAction,
        metavar="KEY=VAL",
        help="Helm --set on top of the -f files (a.b[0].c=v, several pairs with commas)",
    )
    release.add_argument(
        "--set-string",
        dest="sets",
        action=SetAction,
        metavar="KEY=VAL",
        help="like --set, but every value stays a string",
    )
    release.add_argument(
        "--secrets",
        action="append",
        metavar="PATH",
        help="Kubernetes Secret/SealedSecret/ExternalSecret manifests (file or directory; "
        "repeatable) to resolve existingSecret references against",
    )
    release.add_argument(
        "--type",
        choices=["yaml", "ini"],
        help="read every FILE as a values file or as basic_auth.ini (default: by name)",
    )


def _add_everyday_flags(parser: argparse.ArgumentParser, out: argparse._ArgumentGroup, formats: dict[str, str]) -> None:
    """Flags that ruff and yamllint users expect: layout, statistics, quiet, colour, inputs."""
    out.add_argument(
        "--output-format",
        choices=["full", "concise", *formats],
        help="text layout: `full` (default) shows the source line, a marker and a help line; "
        "`concise` one line per finding (other names: like --format)",
    )
    out.add_argument("--statistics", action="store_true", help="count findings per rule instead of listing them")
    out.add_argument("--quiet", "-q", action="store_true", help="print findings only: no summary or notes")
    out.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when findings are reported (2 and 3 still mean usage and internal errors)",
    )
    out.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour the text report (default: auto: a terminal, unless NO_COLOR; FORCE_COLOR forces)",
    )
    out.add_argument(
        "--show-settings",
        action="store_true",
        help="print the settings the first PATH is linted with (and their file), then exit",
    )
    inputs = parser.add_argument_group("inputs")
    inputs.add_argument(
        "--exclude",
        action="append",
        metavar="PATTERN",
        help="gitignore-style pattern of paths to skip when searching directories (repeatable)",
    )
    inputs.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="the name of the file read from `-` (findings, settings lookup and file type use it)",
    )


def _inputs(args: argparse.Namespace) -> int | None:
    """Directories replaced by the files under them, `-` read; an exit code when there is nothing to do."""
    args.stdin_bytes = None
    args.searched = False
    files = args.files or []
    if (
        not args.stdin_filename
        and len(set(files)) == len(files)
        and not any(f == "-" or os.path.isdir(f) for f in files)
    ):
        return None  # files named one by one (the pre-commit case): nothing to search or read
    from mlflow_lint.discovery import STDIN, expand, read_stdin

    if args.stdin_filename and not (args.files or args.layers):  # as in ruff: a stdin name alone means `-`
        args.files = [STDIN]
    found = expand(args.files, _split(args.exclude or []))
    for directory in found.empty_dirs:
        print(
            f"mlflow-lint: warning: no values files or basic_auth.ini under {directory} "
            "(searched as the pre-commit hooks match them; see --exclude and .gitignore)",
            file=sys.stderr,
        )
    args.searched = bool(found.empty_dirs)  # an empty directory is not "no files given"
    args.files = found.files
    if STDIN in args.files:
        from mlflow_lint.engine import MAX_FILE_BYTES

        data = read_stdin(MAX_FILE_BYTES)
        if isinstance(data, str):
            print(f"mlflow-lint: error: {data}", file=sys.stderr)
            return EXIT_USAGE
        args.stdin_bytes = data
    return None


def _show_settings(args: argparse.Namespace) -> int:
    """--show-settings: the resolved settings for the first file's directory (or the working directory)."""
    from mlflow_lint.config import ConfigError, find_config_file
    from mlflow_lint.display import settings_text
    from mlflow_lint.engine import Request, settings_for

    first = (args.files or args.layers or [None])[0]
    if first == "-" or first is None:
        first = args.stdin_filename or os.path.join(os.getcwd(), "-")
    directory = os.path.dirname(os.path.abspath(first))
    request = Request(cli_settings=_cli_settings(args), config_path=args.config, isolated=args.isolated)
    try:
        settings = settings_for(request, directory)
    except ConfigError as exc:
        print(f"mlflow-lint: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    config = None if args.isolated else (args.config or find_config_file(directory))
    sys.stdout.write(settings_text(settings, directory, config))
    return EXIT_OK
