"""MLflow's tracking-schema revisions (alembic), and the head each MLflow release expects.

Where these come from: the migration scripts `mlflow/store/db_migrations/versions/*.py` of
mlflow/mlflow (each has `revision` and `down_revision`), read from the released
mlflow-skinny wheels on PyPI for every version in HEADS, and cross-checked against the
mlflow/mlflow repository (e.g. `0584bdc529eb_add_cascading_deletion_to_datasets_from_
experiments.py`: down_revision f5a4f2784254). Up to 3.17.2 the history is one straight line
(no merges, no branches), so the order below decides "older" and "newer". MLflow refuses to
start unless the database is at exactly its own head (`mlflow/store/db/utils.py`
`_verify_schema`: "Detected out-of-date database schema").
"""

from __future__ import annotations

from mlflow_lint.versions import Version, show

# Oldest first; the head of mlflow-skinny 3.17.2 is the last entry.
CHAIN: tuple[str, ...] = (
    "451aebb31d03",
    "90e64c465722",
    "181f10493468",
    "df50e92ffc5e",
    "7ac759974ad8",
    "89d4b8295536",
    "2b4d017a5e9b",
    "cfd24bdc0731",
    "0a8213491aaa",
    "728d730b5ebd",
    "27a6a02d2cf1",
    "84291f40a231",
    "a8c4a736bde6",
    "39d1c3be5f05",
    "c48cb773bb87",
    "bd07f7e963c5",
    "0c779009ac13",
    "cc1f77228345",
    "97727af70f4d",
    "3500859a5d39",
    "7f2a7d5fae7d",
    "2d6e25af4d3e",
    "acf3f17fdcc7",
    "867495a8f9d4",
    "5b0e9adcef9c",
    "4465047574b1",
    "f5a4f2784254",
    "0584bdc529eb",
    "400f98739977",
    "6953534de441",
    "bda7b8c39065",
    "cbc13b556ace",
    "770bee3ae1dd",
    "a1b2c3d4e5f6",
    "de4033877273",
    "1a0cddfcaa16",
    "534353b11cbc",
    "71994744cf8e",
    "3da73c924c2f",
    "bf29a5ff90ea",
    "1bd49d398cd23",
    "b7c8d9e0f1a2",
    "5d2d30f0abce",
    "c9d4e5f6a7b8",
    "2c33131f4dae",
    "d3e4f5a6b7c8",
    "d0e1f2a3b4c5",
    "c8d9e0f1a2b3",
    "1b5f0d9ad7c1",
    "e1f2a3b4c5d6",
    "76601a5f987d",
    "c3d6457b6d8a",
    "a5b4c3d2e1f0",
    "ae8bbe7743c9",
    "7d34483879f0",
    "da6fb0208061",
    "89d3d66ed43f",
    "b7e4c1a90f23",
    "a8b9c0d1e2f3",
    "c1d2e3f4a5b6",
    "c3d9e7f1a2b4",
    "6f8d9c3b2a1e",
    "1971f2d9a75b",
    "17e22815139b",
    "b7e2c1a4d9f3",
    "75868b020152",
    "dc11669786a5",
)

# (major, minor) -> head, for the releases whose wheels were read. MLflow adds migrations in
# minor releases; a patch release is assumed to keep its minor's head.
HEADS: dict[tuple[int, int], str] = {
    (2, 10): "acf3f17fdcc7",
    (2, 14): "5b0e9adcef9c",
    (2, 17): "f5a4f2784254",
    (2, 19): "0584bdc529eb",
    (2, 20): "0584bdc529eb",
    (2, 21): "0584bdc529eb",
    (2, 22): "0584bdc529eb",
    (3, 0): "6953534de441",
    (3, 3): "1a0cddfcaa16",
    (3, 8): "1bd49d398cd23",
    (3, 12): "7d34483879f0",
    (3, 15): "6f8d9c3b2a1e",
    (3, 17): "dc11669786a5",
}
EMPTY, CURRENT, OUTDATED, NEWER, UNSURE = "empty", "current", "outdated", "newer", "unsure"


def verdict(revision: str | None, version: Version) -> tuple[str, str]:
    """(state, explanation) of a database at `revision` for an MLflow `version` server."""
    if not revision:
        return EMPTY, "no MLflow schema revision"
    low, high, exact = _window(version)
    if revision not in CHAIN:
        if high is None:
            return UNSURE, f"revision {revision} is newer than any the linter knows (MLflow 3.17.2)"
        return NEWER, f"revision {revision} is unknown to MLflow {show(version)}: a newer MLflow migrated it"
    at = CHAIN.index(revision)
    if exact and at == low:
        return CURRENT, f"revision {revision} is the head of MLflow {show(version)}"
    if at < low:
        return OUTDATED, f"revision {revision} is older than MLflow {show(version)}'s head {CHAIN[low]}"
    if high is not None and at > high:
        return NEWER, f"revision {revision} is newer than MLflow {show(version)}'s head {CHAIN[high]}"
    return UNSURE, (
        f"revision {revision} lies between the heads the linter knows around MLflow {show(version)}; it may be current"
    )


def _window(version: Version) -> tuple[int, int | None, bool]:
    """Chain indexes [low, high] the head of `version` must lie in, and whether it is exact."""
    key = version[:2]
    if key in HEADS:
        at = CHAIN.index(HEADS[key])
        return at, at, True
    below = [CHAIN.index(h) for k, h in HEADS.items() if k < key]
    above = [CHAIN.index(h) for k, h in HEADS.items() if k > key]
    return (max(below) if below else 0), (min(above) if above else None), False
