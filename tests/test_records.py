"""records.NamedTuple builds the class typing.NamedTuple builds, minus the annotation check."""

from __future__ import annotations

import pickle
import typing

import pytest

from mlflow_lint.document import Position
from mlflow_lint.finding import Finding
from mlflow_lint.records import NamedTuple


class Point(NamedTuple):
    """A point."""

    x: int
    y: int = 0
    label: str | None = None

    @property
    def norm1(self) -> int:
        return abs(self.x) + abs(self.y)


class TypedPoint(typing.NamedTuple):
    """A point."""

    x: int
    y: int = 0
    label: str | None = None


def test_same_shape_and_behaviour_as_typing_namedtuple() -> None:
    ours, theirs = Point(3, -4), TypedPoint(3, -4)
    assert ours == theirs == (3, -4, None)
    assert Point._fields == TypedPoint._fields and Point._field_defaults == TypedPoint._field_defaults
    assert ours._replace(label="a") == (3, -4, "a") and ours._asdict() == theirs._asdict()
    assert ours.norm1 == 7 and Point.__doc__ == "A point."
    assert Point.__mro__ == (Point, tuple, object) and Point.__qualname__ == "Point"
    assert Point.__annotations__ == {"x": "int", "y": "int", "label": "str | None"}  # as written, unchecked


def test_instances_pickle_as_the_forked_workers_send_them() -> None:
    for value in (Point(1, 2), Position(3, 4, 3, 1)):
        assert pickle.loads(pickle.dumps(value)) == value
    assert Finding.__module__ == "mlflow_lint.finding"


def test_a_field_without_default_after_one_with_default_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default follows"):
        class Bad(NamedTuple):
            a: int = 1
            b: int
