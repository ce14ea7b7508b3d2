"""MLflow versions: parsing, and the version a release runs (from `image.tag`)."""

from __future__ import annotations

import re

from mlflow_lint.records import NamedTuple

Version = tuple[int, int, int]

_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+._a-zA-Z0-9]*)?$")


def parse_version(text: str) -> Version | None:
    """`2.14.1`, `v2.14.1`, `v3.9.0-full`, `2.22` -> a tuple; anything else -> None."""
    match = _VERSION.match(text.strip())
    if not match:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


def show(version: Version) -> str:
    return ".".join(str(part) for part in version)


# The source of the version a lone basic_auth.ini is checked against when no --mlflow-version
# is given: the rules still decide by the chart's appVersion, but messages name version ranges.
NOT_GIVEN = "no version given; pass --mlflow-version"


class MlflowVersion(NamedTuple):
    """The MLflow version the rules assume, and where it came from (for messages)."""

    version: Version
    source: str  # "--mlflow-version", "image.tag", "the chart's appVersion"
    exact: bool = True  # False when image.tag could not be read as a version

    def at_least(self, *parts: int) -> bool:
        return self.version >= _pad(parts)

    def below(self, *parts: int) -> bool:
        return self.version < _pad(parts)

    def describe(self, holds: str = "") -> str:
        """ "MLflow 2.14.1 (from image.tag)"; with no version given at all (a lone basic_auth.ini),
        `holds` instead: the versions the problem holds for ("MLflow before 3.17.2")."""
        if holds and self.source == NOT_GIVEN:
            return holds
        return f"MLflow {show(self.version)} (from {self.source})"


def _pad(parts: tuple[int, ...]) -> Version:
    padded = (*parts, 0, 0, 0)[:3]
    return (padded[0], padded[1], padded[2])


def resolve(override: str | None, image_tag: object, app_version: str) -> MlflowVersion:
    """`--mlflow-version` beats `image.tag`, which beats the chart's appVersion."""
    if override:
        parsed = parse_version(override)
        if parsed:
            return MlflowVersion(parsed, "--mlflow-version")
    if isinstance(image_tag, str) and image_tag:
        parsed = parse_version(image_tag)
        if parsed:
            return MlflowVersion(parsed, "image.tag")
        default = parse_version(app_version) or (0, 0, 0)
        return MlflowVersion(default, f"the chart's appVersion; image.tag {image_tag!r} is not a version", False)
    return MlflowVersion(parse_version(app_version) or (0, 0, 0), "the chart's appVersion")
