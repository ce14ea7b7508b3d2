"""The auditor against the corpus in tests/secrets/corpus/ (see generate.py and truth.json).

Planted credentials of every kind and input form (values of the seed, community, bitnami,
official and umbrella charts; basic_auth.ini; multi-document manifests with `data` and
`stringData`; `--set` flags) and the negatives generic scanners report. Recall and precision
are measured on the real command line, as a user runs it.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.secrets.corpus import evaluate
from tests.secrets.corpus.evaluate import CORPUS


@pytest.fixture(scope="module")
def score() -> evaluate.Score:
    return evaluate.Score(evaluate.mlflow_lint_claims())


def test_the_corpus_is_as_large_and_varied_as_promised() -> None:
    truth = evaluate.truth()
    positives, negatives = truth["positives"], truth["negatives"]
    assert len(positives) >= 150 and len(negatives) >= 150
    assert len({p["kind"] for p in positives}) >= 25
    assert {p["form"] for p in positives} == {"values", "ini", "manifest", "set"}
    layouts = Counter(str(p["file"]).split("/")[-1].split("-")[0] for p in positives if p["form"] == "values")
    assert set(layouts) == {"seed", "community", "bitnami", "official", "umbrella", "platform"}
    negative_kinds = {n["kind"] for n in negatives}
    assert {
        "secret-key-reference",
        "secret-name-reference",
        "secretKeyRef-key",
        "placeholder",
        "empty-value",
        "aws-example-key",
        "checksum",
        "image-digest",
        "helm-template",
    } <= negative_kinds


def test_every_planted_line_holds_what_truth_says() -> None:
    """Control: truth.json and the files agree (a stale corpus would make the scores meaningless)."""
    for planted in evaluate.truth()["positives"]:
        lines = (CORPUS / planted["file"]).read_text(encoding="utf-8").splitlines()
        span = lines[int(planted["line"]) - 1 : int(planted["end"])]
        assert span and all(line.strip() for line in span), planted


def test_recall_and_precision(score: evaluate.Score) -> None:
    missed = json.dumps(score.missed[:10], indent=1)
    assert score.recall >= 0.98, f"recall {score.recall:.3f}; missed: {missed}"
    assert score.precision >= 0.95, f"precision {score.precision:.3f}; false claims: {score.false_claims[:10]}"


@pytest.mark.parametrize("form", ["values", "ini", "manifest", "set"])
def test_every_input_form_is_audited(score: evaluate.Score, form: str) -> None:
    planted = [p for p in score.positives if p["form"] == form]
    found = [p for p in score.found if p["form"] == form]
    assert len(found) >= 0.98 * len(planted), [p for p in score.missed if p["form"] == form]


def test_no_negative_kind_is_claimed(score: evaluate.Score) -> None:
    assert not {k: n for k, n in score.false_kinds().items() if k != "unlisted line"}
