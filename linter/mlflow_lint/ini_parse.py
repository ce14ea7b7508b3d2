"""Read an INI text exactly as `configparser.ConfigParser()` does, keeping positions.

MLflow reads basic_auth.ini with a default `ConfigParser()` (facts file 7.1): delimiters
`=` and `:`, full-line comments only (`#`/`;`, inline comments are NOT stripped), option
names lower-cased, indented lines continue a value, strict mode (a duplicate section or
option is an error) and BasicInterpolation (`%` must be `%%` or `%(name)s`). configparser
keeps no line numbers, so this module replays its `_read` loop with the same regexes and
records where every section and option is; values are the ones configparser would hold.
"""

from __future__ import annotations

import re
from functools import cache

from mlflow_lint.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    import configparser

_INTERPOLATION_KEY = r"%\(([^)]+)\)s"
DEFAULT_SECTION = "DEFAULT"


@cache
def _parser() -> configparser.ConfigParser:
    """A default ConfigParser, for its regexes and interpolation; built on first use, as most
    lints read no INI at all (configparser and its regexes cost over a millisecond)."""
    import configparser

    return configparser.ConfigParser()


class Option:
    """One `key = value` line (plus continuation lines) as configparser reads it."""

    __slots__ = ("column", "key", "line", "section", "value_lines", "written")

    def __init__(
        self,
        section: str,
        key: str,
        written: str,
        line: int,
        column: int,
        value_lines: list[tuple[int, int, str]] | None = None,
    ) -> None:
        self.section = section
        self.key = key  # lower-cased, as configparser stores it
        self.written = written  # the key as written
        self.line = line
        self.column = column  # of the key
        # (line, column, text) of the value's first line and of each continuation line
        self.value_lines: list[tuple[int, int, str]] = [] if value_lines is None else value_lines

    @property
    def value(self) -> str:
        """The raw value (before interpolation), continuation lines joined with newlines."""
        return "\n".join(text for _, _, text in self.value_lines).rstrip("\n")

    def position_of(self, offset: int) -> tuple[int, int]:
        """Line and column of character `offset` of `value`."""
        for line, column, text in self.value_lines:
            if offset <= len(text):
                return line, column + offset
            offset -= len(text) + 1
        return self.line, self.column


class Problem(NamedTuple):
    """A line configparser refuses: kind is `syntax`, `duplicate-section` or `duplicate-option`."""

    kind: str
    line: int
    column: int
    message: str
    hint: str = ""
    key: str = ""


class IniText:
    """The parsed file: every section and option with positions, and what configparser refuses."""

    __slots__ = ("fatal", "options", "problems", "sections")

    def __init__(
        self,
        sections: list[tuple[str, int]] | None = None,
        options: list[Option] | None = None,
        problems: list[Problem] | None = None,
        fatal: bool = False,
    ) -> None:
        self.sections: list[tuple[str, int]] = [] if sections is None else sections  # (name as written, line)
        self.options: list[Option] = [] if options is None else options
        self.problems: list[Problem] = [] if problems is None else problems
        self.fatal = fatal  # MissingSectionHeaderError: configparser stops at once

    def section(self, name: str) -> dict[str, Option]:
        """Options visible in `name` as configparser resolves them (DEFAULT first, last wins)."""
        out: dict[str, Option] = {}
        for wanted in (DEFAULT_SECTION, name):
            for option in self.options:
                if option.section == wanted:
                    out[option.key] = option
        return out

    def has_section(self, name: str) -> bool:
        return any(section == name for section, _ in self.sections)


def parse(text: str) -> IniText:
    """Replay configparser's reading loop over `text`."""
    out = IniText()
    state = _State()
    for number, line in enumerate(text.splitlines(), start=1):
        if out.fatal:
            break
        _read_line(out, state, number, line)
    return out


class _State:
    __slots__ = ("indent", "option", "section", "seen")

    def __init__(self) -> None:
        self.section: str | None = None
        self.option: Option | None = None
        self.indent = 0
        self.seen: set[tuple[str, ...]] = set()


def _read_line(out: IniText, state: _State, number: int, line: str) -> None:
    stripped = line.strip()
    if not stripped or stripped.startswith(("#", ";")):
        if not stripped and state.option is not None:
            state.option.value_lines.append((number, 1, ""))  # empty_lines_in_values=True
        return
    indent = len(line) - len(line.lstrip())  # `line` holds a non-space character
    if state.section is not None and state.option is not None and indent > state.indent:
        state.option.value_lines.append((number, indent + 1, stripped))
        return
    state.indent = indent
    header = _parser().SECTCRE.match(stripped)
    if header:
        _section(out, state, number, header["header"])
    elif state.section is None:
        out.problems.append(
            Problem(
                "syntax",
                number,
                indent + 1,
                "the file does not start with a section header; configparser stops here (MissingSectionHeaderError)",
                "put `[mlflow]` before the first option",
            )
        )
        out.fatal = True
    else:
        _option(out, state, number, line, indent)


def _section(out: IniText, state: _State, number: int, name: str) -> None:
    if (name,) in state.seen:
        out.problems.append(
            Problem(
                "duplicate-section",
                number,
                1,
                f"section `[{name}]` appears twice; configparser refuses the file (DuplicateSectionError)",
                "merge the two sections",
                name,
            )
        )
    if name != DEFAULT_SECTION:
        state.seen.add((name,))
    out.sections.append((name, number))
    state.section, state.option = name, None


def _option(out: IniText, state: _State, number: int, line: str, indent: int) -> None:
    match = _parser()._optcre.match(line.strip())  # type: ignore[attr-defined]  # built from its delimiters
    if not match or not match["option"]:
        out.problems.append(
            Problem(
                "syntax",
                number,
                indent + 1,
                "this line is neither a section header, a comment nor `key = value`; "
                "configparser refuses the file (ParsingError)",
                "write `key = value`, indent continuation lines, or comment the line out",
            )
        )
        state.option = None
        return
    written = match["option"].rstrip()
    key = written.lower()
    section = state.section or ""
    if (section, key) in state.seen:
        out.problems.append(
            Problem(
                "duplicate-option",
                number,
                indent + 1,
                f"option `{key}` appears twice in `[{section}]` (option names ignore case); "
                "configparser refuses the file (DuplicateOptionError)",
                "keep one of the two lines",
                key,
            )
        )
    state.seen.add((section, key))
    value_start = line.index(match["value"], indent + match.start("value")) if match["value"] else len(line)
    option = Option(section, key, written, number, indent + 1)
    option.value_lines.append((number, value_start + 1, match["value"].strip()))
    out.options.append(option)
    state.option = option


class InterpolationProblem(NamedTuple):
    """A `%` that BasicInterpolation refuses, at `offset` in the raw value."""

    offset: int
    message: str


def interpolation_problem(option: Option, visible: dict[str, Option]) -> InterpolationProblem | None:
    """What configparser's BasicInterpolation would raise for this value (never quoting it)."""
    raw = option.value
    position = 0
    while True:
        found = raw.find("%", position)
        if found < 0:
            return _depth_problem(option, visible)
        following = raw[found + 1 : found + 2]
        if following == "%":
            position = found + 2
            continue
        if following != "(":
            return InterpolationProblem(found, "a `%` not followed by `%` or `(` (InterpolationSyntaxError)")
        reference = re.compile(_INTERPOLATION_KEY).match(raw, found)
        if reference is None:
            return InterpolationProblem(
                found, "a `%(` that is not a complete `%(name)s` reference (InterpolationSyntaxError)"
            )
        if reference[1].lower() not in visible:
            return InterpolationProblem(
                found, f"`%({reference[1]})s` names no option of this section (InterpolationMissingOptionError)"
            )
        position = reference.end()


def _depth_problem(option: Option, visible: dict[str, Option]) -> InterpolationProblem | None:
    if "%(" not in option.value:
        return None
    import configparser  # loaded by _parser() already; named here for its exceptions

    try:
        _interpolate(option, visible)
    except InterpolationTooLarge:
        return InterpolationProblem(
            option.value.find("%("),
            f"references that expand beyond {MAX_EXPANSION:,} "
            "characters or steps (nested `%(name)s` multiply); MLflow would spend minutes "
            "and gigabytes expanding them at start-up",
        )
    except configparser.InterpolationDepthError:
        return InterpolationProblem(
            option.value.find("%("), "references that loop or nest too deeply (InterpolationDepthError)"
        )
    except configparser.Error:
        return None  # the referenced option has its own problem, reported there
    return None


def interpolated(option: Option, visible: dict[str, Option]) -> str | None:
    """The value MLflow gets after interpolation, or None if configparser raises (or it is too large)."""
    import configparser

    try:
        return _interpolate(option, visible)
    except (configparser.Error, InterpolationTooLarge):
        return None


# Bounds of the expansion: basic_auth.ini values are URIs and names, a few hundred characters.
# Without them a 600-byte file of nested `%(x)s` references expands to gigabytes (10 levels of
# 10 references each), which configparser builds without complaint.
MAX_EXPANSION = 1 << 16  # characters produced, and separately references followed


class _Bounded:
    """Counts what an expansion has produced and followed; raises past MAX_EXPANSION."""

    __slots__ = ("chars", "steps")

    def __init__(self) -> None:
        self.chars = 0
        self.steps = 0

    def add(self, chars: int, steps: int = 0) -> None:
        self.chars += chars
        self.steps += steps
        if self.chars > MAX_EXPANSION or self.steps > MAX_EXPANSION:
            raise InterpolationTooLarge()


def _interpolate(option: Option, visible: dict[str, Option]) -> str:
    """configparser's BasicInterpolation (what ConfigParser.get runs on a stored value), replayed
    step for step with the same errors, but bounded (see MAX_EXPANSION)."""
    values = {key: opt.value for key, opt in visible.items()}
    out: list[str] = []
    _expand(option.key, option.value, values, out, 1, _Bounded())
    return "".join(out)


def _expand(key: str, rest: str, values: dict[str, str], out: list[str], depth: int, bound: _Bounded) -> None:
    import configparser

    if depth > configparser.MAX_INTERPOLATION_DEPTH:
        raise configparser.InterpolationDepthError(key, "mlflow", values.get(key, rest))
    while rest:
        found = rest.find("%")
        if found < 0:
            bound.add(len(rest))
            out.append(rest)
            return
        if found > 0:
            bound.add(found)
            out.append(rest[:found])
            rest = rest[found:]
        following = rest[1:2]
        if following == "%":
            bound.add(1)
            out.append("%")
            rest = rest[2:]
            continue
        if following != "(":
            raise configparser.InterpolationSyntaxError(key, "mlflow", "'%' must be followed by '%' or '('")
        match = _reference().match(rest)
        if match is None:
            raise configparser.InterpolationSyntaxError(key, "mlflow", "bad interpolation variable reference")
        name = match[1].lower()  # optionxform
        rest = rest[match.end() :]
        if name not in values:
            raise configparser.InterpolationMissingOptionError(key, "mlflow", values.get(key, ""), name)
        bound.add(0, 1)
        value = values[name]
        if "%" in value:
            _expand(key, value, values, out, depth + 1, bound)
        else:
            bound.add(len(value))
            out.append(value)


@cache
def _reference() -> re.Pattern[str]:
    return re.compile(_INTERPOLATION_KEY)


class InterpolationTooLarge(Exception):
    """An expansion went past MAX_EXPANSION (MLflow's configparser would go on for minutes)."""
