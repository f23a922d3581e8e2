"""The quick constructor of frozen dataclasses builds the same instances as dataclasses does."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar

import pytest

from lowcarbon.core.records import cached, quick_init


@dataclass(frozen=True)
class _Plain:
    a: int
    b: str = "b"
    c: list[int] = field(default_factory=list)


@quick_init
@dataclass(frozen=True)
class _Quick:
    a: int
    b: str = "b"
    c: list[int] = field(default_factory=list)


def test_same_fields_defaults_and_factories() -> None:
    assert dataclasses.astuple(_Quick(1)) == dataclasses.astuple(_Plain(1)) == (1, "b", [])
    assert dataclasses.astuple(_Quick(1, "x", [2])) == (1, "x", [2])
    assert _Quick(1) == _Quick(a=1) != _Quick(1, "x")
    assert _Quick(1).c is not _Quick(1).c  # a fresh list each time, as the factory gives
    assert repr(_Quick(2)).endswith("(a=2, b='b', c=[])")


def test_still_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        _Quick(1).a = 2  # type: ignore[misc]


def test_refuses_what_it_cannot_serve_alike() -> None:
    class NotDataclass:
        pass

    @dataclass
    class Mutable:
        a: int

    @dataclass(frozen=True, slots=True)
    class Slotted:
        a: int

    @dataclass(frozen=True)
    class PostInit:
        a: int

        def __post_init__(self) -> None:
            pass

    @dataclass(frozen=True)
    class WithClassVar:
        a: int
        b: ClassVar[int] = 1

    @dataclass(frozen=True)
    class NotInInit:
        a: int
        b: int = field(default=0, init=False)

    for cls in (NotDataclass, Mutable, Slotted, PostInit, WithClassVar, NotInInit):
        with pytest.raises(TypeError, match="quick_init serves plain frozen dataclasses"):
            quick_init(cls)


class _Counted:
    def __init__(self) -> None:
        self.calls = 0

    @cached
    def value(self) -> int:
        """Counts its calls."""
        self.calls += 1
        return 42


def test_cached_works_out_once_per_instance() -> None:
    item = _Counted()
    assert (item.value, item.value, item.calls) == (42, 42, 1)
    assert _Counted().value == 42
    # On the class: the descriptor itself, with the function's documentation.
    assert isinstance(_Counted.value, cached)
    assert _Counted.value.__doc__ == "Counts its calls."
