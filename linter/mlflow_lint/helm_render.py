"""`--chart DIR|TGZ`: render the user's values with real Helm and lint what it renders.

Helm runs through the optional `helm-python-sdk` package (Helm's Go SDK compiled into the
wheel, driven by ctypes: no `helm` binary, no network; imported only here, only for `--chart
DIR|TGZ`), in a child process with a deadline. The values files are read as Helm reads them
(`values_from_yaml`), merged as `-f` files merge, and rendered offline (`lookup` returns
nothing) under release name `mlflow`. The rendered templates become one manifests stream,
which `manifests.py` turns into a Deployment, so every MLflow rule applies to any chart.

Tracing a finding back to the values. A finding points at a rendered scalar (an argument,
an env value, a Secret key); the values leaf whose string appears in that scalar (the
longest, and only when exactly one leaf has that string) is the line the user wrote. Else
the finding stays on the rendered manifest, named `<chart>/templates/<file>` with its line
in that rendered document.
"""

from __future__ import annotations

from mlflow_lint.finding import Location
from mlflow_lint.paths import Path
from mlflow_lint.records import NamedTuple
from mlflow_lint.setflags import merge_maps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.document import Position

RELEASE = "mlflow"
NAMESPACE = "default"
MIN_TRACE = 3  # shorter values ("on", "80") match too much to trace a finding by them
TIMEOUT = 60.0  # seconds Helm may take to render (real charts take well under one)


class RenderError(Exception):
    """Helm could not load the chart or render the values; the message is Helm's, one line."""


class Rendered(NamedTuple):
    """A rendered release: the stream text, and which template each stream line came from."""

    text: str
    lines: list[tuple[str, int]]  # stream line (0-based) -> (template name, line in its rendered output)


def render(
    chart_source: str, texts: list[str], overlay: dict[str, Any] | None = None, timeout: float = TIMEOUT
) -> Rendered:
    """Render `chart_source` (a directory or .tgz) with values files `texts` (Helm's -f order),
    then `overlay` (the --set flags applied).

    Helm runs in a child process under a deadline: a chart is code of a kind (a template can
    loop for ever), and one from a pull request must not hang the gate. The child reads the
    values files as Helm does (`values_from_yaml`) and merges them as `-f` files merge.
    """
    import json
    import subprocess
    import sys

    _refuse_links_out(chart_source)
    job = json.dumps({"chart": chart_source, "texts": texts, "overlay": overlay or {}})
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from mlflow_lint.helm_render import child; child()"],
            input=job,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(f"Helm did not finish rendering {chart_source} within {timeout:g} s") from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        raise RenderError(f"Helm stopped while rendering {chart_source} (exit {done.returncode})") from None
    if "error" in answer:
        raise RenderError(str(answer["error"]))
    return _stream(answer["manifests"])


def _refuse_links_out(chart_source: str) -> None:
    """A chart directory must not link outside itself: Helm's loader follows symbolic links, and a
    template could then copy any file the linter can read (`.Files.Get`) into the manifests."""
    import os

    if not os.path.isdir(chart_source):
        return  # an archive: Helm reads only its regular files
    root = os.path.realpath(chart_source)
    for directory, dirs, files in os.walk(chart_source):
        for name in dirs + files:
            path = os.path.join(directory, name)
            if os.path.islink(path):
                target = os.path.realpath(path)
                if target != root and not target.startswith(root + os.sep):
                    relative = os.path.relpath(path, chart_source)
                    raise RenderError(
                        f"the chart's `{relative}` is a link to outside the chart directory; "
                        "Helm would read it, so the chart is not rendered"
                    )


def child() -> None:
    """The child process of `render`: a job on stdin, `{"manifests": ...}` or `{"error": ...}` on stdout."""
    import json
    import sys

    job = json.loads(sys.stdin.read())
    try:
        import helm_python as helm
    except ImportError:
        print(
            json.dumps(
                {
                    "error": "--chart DIR|TGZ renders with Helm, which needs the optional package "
                    "helm-python-sdk: pip install 'mlflow-lint[helm]'"
                }
            )
        )
        return
    try:
        merged: dict[str, Any] = {}
        for text in job["texts"]:
            layer = helm.values_from_yaml(text)
            merged = merge_maps(merged, layer if isinstance(layer, dict) else {})
        merged = merge_maps(merged, job["overlay"])
        chart = helm.Chart.load(job["chart"])
        try:
            manifests = chart.render(merged, name=RELEASE, namespace=NAMESPACE, is_install=True)
        finally:
            chart.close()
    except helm.HelmError as exc:
        print(json.dumps({"error": f"Helm cannot render {job['chart']}: {' '.join(str(exc).split())}"}))
        return
    print(json.dumps({"manifests": manifests}))


def _stream(manifests: dict[str, str]) -> Rendered:
    parts: list[str] = []
    lines: list[tuple[str, int]] = []
    for name in sorted(manifests):
        body = manifests[name]
        if not body.strip() or not name.endswith((".yaml", ".yml")) or "/tests/" in name:
            continue
        parts.append("---\n")
        lines.append((name, 0))
        for number, _ in enumerate(body.splitlines(), start=1):
            lines.append((name, number))
        parts.append(body if body.endswith("\n") else body + "\n")
    return Rendered("".join(parts), lines)


def manifest_location(rendered: Rendered, chart_label: str, line: int, column: int) -> Location:
    """A stream position as `<chart>/templates/<file>` and the line in that rendered template."""
    if 1 <= line <= len(rendered.lines):
        name, number = rendered.lines[line - 1]
        return Location(f"{chart_label}:{name}", max(number, 1), column)
    return Location(chart_label, line, column)


class Tracer:
    """Maps a rendered scalar back to the values leaf that produced it (see the module doc)."""

    def __init__(self, layers: list[tuple[str, dict[str, Any], dict[Path, Position]]]) -> None:
        by_text: dict[str, list[tuple[Path, Location]]] = {}
        for file, data, positions in layers:
            for path, text in _string_leaves(data, ()):
                pos = positions.get(path)
                if pos is not None and len(text) >= MIN_TRACE:
                    by_text.setdefault(text, []).append((path, Location(file, pos.line, pos.column)))
        # several layers may set the same path: the last layer wins, as in Helm
        self._leaves = {text: list({path: where for path, where in found}.items()) for text, found in by_text.items()}
        self._longest_first = sorted(self._leaves, key=len, reverse=True)

    def trace(self, rendered: str) -> tuple[Path, Location] | None:
        for text in self._longest_first:
            if text in rendered:
                found = self._leaves[text]
                return found[0] if len(found) == 1 else None
        return None


def _string_leaves(data: Any, prefix: Path) -> list[tuple[Path, str]]:
    out: list[tuple[Path, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_string_leaves(value, (*prefix, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out.extend(_string_leaves(value, (*prefix, index)))
    elif isinstance(data, str):
        out.append((prefix, data))
    elif isinstance(data, int | float) and not isinstance(data, bool):
        out.append((prefix, str(data)))
    return out
