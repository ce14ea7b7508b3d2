"""`NamedTuple` for the linter's value types, without typing's run-time annotation check.

`typing.NamedTuple` passes every field annotation through `typing._type_check`; under
`from __future__ import annotations` each annotation is a string, which that check compiles
into a `ForwardRef`: 165 `compile()` calls for the 33 classes a cold lint creates, about a
twentieth of its time. Nothing here reads annotations at run time, so at run time this
`NamedTuple` builds the same `collections.namedtuple` class typing builds and keeps the
annotations as written; type checkers see `typing.NamedTuple` itself.
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    _SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})  # as typing.NamedTupleMeta

    class _NamedTupleMeta(type):
        def __new__(mcls, typename: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
            if not bases:  # the `NamedTuple` base itself
                return super().__new__(mcls, typename, bases, namespace)
            annotations = namespace.get("__annotations__", {})
            defaults = [name for name in annotations if name in namespace]
            if defaults and defaults != list(annotations)[-len(defaults):]:
                raise TypeError(f"{typename}: a field without a default follows one with a default")
            cls = collections.namedtuple(typename, list(annotations),
                                         defaults=[namespace[name] for name in defaults],
                                         module=namespace["__module__"])
            cls.__annotations__ = dict(annotations)
            for key, value in namespace.items():  # methods, properties, the docstring, __qualname__
                if key not in _SPECIAL and key not in annotations:
                    setattr(cls, key, value)
            return cls

    class NamedTuple(metaclass=_NamedTupleMeta):
        """Base of a typed named tuple: `class Point(NamedTuple): x: int; y: int = 0`."""
