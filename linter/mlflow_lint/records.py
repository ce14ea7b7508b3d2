"""`NamedTuple` for the linter's value types, built without compiling anything at run time.

`typing.NamedTuple` passes every field annotation through `typing._type_check`, which under
`from __future__ import annotations` compiles each string into a `ForwardRef`, and then
`collections.namedtuple` compiles each class's `__new__` from source with `eval`. For the 36
classes a cold lint creates that was about a tenth of its instructions (callgrind), plus the
import of `typing` itself.

At run time a class written `class Point(NamedTuple): x: int; y: int = 0` is a tuple
subclass of `Record`, which holds the behaviour once for all of them: construction by
position or keyword with defaults, the fields as read-only properties, `_fields`,
`_field_defaults`, `_make`, `_replace`, `_asdict`, `__match_args__`, a `repr` and pickling,
as `collections.namedtuple` gives. Type checkers see `typing.NamedTuple` itself.
"""

from __future__ import annotations

from mlflow_lint import runtime

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; mypy knows the name
if TYPE_CHECKING or not runtime.SPEEDUPS:  # MLFLOW_LINT_NO_SPEEDUPS=1: the standard library's own
    from typing import NamedTuple as NamedTuple
else:
    from operator import itemgetter

    _SPECIAL = frozenset({"__module__", "__annotations__"})

    class Record(tuple):
        """What every record class shares; each adds `_fields`, `_field_defaults` and properties."""

        __slots__ = ()
        _fields = ()

        def __new__(cls, *args, **kwargs):
            if kwargs or len(args) != len(cls._fields):
                args = _bind(cls, args, kwargs)
            return tuple.__new__(cls, args)

        @classmethod
        def _make(cls, iterable):
            values = tuple.__new__(cls, iterable)
            if len(values) != len(cls._fields):
                raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(values)}")
            return values

        def _replace(self, **changes):
            values = self._make(map(changes.pop, self._fields, self))
            if changes:
                raise TypeError(f"Got unexpected field names: {list(changes)!r}")
            return values

        def _asdict(self):
            return dict(zip(self._fields, self, strict=True))

        def __repr__(self):
            inner = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True))
            return f"{type(self).__name__}({inner})"

        def __getnewargs__(self):
            return tuple(self)

    def _bind(cls, args, kwargs):
        """Positional and keyword arguments to the full tuple of values, as a call would bind them."""
        fields, name = cls._fields, cls.__name__
        if len(args) > len(fields):
            raise TypeError(f"{name}() takes {len(fields)} arguments but {len(args)} were given")
        values = list(args)
        for field in fields[len(args) :]:
            if field in kwargs:
                values.append(kwargs.pop(field))
            elif field in cls._field_defaults:
                values.append(cls._field_defaults[field])
            else:
                raise TypeError(f"{name}() missing required argument: {field!r}")
        for key in kwargs:
            problem = "multiple values for" if key in fields else "an unexpected keyword"
            raise TypeError(f"{name}() got {problem} argument {key!r}")
        return tuple(values)

    class _NamedTupleMeta(type):
        def __new__(mcls, typename, bases, namespace):
            if not bases:  # the `NamedTuple` base itself
                return super().__new__(mcls, typename, bases, namespace)
            annotations = namespace.get("__annotations__", {})
            fields = tuple(annotations)
            defaults = {name: namespace[name] for name in fields if name in namespace}
            if list(defaults) != list(fields[len(fields) - len(defaults) :]):
                raise TypeError(f"{typename}: a field without a default follows one with a default")
            body = {key: value for key, value in namespace.items() if key not in _SPECIAL}
            body.update(
                {
                    name: property(itemgetter(index), doc=f"Alias for field number {index}")
                    for index, name in enumerate(fields)
                }
            )
            body.update(
                __slots__=(),
                _fields=fields,
                _field_defaults=defaults,
                __match_args__=fields,
                __module__=namespace["__module__"],
                __annotations__=dict(annotations),
            )
            return type(typename, (Record,), body)

    class NamedTuple(metaclass=_NamedTupleMeta):
        """Base of a typed record: `class Point(NamedTuple): x: int; y: int = 0`."""
