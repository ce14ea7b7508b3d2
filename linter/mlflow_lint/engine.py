"""The core loop, and the only module that knows the order of the phases.

read -> load YAML (a fatal problem ends that file) -> chart revision -> merge layers ->
schema -> rules -> suppression -> redaction -> sort. Each positional file is linted on its
own (pre-commit passes many); `-f` layers are linted together as one release.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from mlflow_lint import auth_ini, charts, schema, setflags, suppression
from mlflow_lint.charts import published
from mlflow_lint.config import ConfigError, Settings, apply, find_config_file, read_config_file
from mlflow_lint.context import Context
from mlflow_lint.document import Document, LoadError, LoadProblem, decode, load
from mlflow_lint.finding import Finding, Hit, Location, Severity
from mlflow_lint.paths import Path, format_path, identity
from mlflow_lint.records import NamedTuple
from mlflow_lint.redact import Redactor, collect_secrets
from mlflow_lint.release import Layer, Values
from mlflow_lint.rules import ALL_RULES, BY_CODE
from mlflow_lint.rules.base import Rule
from mlflow_lint.rules.probe_results import RULES as PROBE_RULES
from mlflow_lint.versions import NOT_GIVEN
from mlflow_lint.versions import resolve as resolve_version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.baseline import BaselineOutcome
    from mlflow_lint.manifests import Stream
    from mlflow_lint.probes.base import ProbeOptions, ProbeResult

MAX_FILE_BYTES = 4 * 1024 * 1024  # real values files are a few KB; see document.MAX_COMPOSED_NODES


class InputError(Exception):
    """A file that cannot be linted at all (missing, a directory, unreadable): exit 2."""


class Request(NamedTuple):
    """What to lint and how; built by the CLI from flags."""

    files: Sequence[str] = ()
    cli_settings: Mapping[str, Any] = {}
    config_path: str | None = None
    isolated: bool = False
    probes: ProbeOptions | None = None  # --probe / --probe-plan; None = no connection is ever attempted
    layers: Sequence[str] = ()  # -f files: linted together as one release
    sets: Sequence[tuple[str, str]] = ()  # ("--set" | "--set-string", text), CLI order
    secrets: Sequence[str] = ()  # --secrets files or directories
    file_type: str | None = None  # --type yaml|ini; None = by file name
    stdin: bytes | None = None  # the bytes of standard input, when `-` is among the files
    stdin_name: str | None = None  # --stdin-filename: how findings name it, and where settings are found
    render_chart: str | None = None  # --chart DIR|TGZ: render the values with Helm and lint what it renders


class Report:
    """Everything the formatters print; the engine fills it, the CLI adds the baseline."""

    def __init__(
        self,
        findings: list[Finding] | None = None,
        files: int = 0,
        input_errors: list[str] | None = None,
        settings: Settings | None = None,
        linted: list[str] | None = None,
        baseline: BaselineOutcome | None = None,
        probes: list[ProbeResult] | None = None,
    ) -> None:
        self.findings: list[Finding] = findings if findings is not None else []
        self.files = files
        self.input_errors: list[str] = input_errors if input_errors is not None else []
        self.settings = settings if settings is not None else Settings()
        self.linted: list[str] = linted if linted is not None else []  # files linted (JUnit, baseline scope)
        self.baseline = baseline  # set by the CLI when --baseline/--write-baseline is used
        self.probes: list[ProbeResult] = probes if probes is not None else []  # --probe results, redacted
        self.fail_on_by_file: dict[str, Severity] = {}  # each file's own settings

    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is None]

    def failing(self) -> list[Finding]:
        """Active findings at or above the `fail-on` level of their file's settings."""
        default = self.settings.fail_on
        return [f for f in self.active() if f.severity >= self.fail_on_by_file.get(f.file, default)]


PARALLEL_MIN_FILES = 32  # below this, starting worker processes costs more than it saves


class FileOutcome(NamedTuple):
    """One positional file's result, as a worker process sends it back."""

    name: str
    error: str | None  # an input problem (exit 2); then nothing was linted
    fail_on: Severity
    findings: list[Finding]


def run(request: Request) -> Report:
    """Lint every requested file; input problems are collected, not raised."""
    report = Report()
    report.settings = settings_for(request, os.getcwd())
    extras = _load_secrets(request, report)
    for outcome in _lint_files(request, extras, report):
        if outcome.error is not None:
            report.input_errors.append(outcome.error)
            continue
        report.fail_on_by_file[outcome.name] = outcome.fail_on
        report.findings.extend(outcome.findings)
        report.files += 1
        report.linted.append(outcome.name)
    if request.layers or request.sets:
        _run_layered(request, report, extras)
    _finish_manifests(extras, report)
    report.findings.sort(key=report_order)
    return report


# Findings that change what the rest of a file means: a misspelt or misplaced key leaves its
# setting at the chart's default, and the rules then report the default's consequences
# (2 replicas on ./mlruns...). Each file lists these first, so the cause is read before them.
ROOT_CAUSES = frozenset({"MLF001", "MLF004", "MLF005", "MLF006", "MLF007"})


def report_order(finding: Finding) -> tuple[str, bool, int, int, str, str]:
    """Per file: root causes (unknown keys...) first, then by position."""
    file, line, column, code, path = finding.sort_key
    return (file, code not in ROOT_CAUSES, line, column, code, path)


def _lint_files(request: Request, extras: dict[str, Any], report: Report) -> Iterable[FileOutcome]:
    """Each positional file on its own; many files (pre-commit, CI) on every core."""
    workers = min(os.cpu_count() or 1, 8)
    if len(request.files) >= PARALLEL_MIN_FILES and workers > 1 and request.probes is None:
        return _lint_in_processes(request, extras, workers)
    cache: dict[str, Settings] = {}
    return [_lint_file(request, name, extras, cache, report.probes) for name in request.files]


def _lint_file(
    request: Request,
    name: str,
    extras: dict[str, Any],
    cache: dict[str, Settings],
    probe_results: list[ProbeResult] | None = None,
) -> FileOutcome:
    try:
        name, text = _read_input(request, name)
    except InputError as exc:
        return FileOutcome(name, str(exc), Severity.ERROR, [])
    directory = os.path.dirname(os.path.abspath(name))
    settings = cache.get(directory) or cache.setdefault(directory, settings_for(request, directory))
    if is_ini(name, request.file_type):
        return FileOutcome(name, None, settings.fail_on, lint_ini(name, text, settings, extras))
    if request.render_chart:
        findings = lint_rendered([(name, text)], request.render_chart, settings, request.probes, probe_results, extras)
    else:
        findings = lint_values([(name, text)], settings, request.probes, probe_results, extras)
    return FileOutcome(name, None, settings.fail_on, findings)


_JOB: tuple[Request, dict[str, Any]] | None = None  # what forked workers lint (inherited, not pickled)


def _lint_in_processes(request: Request, extras: dict[str, Any], workers: int) -> list[FileOutcome]:
    """Fork `workers` processes that lint the files in chunks; results come back in order."""
    import multiprocessing

    global _JOB
    _JOB = (request, extras)
    chunk = max(1, len(request.files) // (workers * 4))
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_lint_file_in_worker, request.files, chunksize=chunk)
    finally:
        _JOB = None


_WORKER_CACHE: dict[str, Settings] = {}


def _lint_file_in_worker(name: str) -> FileOutcome:
    assert _JOB is not None
    request, extras = _JOB
    return _lint_file(request, name, extras, _WORKER_CACHE)


def settings_for(request: Request, directory: str) -> Settings:
    """Defaults < config file (given or found upward) < command-line settings."""
    settings = Settings()
    if not request.isolated:
        path = request.config_path or find_config_file(directory)
        if path is not None:
            if request.config_path and not os.path.isfile(path):
                raise ConfigError(f"config file not found: {request.config_path}")
            settings = apply(settings, read_config_file(path), path)
    if request.cli_settings:
        settings = apply(settings, request.cli_settings, "command line")
    return settings


def _read_input(request: Request, name: str) -> tuple[str, str]:
    """(the name findings use, the text) of a positional file; `-` is standard input."""
    if name != "-" or request.stdin is None:
        return name, read_text(name)
    shown = request.stdin_name or "<stdin>"
    if len(request.stdin) > MAX_FILE_BYTES:
        raise InputError(f"{shown}: standard input is over the {MAX_FILE_BYTES}-byte limit for a values file")
    try:
        return shown, decode(request.stdin)
    except UnicodeDecodeError as exc:
        return shown, _undecodable(request.stdin, exc)


def read_text(name: str) -> str:
    """The decoded text of `name`; InputError with a one-line reason otherwise."""
    try:
        info = os.stat(name)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name}: is a directory; pass the values files inside it")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{name}: not a regular file (a FIFO, socket or device)")
    if info.st_size > MAX_FILE_BYTES:
        raise InputError(f"{name}: {info.st_size} bytes is over the {MAX_FILE_BYTES}-byte limit for a values file")
    try:
        with open(name, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    try:
        return decode(raw)
    except UnicodeDecodeError as exc:
        return _undecodable(raw, exc)


class _Undecodable(str):
    """Marks text that failed to decode; carries the position of the bad byte."""

    offset: int = 0

    def problem(self, reader: str) -> LoadProblem:
        """MLF011 at the line of the bad byte."""
        return LoadProblem(
            "MLF011", self.count("\n") + 1, 1, f"byte {self.offset} is not valid UTF-8; {reader} cannot read this file"
        )


def _undecodable(raw: bytes, exc: UnicodeDecodeError) -> str:
    text = _Undecodable(raw[: exc.start].decode("utf-8", errors="replace"))
    text.offset = exc.start
    return text


def lint_values(
    sources: list[tuple[str, str]],
    settings: Settings,
    probes: ProbeOptions | None = None,
    probe_results: list[ProbeResult] | None = None,
    extras: dict[str, Any] | None = None,
    flags: list[setflags.Flag] | None = None,
) -> list[Finding]:
    """Lint one release made of one or more values files (in Helm's -f order) and --set flags.

    Raises setflags.SetError when a --set flag cannot be applied to the files' values.
    """
    documents, findings = _load_values(sources)
    redactor = Redactor((extras or {}).get("secret_values", ()))
    stream = _manifest_stream(sources, documents) if not flags else None
    if stream is not None:  # rendered Kubernetes objects, not values: several documents are expected
        findings = [f for f in findings if f.code != "MLF010"]
        release, redactor = _lint_manifests(stream, settings, probes, probe_results, extras)
        findings.extend(release)
    elif len(documents) == len(sources):
        release, redactor = _lint_release(documents, settings, probes, probe_results, extras, flags)
        findings.extend(release)
    findings = _select(findings, settings)
    probed = probes is not None and not probes.plan_only  # the MLF9xx rules ran
    findings = _suppress(findings, [(n, t) for n, t in sources], settings, probed)
    redacted = [redactor.finding(f) for f in findings]  # every finding, YAML problems and MLF003 included
    # A file that did not load has no secrets collected, and a manifests stream holds base64 that the
    # redactor cannot match: every value their lines show is masked.
    mask_all = stream is not None or len(documents) != len(sources)
    return _attach_excerpts(redacted, dict(sources), redactor, mask_all=mask_all)


def _load_values(sources: list[tuple[str, str]]) -> tuple[list[Document], list[Finding]]:
    """The documents that load, and the YAML problems of every file (as Helm would read them)."""
    documents: list[Document] = []
    findings: list[Finding] = []
    for name, text in sources:
        if isinstance(text, _Undecodable):
            findings.append(_problem_finding(name, text.problem("Helm")))
            continue
        try:
            document = load(name, text)
        except LoadError as exc:
            findings.append(_problem_finding(name, exc.problem))
            continue
        documents.append(document)
        findings.extend(_problem_finding(name, p) for p in document.problems)
    return documents, findings


def lint_rendered(
    sources: list[tuple[str, str]],
    chart_source: str,
    settings: Settings,
    probes: ProbeOptions | None = None,
    probe_results: list[ProbeResult] | None = None,
    extras: dict[str, Any] | None = None,
    flags: list[setflags.Flag] | None = None,
) -> list[Finding]:
    """Render a release's values with the chart at `chart_source` (real Helm) and lint what it renders.

    Findings go back to the values line that produced them when it can be traced, else to
    the rendered template (`helm_render`). Raises setflags.SetError like `lint_values`.
    """
    from mlflow_lint import helm_render

    documents, findings = _load_values(sources)
    redactor = Redactor((extras or {}).get("secret_values", ()))
    if len(documents) == len(sources):
        redactor = _values_redactor(documents, settings, extras)
        try:
            traced = [Layer(d.file, d.data, d.positions) for d in documents]
            overlay: dict[str, Any] = {}
            if flags:  # applied onto our reading of the files; Helm's reading is the child's
                set_layers = setflags.set_layers(flags, [d.data for d in documents])
                overlay = set_layers[-1].data
                traced.extend(set_layers)
            rendered = helm_render.render(chart_source, [text for _, text in sources], overlay)
        except helm_render.RenderError as exc:
            rule = BY_CODE["MLF013"]
            findings.append(
                Finding(
                    rule.code,
                    rule.name,
                    settings.severity_of(rule),
                    sources[0][0],
                    1,
                    1,
                    "",
                    str(exc),
                    "fix the values (or the chart) until `helm template` renders them",
                )
            )
        else:
            findings.extend(_lint_render(rendered, chart_source, traced, settings, probes, probe_results, extras))
    findings = _select(findings, settings)
    findings = _suppress(findings, list(sources), settings, probes is not None and not probes.plan_only)
    redacted = [redactor.finding(f) for f in findings]
    return _attach_excerpts(redacted, dict(sources), redactor, mask_all=len(documents) != len(sources))


def _lint_render(
    rendered: Any,
    chart_source: str,
    layers: list[Layer],
    settings: Settings,
    probes: ProbeOptions | None,
    probe_results: list[ProbeResult] | None,
    extras: dict[str, Any] | None,
) -> list[Finding]:
    from mlflow_lint import helm_render, manifests

    label = os.path.basename(os.path.normpath(chart_source))
    stream = manifests.read_stream(f"{label}:rendered", rendered.text)
    tracer = helm_render.Tracer([(layer.file, layer.data, layer.positions) for layer in layers])

    def relocate(path: Path, where: Location) -> tuple[Location, Path]:
        scalar = manifests.scalar_at(stream, path)
        found = tracer.trace(scalar) if scalar else None
        if found is not None:
            return found[1], found[0]
        return helm_render.manifest_location(rendered, label, where.line, where.column), path

    findings, _ = _lint_manifests(stream, settings, probes, probe_results, extras, rendered.text, relocate)
    out = []
    for finding in findings:  # hits placed explicitly in the stream (an INI in a rendered Secret)
        if finding.file == stream.file:
            where = helm_render.manifest_location(rendered, label, finding.line, finding.column)
            finding = finding._replace(file=where.file, line=where.line, column=where.column)
        out.append(finding)
    return out


def _values_redactor(documents: list[Document], settings: Settings, extras: dict[str, Any] | None) -> Redactor:
    """The secrets of values files linted without a chart model (their text may reach a message)."""
    chart = charts.load_chart(charts.DEFAULT)
    values = Values({}, [Layer(d.file, d.data, d.positions) for d in documents])
    ctx = Context(values, chart, resolve_version(None, None, chart.app_version), settings, dict(extras or {}))
    return Redactor(lambda: collect_secrets(ctx))


def _lint_release(
    documents: list[Document],
    settings: Settings,
    probes: ProbeOptions | None = None,
    probe_results: list[ProbeResult] | None = None,
    extras: dict[str, Any] | None = None,
    flags: list[setflags.Flag] | None = None,
) -> tuple[list[Finding], Redactor]:
    layers = [Layer(d.file, d.data, d.positions) for d in documents]
    if flags:
        layers.extend(setflags.set_layers(flags, [layer.data for layer in layers]))
    choice = charts.choose([layer.data for layer in layers], settings.chart)
    outer: list[Finding] = []
    if choice.prefix:  # an umbrella chart's values: lint the nested block, report at the real lines
        outer = _audit_outside(layers, choice.prefix, settings, extras)
        layers = [_nested_layer(layer, choice.prefix) for layer in layers]
    modelled = choice.recognised and choice.adapter.modelled
    chart = charts.load_chart(choice.adapter.name if modelled else charts.DEFAULT)
    values = Values(chart.defaults, layers)
    mlflow = resolve_version(settings.mlflow_version, values.get(("image", "tag")), chart.app_version)
    ctx = Context(values, chart, mlflow, settings, dict(extras or {}))
    hits: list[tuple[Rule, Hit]] = []
    if not modelled:
        hits.append((BY_CODE["MLF012"], _unrecognised(choice, layers)))
        hits.extend(_run_rules(ctx, settings, chart_free=True))
        return (
            [*outer, *(_finding(rule, hit, values, settings, choice.prefix) for rule, hit in hits)],
            Redactor(lambda: collect_secrets(ctx)),
        )
    auth_ini.attach(ctx)  # the INI rendered from the values or found in a Secret, and its passwords
    revision, markers = charts.detect([layer.data for layer in layers])
    seed_chart = choice.adapter.family == "seed"
    mixed: list[Hit] = list(_mixed_revisions(markers, revision)) if settings.chart is None and seed_chart else []
    hits.extend((BY_CODE["MLF004"], h) for h in mixed)
    data = [layer.data for layer in layers]
    hits.extend((BY_CODE["MLF801"], h) for h in published.mixed_hits(chart.name, data))  # another chart's keys
    reported = {h.path for h in mixed} | published.foreign_paths(chart.name, data)  # not also unknown keys
    for code, hit in schema.check(chart, values.data):
        if hit.path not in reported:
            code, hit = published.schema_hit(chart.name, code, hit)  # MLF802 where Helm ignores unknown keys
            hits.append((BY_CODE[code], hit))
    hits.extend(_run_rules(ctx, settings))
    if probes is not None:
        hits.extend(_run_probes(ctx, probes, probe_results if probe_results is not None else []))
    return (
        [*outer, *(_finding(rule, hit, values, settings, choice.prefix) for rule, hit in hits)],
        Redactor(lambda: collect_secrets(ctx)),
    )


def _audit_outside(
    layers: list[Layer], prefix: Path, settings: Settings, extras: dict[str, Any] | None
) -> list[Finding]:
    """The secret audit of an umbrella file's values outside the MLflow block (a credential anywhere counts)."""
    outer = [_without_subtree(layer, prefix) for layer in layers]
    if not any(layer.data for layer in outer):
        return []
    chart = charts.load_chart(charts.DEFAULT)
    values = Values({}, outer)
    ctx = Context(
        values, chart, resolve_version(settings.mlflow_version, None, chart.app_version), settings, dict(extras or {})
    )
    return [_finding(rule, hit, values, settings) for rule, hit in _run_rules(ctx, settings, chart_free=True)]


def _without_subtree(layer: Layer, prefix: Path) -> Layer:
    """`layer` with the mapping at `prefix` left out (it is linted as the chart's values)."""

    def drop(data: Any, rest: Path) -> Any:
        if not isinstance(data, dict) or not rest or str(rest[0]) not in data:
            return data
        head = str(rest[0])
        if len(rest) == 1:
            return {key: value for key, value in data.items() if key != head}
        return {**data, head: drop(data[head], rest[1:])}

    depth = len(prefix)
    positions = {path: pos for path, pos in layer.positions.items() if tuple(path[:depth]) != tuple(prefix)}
    return Layer(layer.file, drop(layer.data, prefix), positions)


def _manifest_stream(sources: list[tuple[str, str]], documents: list[Document]) -> Stream | None:
    """The manifests of a single file whose first object is a Kubernetes object, else None (values)."""
    if len(sources) != 1 or len(documents) != 1:
        return None
    document = documents[0]
    first = document.data
    kube = isinstance(first, dict) and isinstance(first.get("apiVersion"), str) and isinstance(first.get("kind"), str)
    if not kube and not (first == {} and document.problems):
        return None
    from mlflow_lint import manifests  # only for manifests: a values lint never loads it

    stream = manifests.read_stream(*sources[0])
    if not stream.objects or not all(manifests.looks_like_manifests(obj) for obj in stream.objects.values()):
        return None
    return stream


Relocate = Callable[[Path, Location], tuple[Location, Path]]


def _lint_manifests(
    stream: Stream,
    settings: Settings,
    probes: ProbeOptions | None = None,
    probe_results: list[ProbeResult] | None = None,
    extras: dict[str, Any] | None = None,
    text: str | None = None,
    relocate: Relocate | None = None,
) -> tuple[list[Finding], Redactor]:
    """Lint the `mlflow server` workload of a manifests stream (its Secrets and ConfigMaps included).

    `relocate` moves a finding from the stream to where it came from (rendered values).
    """
    from mlflow_lint import k8s_secrets, manifests
    from mlflow_lint.deployment import fill_secrets

    values = Values({}, [Layer(stream.file, stream.objects, stream.positions)])
    chart = charts.manifests_chart()
    own = k8s_secrets.load_index([(stream.file, read_text(stream.file) if text is None else text)])
    given = dict(extras or {})
    given["secret_values"] = [*given.get("secret_values", ()), *sorted(own.secret_values())]
    found = manifests.server_workload(stream)
    if found is None:
        ctx = Context(values, chart, resolve_version(settings.mlflow_version, None, chart.app_version), settings, given)
        hit = Hit(
            (),
            "no Deployment, StatefulSet or DaemonSet in these manifests runs `mlflow server`; nothing was linted",
            "lint the MLflow server's manifests or values file; Secret manifests go "
            "after `--secrets`, next to the values that reference them",
        )
        found_hits = [(BY_CODE["MLF012"], hit), *_run_rules(ctx, settings, chart_free=True)]
        return (
            [_finding(rule, hit, values, settings, relocate=relocate) for rule, hit in found_hits],
            Redactor(lambda: collect_secrets(ctx)),
        )
    deployment = manifests.build(stream, *found)
    if given.get("secrets") is not None:
        fill_secrets(deployment, given["secrets"])
    mlflow = resolve_version(settings.mlflow_version, deployment.image.tag, chart.app_version)
    ctx = Context(values, chart, mlflow, settings, given, deployment)
    auth_ini.attach(ctx)
    hits: list[tuple[Rule, Hit]] = list(_run_rules(ctx, settings))
    if probes is not None:
        hits.extend(_run_probes(ctx, probes, probe_results if probe_results is not None else []))
    return (
        [_finding(rule, hit, values, settings, relocate=relocate) for rule, hit in hits],
        Redactor(lambda: collect_secrets(ctx)),
    )


def _nested_layer(layer: Layer, prefix: Path) -> Layer:
    """`layer` seen from inside the umbrella key `prefix`; positions keep the real file's lines."""
    depth = len(prefix)
    positions = {path[depth:]: pos for path, pos in layer.positions.items() if path[:depth] == prefix}
    return Layer(layer.file, charts.nested(layer.data, prefix), positions)


def _unrecognised(choice: charts.Choice, layers: list[Layer]) -> Hit:
    """MLF012: which chart the file is for (if known) and how to lint it."""
    names = " or ".join(f"`--chart {name}`" for name in charts.REVISIONS)
    how = f"lint what Helm renders with `--chart <chart directory or .tgz>`, or name the chart: {names}"
    if choice.recognised:

        def line_of(path: Path) -> int:
            return min((layer.positions[path].line for layer in layers if path in layer.positions), default=0)

        markers = sorted(choice.markers, key=line_of)
        keys = ", ".join(f"`{format_path(p)}`" for p in markers[:4])
        why = f"keys {keys}" if keys else "chosen with --chart"
        return Hit(
            markers[0] if markers else (),
            f"this values file is for {choice.adapter.title} "
            f"({why}), which mlflow-lint does not model yet; it was not checked against another chart's keys",
            how,
            at_key=True,
        )
    unknown = sorted({str(k) for layer in layers for k in layer.data if str(k) not in charts.GENERIC_KEYS})
    shown = ", ".join(f"`{k}`" for k in unknown[:4]) + (" ..." if len(unknown) > 4 else "")
    return Hit(
        (), f"no chart mlflow-lint knows uses these keys ({shown}); the file was not linted against a chart's keys", how
    )


def _run_probes(ctx: Context, options: ProbeOptions, results: list[ProbeResult]) -> list[tuple[Rule, Hit]]:
    """Live probes (only with --probe/--probe-plan); imported here so offline runs never load them."""
    from mlflow_lint.probes.phase import run_phase

    found, hits = run_phase(ctx, options)
    results.extend(found)
    return [(BY_CODE[code], hit) for code, hit in hits]


CHART_FREE = ("MLF3",)  # rule families that need no chart: the secret audit reads every value


def _run_rules(ctx: Context, settings: Settings, chart_free: bool = False) -> Iterator[tuple[Rule, Hit]]:
    for rule in ALL_RULES:
        if chart_free and not rule.code.startswith(CHART_FREE):
            continue
        if rule.check is not None and settings.enabled(rule):
            for hit in rule.check(ctx):
                yield rule, hit


def _mixed_revisions(markers: list[tuple[Any, str]], chosen: str) -> Iterable[Hit]:
    other = [(path, rev) for path, rev in markers if rev != chosen]
    if not any(rev == chosen for _, rev in markers):
        return
    mapping = charts.V1_ONLY if chosen == "seed-v2" else charts.V2_ONLY
    for path, rev in other:
        counterpart = mapping.get(path)
        instead = f"; in {chosen} use `{format_path(counterpart)}`" if counterpart else f"; {chosen} has no such key"
        yield Hit(
            path,
            f"`{format_path(path)}` is a {rev} key in a file that otherwise uses {chosen} keys{instead}",
            "Helm ignores the other revision's keys; pin the revision with --chart",
            at_key=True,
        )


def _finding(
    rule: Rule, hit: Hit, values: Values, settings: Settings, prefix: Path = (), relocate: Relocate | None = None
) -> Finding:
    where = hit.location or values.locate(hit.path, hit.at_key)
    # An umbrella key is part of the path of a values path (a hit placed in another file keeps its own)
    path = (*prefix, *hit.path) if prefix and _in_values(hit, values) else hit.path
    if relocate is not None and hit.location is None:
        where, path = relocate(hit.path, where)
    hint = setflags.typed_hint(hit.hint, hit.path) if where.file == "--set" else hit.hint
    return Finding(
        rule.code,
        rule.name,
        settings.severity_of(rule),
        where.file,
        where.line,
        where.column,
        format_path(path),
        hit.message,
        hint,
        secret_digest=hit.secret_digest,
        identity=_identity(hit, values, prefix),
    )


def _in_values(hit: Hit, values: Values) -> bool:
    """The hit's path is a path of these values (not an INI key or a manifest's): it was set there."""
    if hit.location is None:
        return True
    for layer in values.layers:
        pos = layer.positions.get(hit.path)
        if layer.file == hit.location.file and pos is not None:
            return True
    return False


def _attach_excerpts(
    findings: list[Finding], texts: Mapping[str, str], redactor: Redactor, mask_all: bool = False
) -> list[Finding]:
    """excerpts.attach, imported only when there is a finding to show (a clean file needs none)."""
    if not findings:
        return findings
    from mlflow_lint import excerpts

    return excerpts.attach(findings, texts, redactor, mask_all=mask_all)


def _identity(hit: Hit, values: Values, prefix: Path) -> str:
    """The finding's path with named list items, umbrella key included ("" when it has no list index)."""
    if hit.location is not None:
        return ""
    named = identity(hit.path, values.data)
    if not named or not prefix:
        return named
    return format_path(prefix) + ("" if named.startswith("[") else ".") + named


def _problem_finding(name: str, problem: LoadProblem) -> Finding:
    rule = BY_CODE[problem.code]
    return Finding(
        rule.code,
        rule.name,
        rule.severity,
        name,
        problem.line,
        problem.column,
        format_path(problem.path),
        problem.message,
        problem.hint,
    )


def _select(findings: list[Finding], settings: Settings) -> list[Finding]:
    out = []
    for finding in findings:
        rule = BY_CODE[finding.code]
        if settings.enabled(rule):
            out.append(finding._replace(severity=settings.severity_of(rule)))
    return out


def _suppress(
    findings: list[Finding], sources: list[tuple[str, str]], settings: Settings, probed: bool = False
) -> list[Finding]:
    if settings.disable_noqa:  # --disable-noqa: directives neither suppress nor count as unused
        return findings
    unused_rule = BY_CODE["MLF003"]
    # Only rules that ran can make a directive unused: MLF9xx run only with --probe.
    enabled = [r for r in ALL_RULES if settings.enabled(r) and (probed or r not in PROBE_RULES)]
    out: list[Finding] = []
    for name, text in sources:
        directives, problems = suppression.parse(text)
        mine = suppression.apply([f for f in findings if f.file == name], directives)
        out.extend(mine)
        if not settings.enabled(unused_rule):
            continue
        for line, message in problems:
            out.append(_located(unused_rule, name, line, message, settings))
        for directive in suppression.unused(directives, enabled):
            message = f"this directive suppresses nothing ({', '.join(directive.selectors)})"
            out.append(_located(unused_rule, name, directive.line, message, settings))
    names = {n for n, _ in sources}
    out.extend(f for f in findings if f.file not in names)
    return out


def _located(rule: Rule, file: str, line: int, message: str, settings: Settings) -> Finding:
    where = Location(file, line, 1)
    return Finding(
        rule.code,
        rule.name,
        settings.severity_of(rule),
        where.file,
        where.line,
        where.column,
        "",
        message,
        "remove the directive or correct the rule it names",
    )


def is_ini(name: str, file_type: str | None) -> bool:
    """`--type` decides; otherwise `basic_auth.ini` or any `.ini` file is a basic-auth config."""
    if file_type is not None:
        return file_type == "ini"
    return os.path.basename(name) == "basic_auth.ini" or name.lower().endswith(".ini")


def lint_ini(name: str, text: str, settings: Settings, extras: dict[str, Any]) -> list[Finding]:
    """Lint a basic_auth.ini file with the MLF5xx rules (MLflow version: --mlflow-version or appVersion)."""
    if isinstance(text, _Undecodable):
        return _select([_problem_finding(name, text.problem("MLflow"))], settings)
    chart = charts.load_chart(settings.chart if settings.chart in charts.REVISIONS else charts.DEFAULT)
    mlflow = resolve_version(settings.mlflow_version, None, chart.app_version)
    if not settings.mlflow_version:  # no chart, no image: messages say for which versions a problem holds
        mlflow = mlflow._replace(source=NOT_GIVEN)
    source = auth_ini.file_source(name, text)
    ctx = Context(Values(chart.defaults, []), chart, mlflow, settings, {**extras, "ini": [source]})
    hits = [
        (rule, hit)
        for rule in ALL_RULES
        if "ini" in rule.needs and rule.check is not None and settings.enabled(rule)
        for hit in rule.check(ctx)
    ]
    redactor = Redactor(source.secrets())
    findings = [redactor.finding(_finding(rule, hit, ctx.values, settings)) for rule, hit in hits]
    return _attach_excerpts(_suppress(_select(findings, settings), [(name, text)], settings), {name: text}, redactor)


def _run_layered(request: Request, report: Report, extras: dict[str, Any]) -> None:
    """The -f files and --set flags as ONE release, merged as `helm upgrade -f ... --set ...` does."""
    flags = setflags.number_flags(list(request.sets))
    try:
        setflags.validate(flags)
        sources = [(name, read_text(name)) for name in request.layers]
    except (InputError, setflags.SetError) as exc:
        report.input_errors.append(str(exc))
        return
    anchor = os.path.dirname(os.path.abspath(request.layers[0])) if request.layers else os.getcwd()
    settings = settings_for(request, anchor)
    try:
        if request.render_chart:
            report.findings.extend(
                lint_rendered(sources, request.render_chart, settings, request.probes, report.probes, extras, flags)
            )
        else:
            report.findings.extend(lint_values(sources, settings, request.probes, report.probes, extras, flags))
    except setflags.SetError as exc:
        report.input_errors.append(str(exc))
        return
    for name in request.layers:
        report.fail_on_by_file[name] = settings.fail_on
        report.linted.append(name)
    report.files += max(len(sources), 1)


def _load_secrets(request: Request, report: Report) -> dict[str, Any]:
    """The --secrets manifests as ctx.extras entries ({} without --secrets)."""
    if not request.secrets:
        return {}
    from mlflow_lint import k8s_secrets

    try:
        files = [(name, read_text(name)) for name in k8s_secrets.expand(request.secrets)]
    except FileNotFoundError as exc:
        report.input_errors.append(f"{exc.args[0]}: no such file or directory (--secrets)")
        return {}
    except (InputError, k8s_secrets.LinkRefused) as exc:
        report.input_errors.append(f"{exc} (--secrets)" if isinstance(exc, InputError) else str(exc))
        return {}
    index = k8s_secrets.load_index(files)
    return {"secrets": index, "secret_values": sorted(index.secret_values())}


def _finish_manifests(extras: dict[str, Any], report: Report) -> None:
    """Manifest findings once per run; suppression directives in the manifests apply."""
    index = extras.get("secrets")
    if index is None:
        return
    settings = report.settings
    redactor = Redactor(extras.get("secret_values", ()))
    own = [
        redactor.finding(
            Finding(
                p.code,
                BY_CODE[p.code].name,
                BY_CODE[p.code].severity,
                p.location.file,
                p.location.line,
                p.location.column,
                format_path(p.path),
                p.message,
                p.hint,
            )
        )
        for p in index.problems
    ]
    names = {name for name, _ in index.texts}
    unique: dict[tuple[str, str, int, int, str, str], Finding] = {}
    for finding in [f for f in report.findings if f.file in names] + _select(own, settings):
        unique.setdefault(
            (finding.code, finding.file, finding.line, finding.column, finding.path, finding.message), finding
        )
    report.findings = [f for f in report.findings if f.file not in names]
    shown = _suppress(list(unique.values()), index.texts, settings)
    report.findings.extend(_attach_excerpts(shown, dict(index.texts), redactor, mask_all=True))
