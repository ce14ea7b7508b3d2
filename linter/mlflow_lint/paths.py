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


def identity(path: Path, data: object) -> str:
    """The path as fingerprints and baselines know it: a list item that has a string `name`
    (env, volumes, mounts, containers, ports) is named, not numbered (``extraEnv[name=AWS_KEY].value``),
    so inserting an item above it changes nothing. ``""`` when the path has no list index."""
    if not any(isinstance(part, int) for part in path):
        return ""
    out: list[str] = []
    node = data
    for index, part in enumerate(path):
        item = node[part] if _has(node, part) else None  # type: ignore[index]
        name = item.get("name") if isinstance(part, int) and isinstance(item, dict) else None
        if isinstance(name, str) and name:
            import json

            out.append(f"[name={name if _PLAIN_KEY.match(name) else json.dumps(name)}]")
        else:
            text = format_path((part,))
            out.append(text if isinstance(part, int) or not out or text.startswith("[") else f".{text}")
        node = item
        if node is None and index + 1 < len(path):
            return "".join(out) + format_path(("_", *path[index + 1 :]))[1:]
    return "".join(out)


def _has(node: object, part: str | int) -> bool:
    if isinstance(part, int):
        return isinstance(node, list) and -len(node) <= part < len(node)
    return isinstance(node, dict) and part in node
