"""`python -m mlflow_lint` runs the command-line interface, as the `mlflow-lint` script does."""

from __future__ import annotations

from mlflow_lint.entry import run

if __name__ == "__main__":
    run()
