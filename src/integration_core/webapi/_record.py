"""Immutable values built per request: a tuple underneath, so making one is a single C call."""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

__all__ = ["Record"]


class Record(tuple[Any, ...]):
    """
    A frozen value with named fields, as cheap to build as a tuple.

    ``attrs`` classes set each field through ``object.__setattr__`` when frozen;
    per request that costs more than the trie walk. A subclass names its fields in
    ``fields`` and reads them with properties; hot paths build it with
    ``tuple.__new__(cls, values)``. Equality, hashing, ``repr`` and pickling are those of
    a value of its own class, as with ``attrs``: never equal to a plain tuple nor to
    another class, and not ordered.

    Example:
        >>> class Pair(Record):
        ...     __slots__ = ()
        ...     fields = ("left", "right")
        >>> pair = tuple.__new__(Pair, (1, "a"))
        >>> pair, pair == (1, "a"), pair == tuple.__new__(Pair, (1, "a"))
        (Pair(left=1, right='a'), False, True)
    """

    __slots__ = ()
    fields: ClassVar[tuple[str, ...]] = ()

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return tuple.__eq__(self, other)
        # A plain tuple would answer by its items if asked the reflected question.
        return False if isinstance(other, tuple) else NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((type(self).__name__, *self))

    def __lt__(self, other: object) -> NoReturn:
        raise TypeError(f"{type(self).__name__} values are not ordered")

    __le__ = __gt__ = __ge__ = __lt__

    def __repr__(self) -> str:
        values = ", ".join(
            f"{name}={value!r}" for name, value in zip(self.fields, self, strict=True)
        )
        return f"{type(self).__name__}({values})"

    def __getnewargs__(self) -> tuple[Any, ...]:
        # Pickle and copy rebuild through __new__ with the fields, not with one tuple.
        return tuple(self)
