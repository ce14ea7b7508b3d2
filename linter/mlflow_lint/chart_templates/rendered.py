"""RenderedPod: the tracking server's pod as a chart renders it, with provenance.

Every item carries `path`, the values path that produced it (the key a finding points at);
`()` means the chart's own fixed text.
"""

from __future__ import annotations

from mlflow_lint.paths import Path
from mlflow_lint.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Token(NamedTuple):
    """One item of the container's command line."""

    text: str
    path: Path
    user: bool = False  # from the user's extra arguments


class EnvItem(NamedTuple):
    """One `env` entry: a literal `value` (None = YAML null) or a `value_from` reference."""

    name: str
    value: Any
    path: Path
    value_from: dict[str, Any] | None = None
    user: bool = False  # from the user's extra env

    def as_fixture(self) -> dict[str, Any]:
        if self.value_from is not None:
            return {"name": self.name, "valueFrom": self.value_from}
        return {"name": self.name, "value": self.value}


class FromItem(NamedTuple):
    """One `envFrom` entry: kind "configMapRef" or "secretRef"."""

    kind: str
    name: str
    path: Path
    user: bool = False


class GeneratedData(NamedTuple):
    """One key of a generated ConfigMap or Secret, and the values path of its value."""

    value: Any
    path: Path


class Mount(NamedTuple):
    name: str
    mount_path: str
    path: Path
    sub_path: str = ""


class RenderedPod:
    """The tracking server's container and what the chart generates around it."""

    __slots__ = (
        "argv",
        "configmaps",
        "env",
        "env_from",
        "error",
        "image",
        "image_path",
        "ingress_hosts",
        "init_containers",
        "mounts",
        "notes",
        "pvcs",
        "replicas",
        "secrets",
        "service_account",
        "service_account_path",
        "services",
        "workload",
    )

    def __init__(self) -> None:
        self.argv: list[Token] = []
        self.env: list[EnvItem] = []
        self.env_from: list[FromItem] = []
        self.configmaps: dict[str, dict[str, GeneratedData]] = {}
        self.secrets: dict[str, dict[str, GeneratedData]] = {}  # key -> value (from values) or None (random)
        self.image = ""
        self.image_path: Path = ()
        self.service_account = ""
        self.service_account_path: Path = ()
        self.services: dict[str, dict[str, Any]] = {}
        self.ingress_hosts: list[tuple[str, Path]] = []
        self.mounts: list[Mount] = []
        self.init_containers: list[tuple[str, list[str]]] = []
        self.pvcs: list[str] = []
        self.workload: tuple[str, str] = ("Deployment", "")
        self.replicas: int | None = 1
        self.error: tuple[str, Path] | None = None  # the chart refuses the values (template `fail`/`required`)
        self.notes: list[tuple[str, Path]] = []  # what the chart does that is worth a finding

    def arg(self, text: str, path: Path = (), *, user: bool = False) -> None:
        self.argv.append(Token(text, path, user))

    def set_env(self, name: str, value: Any, path: Path = (), *, user: bool = False) -> None:
        self.env.append(EnvItem(name, value, path, None, user))

    def env_ref(self, name: str, source: str, ref: str, key: str, path: Path = (), *, optional: bool = False) -> None:
        body: dict[str, Any] = {"name": ref, "key": key}
        if optional:
            body["optional"] = True
        self.env.append(EnvItem(name, None, path, {source: body}))

    def user_mounts(self, items: Any, path: Path) -> None:
        """The user's extraVolumeMounts (Kubernetes VolumeMount objects), appended as the charts do."""
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and isinstance(item.get("mountPath"), str):
                sub = item.get("subPath")
                self.mounts.append(
                    Mount(
                        str(item.get("name", "")),
                        item["mountPath"],
                        (*path, index),
                        sub if isinstance(sub, str) else "",
                    )
                )

    def fail(self, message: str, path: Path) -> RenderedPod:
        self.error = (message, path)
        return self
