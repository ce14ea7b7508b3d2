"""records.NamedTuple behaves as typing.NamedTuple does, built without compiling anything."""

from __future__ import annotations

import copy
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
    assert isinstance(ours, tuple) and Point.__qualname__ == "Point" and Point.__module__ == __name__
    assert repr(ours) == repr(theirs).replace("TypedPoint", "Point") == "Point(x=3, y=-4, label=None)"
    assert Point.__match_args__ == TypedPoint.__match_args__ and not hasattr(ours, "__dict__")
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


def test_binding_matches_typing_namedtuple_for_every_call_shape() -> None:
    calls: list[tuple[tuple[object, ...], dict[str, object]]] = [
        ((1,), {}),
        ((1, 2), {}),
        ((1, 2, "l"), {}),
        ((), {"x": 5}),
        ((1,), {"label": "z"}),
        ((), {"label": "z", "x": 2, "y": 3}),
    ]
    for args, kwargs in calls:
        assert Point(*args, **kwargs) == TypedPoint(*args, **kwargs)  # type: ignore[arg-type]


def test_binding_refuses_what_a_call_refuses() -> None:
    bad: list[tuple[tuple[object, ...], dict[str, object], str]] = [
        ((), {}, "missing required argument: 'x'"),
        ((1, 2, 3, 4), {}, "takes 3 arguments but 4 were given"),
        ((1,), {"x": 2}, "multiple values for argument 'x'"),
        ((1,), {"z": 2}, "unexpected keyword argument 'z'"),
    ]
    for args, kwargs, message in bad:
        with pytest.raises(TypeError, match=message):
            Point(*args, **kwargs)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            TypedPoint(*args, **kwargs)  # type: ignore[arg-type]


def test_make_replace_and_fields_are_read_only() -> None:
    point = Point._make([1, 2, "a"])
    assert point == Point(1, 2, "a") and copy.deepcopy(point) == point
    with pytest.raises(TypeError, match="Expected 3 arguments, got 2"):
        Point._make([1, 2])
    with pytest.raises(TypeError, match="unexpected field names: \\['z'\\]"):
        point._replace(z=1)  # type: ignore[call-arg]
    with pytest.raises(AttributeError):
        point.x = 9  # type: ignore[misc]
    match point:
        case Point(x, y):
            assert (x, y) == (1, 2)
