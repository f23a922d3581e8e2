"""A faster constructor for the frozen dataclasses the engine builds by the thousand, and a
lighter cached property.

A frozen dataclass's generated ``__init__`` sets each field through ``object.__setattr__`` (its
own ``__setattr__`` refuses), which makes building an inventory line of fifteen fields several
times dearer than the arithmetic behind it. :func:`quick_init` gives such a class an
``__init__`` with the same parameters and defaults that fills the instance's ``__dict__``
directly: the instance is the same (same fields, equality, hash, repr, still frozen).

Apply it under ``@dataclass(frozen=True)``; it refuses classes it cannot serve alike (slots,
``__post_init__``, class or init-only variables, fields outside ``__init__``)::

    @quick_init
    @dataclass(frozen=True)
    class Amount: ...
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

__all__ = ["cached", "quick_init"]

_Class = TypeVar("_Class", bound=type)

_MISSING: Any = dataclasses.MISSING


def quick_init(cls: _Class) -> _Class:
    """``cls`` (a frozen dataclass) with an ``__init__`` that fills ``__dict__`` directly."""
    params = getattr(cls, "__dataclass_params__", None)
    fields = dataclasses.fields(cls) if params is not None else ()
    if (
        params is None
        or not params.frozen
        or "__slots__" in cls.__dict__
        or hasattr(cls, "__post_init__")
        # Class and init-only variables, fields left out of __init__: not served alike.
        or len(fields) != len(getattr(cls, "__dataclass_fields__", ()))
        or not all(field.init for field in fields)
    ):
        raise TypeError(f"quick_init serves plain frozen dataclasses, not {cls.__name__}")
    names: list[str] = []
    lines: list[str] = []
    namespace: dict[str, Any] = {"_MISSING": _MISSING}
    for field in fields:
        name = field.name
        if field.default is not _MISSING:
            namespace[f"_default_{name}"] = field.default
            names.append(f"{name}=_default_{name}")
        elif field.default_factory is not _MISSING:
            namespace[f"_factory_{name}"] = field.default_factory
            names.append(f"{name}=_MISSING")
            lines.append(f"    if {name} is _MISSING:\n        {name} = _factory_{name}()\n")
        else:
            names.append(name)
        lines.append(f"    __fields['{name}'] = {name}\n")
    source = (
        f"def __init__(__self, {', '.join(names)}):\n"
        "    __fields = __self.__dict__\n" + "".join(lines)
    )
    exec(source, namespace)  # the way dataclasses builds its own __init__
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[misc]
    return cls


_Owner = TypeVar("_Owner")
_Value = TypeVar("_Value")


class cached(Generic[_Owner, _Value]):
    """A property worked out once per instance and kept in its ``__dict__``.

    What :func:`functools.cached_property` does (from Python 3.12 on without a lock; 3.11's takes
    a lock on every first access, a good part of the cost of an inventory's totals). Like it,
    it serves classes with a ``__dict__``, frozen dataclasses included."""

    def __init__(self, function: Callable[[_Owner], _Value]) -> None:
        self._function = function
        self._name = function.__name__
        self.__doc__ = function.__doc__

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> cached[_Owner, _Value]: ...

    @overload
    def __get__(self, instance: _Owner, owner: type[Any] | None = None) -> _Value: ...

    def __get__(
        self, instance: _Owner | None, owner: type[Any] | None = None
    ) -> cached[_Owner, _Value] | _Value:
        if instance is None:
            return self
        value = instance.__dict__[self._name] = self._function(instance)
        return value
