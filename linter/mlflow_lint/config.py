"""Settings: rule defaults < project file < command line.

The project file is `.mlflow-lint.yaml` (or `.yml`) or `[tool.mlflow-lint]` in
`pyproject.toml`, found by walking up from the linted file's directory (the nearest wins;
in one directory `.mlflow-lint.yaml` beats `pyproject.toml`). `--config PATH` skips the
search, `--isolated` ignores every file. Unknown keys, codes or values are fatal (exit 2)
and the message lists what is valid, as ruff and yamllint do.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from mlflow_lint.charts import BY_NAME
from mlflow_lint.finding import Severity
from mlflow_lint.records import NamedTuple
from mlflow_lint.rules import ALL_RULES, is_selector, lookup, selects
from mlflow_lint.rules.base import Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

KEYS = ("select", "ignore", "severity", "fail-on", "mlflow-version", "chart", "disable-noqa")
FILE_NAMES = (".mlflow-lint.yaml", ".mlflow-lint.yml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration problem the user must fix (exit code 2)."""


class Settings(NamedTuple):
    """Resolved settings for one linted file."""

    select: tuple[str, ...] = ("MLF",)
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = {}  # code -> severity; never mutated: apply() builds a new one  # noqa: RUF012
    fail_on: Severity = Severity.ERROR
    mlflow_version: str | None = None
    chart: str | None = None
    source: str = "defaults"
    disable_noqa: bool = False  # ignore inline `# mlflow-lint: disable` directives (flake8's --disable-noqa)

    def enabled(self, rule: Rule) -> bool:
        """Longest matching selector wins between select and ignore (flake8)."""
        best_select = max((selects(s, rule.code, rule.name) for s in self.select), default=0)
        best_ignore = max((selects(s, rule.code, rule.name) for s in self.ignore), default=0)
        return best_select > 0 and best_select > best_ignore

    def severity_of(self, rule: Rule) -> Severity:
        return self.severity.get(rule.code, rule.severity)


def validate_selector(selector: str) -> str:
    """A code, a code prefix or a rule name; ConfigError listing valid ones otherwise."""
    text = selector.strip()
    if is_selector(text):
        return text
    raise ConfigError(unknown_selector(text))


def unknown_selector(text: str, what: str = "rule selector") -> str:
    """ "unknown rule selector `X`" with the closest codes and names, not the whole catalogue."""
    import difflib

    from mlflow_lint.formatters.escape import printable

    candidates = [r.code for r in ALL_RULES] + [r.name for r in ALL_RULES]
    close = difflib.get_close_matches(
        text.upper() if text[:3].upper() == "MLF" else text.lower(), candidates, n=3, cutoff=0.6
    )
    rules = [(c, lookup(c)) for c in close]
    named = [f"`{c}` ({rule.name if c.startswith('MLF') else rule.code})" for c, rule in rules if rule is not None]
    hint = f"; did you mean {' or '.join(named)}?" if named else ""
    return f"unknown {what} `{printable(text)}`{hint} (`mlflow-lint rules` lists them)"


def apply(base: Settings, data: Mapping[str, Any], source: str) -> Settings:
    """Overlay settings from a file or the command line onto `base`."""
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise ConfigError(f"{source}: unknown setting(s) {', '.join(unknown)}; valid settings: {', '.join(KEYS)}")
    changes: dict[str, Any] = {"source": source}
    for key in ("select", "ignore"):
        if key in data:
            changes[key] = tuple(validate_selector(s) for s in _str_list(data[key], key, source))
    if "select" in data and "ignore" not in data:
        changes["ignore"] = ()  # a later `select` starts a new selection, as in ruff
    if "severity" in data:
        changes["severity"] = {**base.severity, **_severities(data["severity"], source)}
    if "fail-on" in data:
        changes["fail_on"] = _severity(data["fail-on"], "fail-on", source)
    if "mlflow-version" in data:
        changes["mlflow_version"] = _version_text(data["mlflow-version"], source)
    if "chart" in data:
        changes["chart"] = _chart(data["chart"], source)
    if _switched_on(data, "disable-noqa", source):  # never switched off again by a later source
        changes["disable_noqa"] = True
    return base._replace(**changes)


def _switched_on(data: Mapping[str, Any], key: str, source: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"{source}: `{key}` must be true or false")
    return value


def _str_list(value: Any, key: str, source: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source}: `{key}` must be a list of rule codes or names")
    return value


def _severity(value: Any, key: str, source: str) -> Severity:
    try:
        return Severity.parse(str(value))
    except ValueError:
        raise ConfigError(f"{source}: `{key}` must be error, warning or info, not {value!r}") from None


def _severities(value: Any, source: str) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: `severity` must map rule codes or names to a severity")
    out = {}
    for selector, level in value.items():
        rule = lookup(str(selector))
        if rule is None:
            validate_selector(str(selector))  # raises with the list of valid rules
            continue
        out[rule.code] = _severity(level, f"severity.{selector}", source)
    return out


def _version_text(value: Any, source: str) -> str:
    from mlflow_lint.versions import parse_version

    text = str(value)
    if parse_version(text) is None:
        raise ConfigError(f"{source}: `mlflow-version` must look like 2.14.1, not {text!r}")
    return text


def _chart(value: Any, source: str) -> str:
    if value not in BY_NAME:
        raise ConfigError(f"{source}: `chart` must be one of {', '.join(BY_NAME)}, not {value!r}")
    return str(value)


def find_config_file(start: str) -> str | None:
    """The nearest `.mlflow-lint.yaml` or pyproject.toml with our table, walking up to a git root."""
    folder = start if os.path.isdir(start) else os.path.dirname(start)
    while True:
        for name in FILE_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate) and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
        parent = os.path.dirname(folder)
        if parent == folder or os.path.exists(os.path.join(folder, ".git")):
            return None
        folder = parent


def _has_tool_table(pyproject: str) -> bool:
    try:
        with open(pyproject, encoding="utf-8") as handle:
            return "[tool.mlflow-lint]" in handle.read()
    except OSError:
        return False


def read_config_file(path: str) -> dict[str, Any]:
    """The settings table of a config file; ConfigError if it cannot be read."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    if os.path.basename(path) == "pyproject.toml":
        import tomllib

        try:
            table = tomllib.loads(text).get("tool", {}).get("mlflow-lint", {})
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    else:
        table = _read_yaml_config(path, text)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of settings")
    return table


def _read_yaml_config(path: str, text: str) -> Any:
    from mlflow_lint.document import LoadError, load

    try:
        document = load(str(path), text)
    except LoadError as exc:
        raise ConfigError(f"{path}: {exc.problem.message}") from None
    if any(p.code == "MLF009" for p in document.problems):
        raise ConfigError(f"{path}: the configuration must be a mapping of settings")
    if document.problems:
        problem = document.problems[0]
        raise ConfigError(f"{path}:{problem.line}: {problem.message}")
    return document.data
