"""Findings the engine makes itself (YAML problems, suppression notes) are redacted too."""

from __future__ import annotations

SECRET = "Zq8RwT3vLp0sKd7uNy2x"


def test_secret_used_as_a_duplicate_key_is_not_printed(run_cli, tmp_path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(
        "backendStore:\n  createSecret:\n"
        f"    backendStoreUri: postgresql://u:{SECRET}@db/mlflow\n"
        f"podAnnotations:\n  {SECRET}: a\n  {SECRET}: b\n"
    )
    for fmt in ("text", "json"):
        _, out, err = run_cli("--isolated", "--format", fmt, str(values))
        assert "MLF006" in out
        for start in range(len(SECRET) - 7):
            assert SECRET[start : start + 8] not in out + err
