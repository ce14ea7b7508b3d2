"""One declaration per probe (base.Declaration in the probe's own module), checked here once."""

from __future__ import annotations

import tomllib

import pytest

from mlflow_lint.probes import GROUPS, PROBES, declaration, guard
from mlflow_lint.probes.base import Declaration

from ..conftest import REPO, python_stdout

EXTRAS = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]


@pytest.mark.parametrize("name", sorted(PROBES))
def test_each_probe_declares_itself_completely(name: str) -> None:
    probe = declaration(name)
    assert isinstance(probe, Declaration) and probe.name == name
    assert probe.group in GROUPS and callable(probe.run) and probe.action
    assert probe.run.__module__ == PROBES[name].split(":")[0]  # declared next to its function
    if probe.sdk:
        assert probe.extra in EXTRAS and probe.packages, "an SDK needs its extra and pre-commit packages"
        assert set(probe.import_seconds) >= {probe.sdk[0]}, "the runner packs groups by import cost"
        for package in probe.packages.split(", "):
            assert any(dep.startswith(package) for dep in EXTRAS[probe.extra]), package
    assert all(0 < s < 2 for s in probe.import_seconds.values())
    assert not set(probe.credential_variables) & set(probe.setting_variables)


@pytest.mark.parametrize("name", sorted(PROBES))
def test_the_credential_policy_covers_what_a_probe_could_pick_up(name: str) -> None:
    probe = declaration(name)
    if probe.ambient:
        assert probe.provider_hosts, "ambient credentials go only to the provider's own endpoints"
        assert probe.identity_annotation
        for variable in probe.credential_variables:
            if "." not in variable:  # an environment variable of the machine: stripped for the phase
                assert variable.startswith(guard.AMBIENT_PREFIXES), variable
    else:
        assert probe.name not in ("s3", "gcs", "azure_blob"), "these SDKs have ambient credential chains"


def test_the_registry_imports_no_sdk() -> None:
    heavy = [
        "boto3",
        "botocore",
        "sqlalchemy",
        "psycopg",
        "pymysql",
        "google.cloud.storage",
        "azure.storage.blob",
        "oss2",
        "paramiko",
    ]
    out = python_stdout(
        "import sys\nfrom mlflow_lint.probes import PROBES, declaration\n"
        "[declaration(name) for name in PROBES]\n"
        f"print([m for m in {heavy!r} if m in sys.modules])\n"
    )
    assert out.strip() == "[]"
