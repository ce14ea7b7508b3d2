"""File names as CI systems want them: relative to the working directory, `/`-separated."""

from __future__ import annotations

import os
from pathlib import PurePath


def relative_path(name: str) -> str | None:
    """`name` relative to the working directory with forward slashes; None if outside it."""
    absolute = os.path.abspath(name)
    try:
        rel = os.path.relpath(absolute, os.getcwd())
    except ValueError:  # Windows: another drive
        return None
    posix = PurePath(rel).as_posix()
    return None if posix == ".." or posix.startswith("../") else posix


def display_path(name: str) -> str:
    """The relative path when there is one, else the absolute path (both with `/`)."""
    return relative_path(name) or PurePath(os.path.abspath(name)).as_posix()
