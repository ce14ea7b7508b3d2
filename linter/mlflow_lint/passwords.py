"""Password strength as MLflow enforces it, and as an auditor should.

MLflow (facts file 7.3): no check before 2.22.0; from 2.22.0 a new user's password must be
at least 12 characters (the bootstrap admin included, so start-up fails); from 3.17.2
`password1234` (2.22-3.15's packaged default) is refused outright. Beyond what MLflow
enforces, well-known defaults and a password equal to the user name are weak.
"""

from __future__ import annotations

from mlflow_lint.records import NamedTuple
from mlflow_lint.versions import MlflowVersion

COMMON = frozenset(
    [
        "password",
        "password1",
        "password12",
        "password123",
        "password1234",
        "passw0rd",
        "admin",
        "admin123",
        "administrator",
        "changeme",
        "changeit",
        "secret",
        "mlflow",
        "mlflow123",
        "root",
        "toor",
        "test",
        "test123",
        "guest",
        "letmein",
        "qwerty",
        "123456",
        "12345678",
        "123456789",
        "1234567890",
        "default",
        "welcome",
        "postgres",
        "mysql",
        "minio",
        "minioadmin",
    ]
)


def mlflow_minimum_length(mlflow: MlflowVersion) -> int:
    """The shortest password MLflow accepts for a new user (0: no check)."""
    return 12 if mlflow.at_least(2, 22) else 0


class Verdict(NamedTuple):
    """Why a password is weak; `rejected_by_mlflow` means the server will refuse it."""

    reasons: tuple[str, ...]
    rejected_by_mlflow: str = ""

    @property
    def weak(self) -> bool:
        return bool(self.reasons or self.rejected_by_mlflow)


def judge(password: str, username: str, mlflow: MlflowVersion) -> Verdict:
    """Judge `password` without ever putting it in a reason."""
    reasons = []
    if not password:
        reasons.append("it is empty")
    elif password.lower() in COMMON:
        reasons.append("it is a well-known default or common password")
    if password and username and password.lower() == username.lower():
        reasons.append("it is the same as the user name")
    minimum = mlflow_minimum_length(mlflow)
    rejected = ""
    if minimum and len(password) < minimum:
        rejected = (
            f"{mlflow.describe()} refuses passwords shorter than {minimum} characters (this one has {len(password)})"
        )
    elif mlflow.at_least(3, 17, 2) and password == "password1234":
        rejected = f"{mlflow.describe()} refuses MLflow's old default admin password"
    elif not minimum and password and len(password) < 12:
        reasons.append(f"it has only {len(password)} characters (MLflow 2.22+ requires 12)")
    return Verdict(tuple(reasons), rejected)
