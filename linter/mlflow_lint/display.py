"""How the command line shows things beyond the report itself: colour, `--show-settings`.

Colour follows the conventions other linters follow: `--color always|never` decides; with
`auto` (the default) `NO_COLOR` (any non-empty value, no-color.org) turns it off,
`FORCE_COLOR` (any non-empty value but `0`) turns it on, and otherwise only a terminal
(not `TERM=dumb`) gets colour.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import TextIO

    from mlflow_lint.config import Settings


def use_color(stream: TextIO, choice: str = "auto", environ: Mapping[str, str] | None = None) -> bool:
    """Should output to `stream` be coloured? (`choice`: the --color value)."""
    if choice in ("always", "never"):
        return choice == "always"
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    try:
        return stream.isatty() and env.get("TERM") != "dumb"
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def settings_text(settings: Settings, directory: str, config_file: str | None) -> str:
    """`--show-settings`: the settings a file in `directory` is linted with, and where they come from."""
    from mlflow_lint.formatters.escape import printable

    levels = sorted(settings.severity.items())
    severity = ", ".join(f"{code}={level.label}" for code, level in levels) or "(rule defaults)"
    rows = [
        ("directory", directory),
        ("config file", config_file or "(none)"),
        ("sources", settings.source),
        ("select", ", ".join(settings.select) or "(none)"),
        ("ignore", ", ".join(settings.ignore) or "(none)"),
        ("severity", severity),
        ("fail-on", settings.fail_on.label),
        ("mlflow-version", settings.mlflow_version or "(from image.tag, else the chart's appVersion)"),
        ("chart", settings.chart or "(detected from the keys)"),
    ]
    return "".join(f"{name + ':':<16}{printable(str(value))}\n" for name, value in rows)
