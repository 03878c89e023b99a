"""A bounded memo for pure functions of small keys (the engine's answers, why-not, trace entries).

What the engine remembers must be a pure function of its key, and the key must name everything the
answer reads (the version, the rule, and the values of the fields it tests). The memo is bounded:
when it reaches its size it is emptied, so memory stays flat over any number of evaluations (a
batch of millions of conducts), at the cost of recomputing what was dropped. Safe between threads:
a lost race computes the same value twice.
"""

from __future__ import annotations

from typing import Any, Callable, Generic, Hashable, TypeVar

__all__ = ["Memo"]

V = TypeVar("V")
_ABSENT = object()


class Memo(Generic[V]):
    def __init__(self, limit: int):
        self.limit = limit
        self._values: dict[Hashable, Any] = {}

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        value = self._values.get(key, _ABSENT)
        if value is _ABSENT:
            if len(self._values) >= self.limit:
                self._values.clear()
            value = self._values[key] = compute()
        return value  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return len(self._values)
