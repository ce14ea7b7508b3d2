"""The URI-password search is linear and finds exactly what the plain regex finds."""

from __future__ import annotations

import re
import time

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from mlflow_lint import uris

# The plain regex (unbounded scheme, whole text at once): the reference for which matches there are.
# The password runs to the last `@` of the authority, spaces included (issue 12).
REFERENCE = re.compile(
    r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)(?P<pw>[^/?#\n\r]*?)(?P<at>@)"
    r"(?=[^@/?#\n\r]*(?:[/?#\n\r]|$))"
)
PIECES = st.sampled_from(["s3", "postgresql+psycopg2", "://", ":", "@", "/", " ", "\n", "u", "p%40w", "x", "1", "."])


def _spans(matches):
    return [(m.span(), m["head"], m["pw"]) for m in matches]


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
@example("postgresql://mlflow:s3cr3t@db:5432/mlflow and mysql://a:b@c")
@example("x://a:b@c@d s3://u:p@ q://:@")
def test_same_matches_as_the_plain_regex(text: str) -> None:
    assume(not re.search(r"[A-Za-z0-9+.-]{64}", text))  # schemes are bounded at 64 characters on purpose
    assert _spans(uris.USERINFO_PASSWORD.finditer(text)) == _spans(REFERENCE.finditer(text))
    assert uris.redact(text) == REFERENCE.sub(lambda m: m["head"] + uris.MASK + m["at"], text)


def test_hostile_strings_are_linear() -> None:
    hostile = [
        "x" * 2_000_000,  # no `://`: the plain regex backtracked over the whole run at each position
        "a" * 1_000_000 + "://",
        "s://u:" * 300_000 + " @",
        "s://u:" * 300_000 + "@",
        "a1" * 500_000 + "://u:p@h",
    ]
    for text in hostile:
        started = time.perf_counter()
        list(uris.USERINFO_PASSWORD.finditer(text))
        uris.redact(text)
        assert time.perf_counter() - started < 2.0, text[:20]
