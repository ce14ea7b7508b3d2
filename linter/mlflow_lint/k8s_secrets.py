"""Kubernetes Secret manifests given with `--secrets`: what each named Secret holds.

Reads `Secret` (`data` is base64, `stringData` is plain text and wins on a conflict, as the
API server merges it), `SealedSecret` (`spec.encryptedData`: key names, values unknown) and
`ExternalSecret` (`spec.target.name` or its own name; keys from `spec.data[].secretKey` and
`spec.target.template.data`; `dataFrom` means more keys than can be known). Files may hold
several documents and `kind: List` objects. A SOPS-encrypted Secret (a top-level `sops:`
key) is read like a SealedSecret. Problems in the manifests (bad base64, no name, a
misspelt kind, not YAML) become findings (MLF701), never exceptions; plaintext Secrets are
flagged (MLF704). Values are kept in memory only; `secret_values()` feeds the redactor
with each value and its base64 form.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path as FsPath

from mlflow_lint.document import LoadError, Position, load_all
from mlflow_lint.finding import Location
from mlflow_lint.helm_types import described
from mlflow_lint.paths import Path
from mlflow_lint.records import NamedTuple
from mlflow_lint.uris import raw_passwords

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

KINDS = ("Secret", "SealedSecret", "ExternalSecret")
INVALID, PLAINTEXT = "MLF701", "MLF704"


class ManifestProblem(NamedTuple):
    """A finding about a manifest itself: code (MLF701/MLF704), where, what."""

    code: str
    location: Location
    message: str
    hint: str = ""
    path: Path = ()


class SecretObject:
    """One Secret as the cluster will hold it; `data[key]` is None when the value is unknowable."""

    __slots__ = ("block_starts", "data", "encoded", "key_locations", "kind", "location", "name", "open_keys")

    def __init__(
        self,
        name: str,
        kind: str,
        location: Location,
        data: dict[str, str | None] | None = None,
        key_locations: dict[str, Location] | None = None,
        block_starts: dict[str, Location] | None = None,
        open_keys: bool = False,
        encoded: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        self.location = location
        self.data: dict[str, str | None] = {} if data is None else data
        self.key_locations: dict[str, Location] = {} if key_locations is None else key_locations
        # literal `|` values: where their first content line is
        self.block_starts: dict[str, Location] = {} if block_starts is None else block_starts
        self.open_keys = open_keys  # ExternalSecret dataFrom: keys beyond those listed may exist
        self.encoded: dict[str, str] = {} if encoded is None else encoded  # base64 text as written in `data`

    def key_location(self, key: str) -> Location:
        return self.key_locations.get(key, self.location)

    def text_location(self, key: str) -> Callable[[int, int], Location]:
        """Maps (line, column) inside the value of `key` to the manifest (literal blocks only)."""
        start = self.block_starts.get(key)
        at_key = self.key_location(key)
        if start is None:
            return lambda line, column: at_key
        return lambda line, column: Location(start.file, start.line + line - 1, start.column + column - 1)

    def describe(self) -> str:
        return f"{self.kind} `{self.name}` ({self.location.file}:{self.location.line})"


class SecretIndex:
    """Every Secret-like object found, by name, plus the problems met while reading."""

    __slots__ = ("configmaps", "objects", "problems", "texts")

    def __init__(
        self,
        objects: list[SecretObject] | None = None,
        configmaps: dict[str, Location] | None = None,
        problems: list[ManifestProblem] | None = None,
        texts: list[tuple[str, str]] | None = None,
    ) -> None:
        self.objects: list[SecretObject] = [] if objects is None else objects
        self.configmaps: dict[str, Location] = {} if configmaps is None else configmaps
        self.problems: list[ManifestProblem] = [] if problems is None else problems
        self.texts: list[tuple[str, str]] = [] if texts is None else texts  # (file, text) for suppression

    def find(self, name: str) -> SecretObject | None:
        """The object named `name`; the last one read wins, as with `kubectl apply`."""
        found = [o for o in self.objects if o.name == name]
        return found[-1] if found else None

    def names(self) -> list[str]:
        return sorted({o.name for o in self.objects})

    def suggest(self, name: str) -> str:
        """A "did you mean" over the names found ("" when none is close)."""
        import difflib  # only when a referenced Secret is missing

        close = difflib.get_close_matches(name, self.names(), n=1, cutoff=0.6)
        return close[0] if close else ""

    def secret_values(self) -> set[str]:
        """Every value (and its base64) the redactor must hide."""
        out: set[str] = set()
        for obj in self.objects:
            for key, value in obj.data.items():
                out.update(_redactable(key, value))
            out.update(v for v in obj.encoded.values() if v)
        return out


def _redactable(key: str, value: str | None) -> set[str]:
    from mlflow_lint.auth_ini import file_source, worth_hiding

    if value is None or not worth_hiding(value.strip()):
        return set()
    encoded = base64.b64encode(value.encode()).decode()
    if key == "basic_auth.ini":  # the whole file would mask option names; its passwords go in
        return file_source(key, value).secrets() | {encoded}
    if "://" in value:  # a URI: only its password is secret; masking all of it garbles messages
        return {encoded, *raw_passwords(value)}
    return {value, encoded}


class LinkRefused(OSError):
    """A symbolic link found inside a --secrets directory: not followed (input error, exit 2)."""


def expand(paths: Iterable[str]) -> list[str]:
    """Files named, and *.yaml/*.yml below directories named; FileNotFoundError for a missing path.

    Below a directory, symbolic links are refused (LinkRefused): the directory is usually a
    checkout, and a committed link can point at any file of the machine that runs the linter,
    such as a Secret manifest of the CI runner whose credentials the probes would then send."""
    out: list[str] = []
    for name in paths:
        path = FsPath(name)
        if path.is_dir() and not path.is_symlink():
            out.extend(_manifests_below(name))
        elif path.is_dir():
            raise LinkRefused(f"{name}: a symbolic link to a directory; name the directory itself (--secrets)")
        elif path.exists():
            out.append(name)
        else:
            raise FileNotFoundError(name)
    return out


def _manifests_below(folder: str) -> list[str]:
    import os

    found: list[str] = []
    for root, dirs, files in os.walk(folder):  # never descends into a linked directory
        for entry in sorted(dirs + files):
            full = os.path.join(root, entry)
            if os.path.islink(full) and (entry in dirs or entry.endswith((".yaml", ".yml"))):
                raise LinkRefused(
                    f"{full}: a symbolic link inside a --secrets directory is not followed (it may "
                    "point at any file of this machine); name the file itself to read it"
                )
            if entry in files and entry.endswith((".yaml", ".yml")) and os.path.isfile(full):
                found.append(full)
        dirs.sort()
    return sorted(found)


def load_index(files: Iterable[tuple[str, str]]) -> SecretIndex:
    """Read every (file, text) into one index."""
    index = SecretIndex()
    for name, text in files:
        index.texts.append((name, text))
        _read_file(index, name, text)
    return index


def _read_file(index: SecretIndex, name: str, text: str) -> None:
    try:
        documents = load_all(text)
    except LoadError as exc:
        where = Location(name, exc.problem.line, exc.problem.column)
        index.problems.append(ManifestProblem(INVALID, where, f"not a readable manifest: {exc.problem.message}"))
        return
    for data, positions in documents:
        reader = _Reader(index, name, text, positions)
        if data is None:
            continue
        if not isinstance(data, dict):
            reader.problem((), "this document is not a Kubernetes object (a mapping with `kind`)")
        elif data.get("kind") == "List" or str(data.get("kind", "")).endswith("List"):
            items = data.get("items")
            for number, item in enumerate(items if isinstance(items, list) else []):
                reader.object(item, ("items", number))
        else:
            reader.object(data, ())


class _Reader:
    __slots__ = ("file", "index", "positions", "text")

    def __init__(self, index: SecretIndex, file: str, text: str, positions: dict[Path, Position]) -> None:
        self.index = index
        self.file = file
        self.text = text
        self.positions = positions

    def at(self, path: Path, key: bool = False) -> Location:
        for depth in range(len(path), -1, -1):
            pos = self.positions.get(path[:depth])
            if pos is not None:
                if key and pos.key_line:
                    return Location(self.file, pos.key_line, pos.key_column)
                return Location(self.file, pos.line, pos.column)
        return Location(self.file, 1, 1)

    def problem(self, path: Path, message: str, hint: str = "", code: str = INVALID) -> None:
        self.index.problems.append(ManifestProblem(code, self.at(path, key=True), message, hint, path))

    def object(self, obj: Any, base: Path) -> None:
        if not isinstance(obj, dict):
            self.problem(base, "this item is not a Kubernetes object (a mapping with `kind`)")
            return
        kind = obj.get("kind")
        if kind in KINDS:
            self._secret_like(obj, base, str(kind))
        elif kind == "ConfigMap":
            name = _get(obj, "metadata", "name")
            if isinstance(name, str):
                self.index.configmaps[name] = self.at((*base, "metadata", "name"))
        elif not isinstance(kind, str) or not kind:
            self.problem(base, "this object has no `kind`", "add `kind: Secret` (and `apiVersion: v1`)")
        else:
            import difflib  # only for an unknown kind

            near = difflib.get_close_matches(kind, KINDS, n=1, cutoff=0.75) or [
                k for k in KINDS if k.lower() == kind.lower()
            ]
            if near:
                self.problem(
                    (*base, "kind"),
                    f"`kind: {kind}` is not a Kubernetes kind; did you mean `{near[0]}`?",
                    "kinds are case-sensitive",
                )

    def _secret_like(self, obj: dict[str, Any], base: Path, kind: str) -> None:
        name = _get(obj, "metadata", "name")
        if kind == "ExternalSecret" and isinstance(_get(obj, "spec", "target", "name"), str):
            name = _get(obj, "spec", "target", "name")
        if not isinstance(name, str) or not name:
            self.problem(base, f"this {kind} has no `metadata.name`; Kubernetes refuses it", "add `metadata.name`")
            return
        secret = SecretObject(name, kind, self.at((*base, "metadata", "name")))
        readers = {"Secret": self._secret, "SealedSecret": self._sealed, "ExternalSecret": self._external}
        readers[kind](obj, base, secret)
        self.index.objects.append(secret)

    def _secret(self, obj: dict[str, Any], base: Path, secret: SecretObject) -> None:
        encrypted = "sops" in obj
        for key, value in self._entries(obj, (*base, "data")):
            secret.data[key] = None if encrypted else self._decode(value, (*base, "data", key))
            secret.encoded[key] = value
            secret.key_locations[key] = self.at((*base, "data", key), key=True)
        for key, value in self._entries(obj, (*base, "stringData")):
            secret.data[key] = None if encrypted else value
            secret.key_locations[key] = self.at((*base, "stringData", key), key=True)
            self._block(secret, key, (*base, "stringData", key))
        if not encrypted and any(v for v in secret.data.values()):
            self.problem(
                (*base, "kind"),
                f"Secret `{secret.name}` holds plaintext values (base64 is an encoding, "
                "not encryption); anyone who can read this file can read them",
                "commit a SealedSecret, an ExternalSecret or a SOPS-encrypted file instead",
                PLAINTEXT,
            )

    def _entries(self, obj: dict[str, Any], path: Path) -> Iterator[tuple[str, str]]:
        section = obj.get(str(path[-1]))
        if section is None:
            return
        if not isinstance(section, dict):
            self.problem(path, f"`{path[-1]}` must be a mapping of keys to strings")
            return
        for key, value in section.items():
            if isinstance(value, str):
                yield key, value
            elif value is not None:
                kind = described(value)
                self.problem(
                    (*path, key),
                    f"the value of `{key}` is {kind}, not a string; Kubernetes refuses the manifest",
                    "quote the value",
                )

    def _decode(self, value: str, path: Path) -> str | None:
        try:
            raw = base64.b64decode("".join(value.split()), validate=True)
        except (binascii.Error, ValueError):
            self.problem(
                path,
                f"the value of `{path[-1]}` in `data` is not valid base64; Kubernetes refuses the manifest",
                "encode it with `base64 -w0`, or put the plain text under `stringData`",
            )
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return None  # binary content (a keystore...): not text the checks could read

    def _block(self, secret: SecretObject, key: str, path: Path) -> None:
        pos = self.positions.get(path)
        lines = self.text.splitlines()
        if pos is None or pos.line > len(lines) or lines[pos.line - 1][pos.column - 1 : pos.column] != "|":
            return
        if pos.line < len(lines):
            content = lines[pos.line]
            indent = len(content) - len(content.lstrip(" "))
            secret.block_starts[key] = Location(self.file, pos.line + 1, indent + 1)

    def _sealed(self, obj: dict[str, Any], base: Path, secret: SecretObject) -> None:
        encrypted = _get(obj, "spec", "encryptedData")
        for key in encrypted if isinstance(encrypted, dict) else {}:
            secret.data[key] = None
            secret.key_locations[key] = self.at((*base, "spec", "encryptedData", key), key=True)

    def _external(self, obj: dict[str, Any], base: Path, secret: SecretObject) -> None:
        items = _get(obj, "spec", "data")
        for number, item in enumerate(items if isinstance(items, list) else []):
            key = item.get("secretKey") if isinstance(item, dict) else None
            if isinstance(key, str):
                secret.data[key] = None
                secret.key_locations[key] = self.at((*base, "spec", "data", number, "secretKey"))
        template = _get(obj, "spec", "target", "template", "data")
        for key in template if isinstance(template, dict) else {}:
            secret.data[key] = None
            secret.key_locations[key] = self.at((*base, "spec", "target", "template", "data", key), key=True)
        secret.open_keys = bool(_get(obj, "spec", "dataFrom"))


def _get(obj: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj
