"""The secret audit of Kubernetes manifests (`--secrets` files, any number of documents each).

Every string leaf of every object is judged as a values leaf is (auditor.classify), with its
own file and line: a Deployment's `env[].value`, a ConfigMap's `data`, an annotation. A
Secret's `data` is decoded from base64 first and its `stringData` read as written; their keys
are names of values, not env vars (`data.AWS_SECRET_ACCESS_KEY` is MLF304 or MLF311, never the
env-var rule). SealedSecrets, SOPS-encrypted Secrets and ExternalSecrets hold no plaintext.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_lint.document import LoadError, Position, load_all
from mlflow_lint.finding import Location
from mlflow_lint.paths import Path
from mlflow_lint.secrets import judge
from mlflow_lint.secrets.auditor import Item, Leaf, classify

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.context import Context

_ENCRYPTED_KINDS = frozenset(("SealedSecret", "ExternalSecret", "SecretStore", "ClusterSecretStore"))
SECRET_HINT = (
    "commit a SealedSecret, an ExternalSecret or a SOPS-encrypted Secret instead, and rotate the "
    "credential: base64 is an encoding, not encryption"
)
OBJECT_HINT = "take the value from a Secret (`valueFrom.secretKeyRef`, `envFrom`) and rotate the credential"
_CACHE: list[tuple[Any, list[Item]]] = []


def manifest_items(ctx: Context) -> list[Item]:
    """Secret findings of the `--secrets` manifests (computed once per run)."""
    index = ctx.extras.get("secrets")
    if index is None:
        return []
    if _CACHE and _CACHE[0][0] is index:
        return _CACHE[0][1]
    items = [item for name, text in index.texts for item in items_of(name, text)]
    _CACHE[:] = [(index, items)]
    return items


def items_of(file: str, text: str) -> Iterator[Item]:
    """Secret findings of one manifest file (every document; unreadable YAML is MLF701's business)."""
    try:
        documents = load_all(text)
    except LoadError:
        return
    for data, positions in documents:
        yield from _object(file, data, positions, ())


def _object(file: str, obj: Any, positions: dict[Path, Position], base: Path) -> Iterator[Item]:
    if not isinstance(obj, dict):
        return
    kind = obj.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(obj.get("items"), list):
        for number, item in enumerate(obj["items"]):
            yield from _object(file, item, positions, (*base, "items", number))
        return
    if kind in _ENCRYPTED_KINDS or "sops" in obj:
        return
    metadata = obj.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    label = f"{kind} `{name}`: " if isinstance(kind, str) and isinstance(name, str) else ""
    for key, value in obj.items():
        if kind == "Secret" and key in ("data", "stringData") and isinstance(value, dict):
            yield from _secret_data(file, value, positions, (*base, key), label, encoded=key == "data")
        else:
            yield from _walk(file, value, positions, (*base, key), label, "")


def _secret_data(
    file: str, section: dict[str, Any], positions: dict[Path, Position], path: Path, label: str, encoded: bool
) -> Iterator[Item]:
    for key, value in section.items():
        if not isinstance(value, str):
            continue
        text = judge.decoded("".join(value.split())) if encoded else value
        if text is None:
            continue
        leaf = Leaf((*path, key), text, str(key), "", _at(file, positions, (*path, key)))
        for item in classify(leaf, label, env_keys=False):
            yield _for_manifest(item, SECRET_HINT)


def _walk(
    file: str, data: Any, positions: dict[Path, Position], path: Path, label: str, env_name: str
) -> Iterator[Item]:
    if isinstance(data, dict):
        entry_name = data.get("name")
        name = entry_name if isinstance(entry_name, str) and "value" in data else ""
        for key, value in data.items():
            yield from _walk(file, value, positions, (*path, key), label, name if key == "value" else "")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _walk(file, item, positions, (*path, index), label, "")
    elif data is not None and not isinstance(data, bool):
        key = path[-1] if path and isinstance(path[-1], str) else ""
        for item in classify(Leaf(path, data, key, env_name, _at(file, positions, path)), label):
            yield _for_manifest(item, OBJECT_HINT)


def _for_manifest(item: Item, hint: str) -> Item:
    """Values wording (`helm get values`, "move it into a Secret") made right for a manifest."""
    message = item.message.replace(
        "values land in git and in `helm get values`", "anyone who can read the file can read it"
    )
    return item._replace(message=message, hint=hint)


def _at(file: str, positions: dict[Path, Position], path: Path) -> Location:
    for depth in range(len(path), -1, -1):
        pos = positions.get(path[:depth])
        if pos is not None:
            return Location(file, pos.line, pos.column)
    return Location(file, 1, 1)
