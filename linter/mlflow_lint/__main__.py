"""`python -m mlflow_lint` runs the command-line interface."""

from __future__ import annotations

import sys

from mlflow_lint.cli import main

if __name__ == "__main__":
    sys.exit(main())
