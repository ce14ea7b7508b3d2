"""Values paths: tuples of keys and list indexes, and their dotted text form.

A path is a tuple such as ("extraEnv", 2, "value"). Its text form is the one users see
in findings: ``extraEnv[2].value``, with keys that contain ``.`` or ``/`` (or anything
but a plain identifier) written as ``["key"]``, e.g.
``serviceAccount.annotations["eks.amazonaws.com/role-arn"]``.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def format_path(path: Path) -> str:
    """Render a path as dotted text (``""`` for the root)."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _PLAIN_KEY.match(part):
            out.append(f".{part}" if out else part)
        else:
            import json  # most paths are plain keys

            out.append(f"[{json.dumps(part)}]")
    return "".join(out)

