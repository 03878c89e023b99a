"""A bounded memo for pure functions of small keys (the engine's answers, why-not, trace entries).

What the engine remembers must be a pure function of its key, and the key must name everything the
answer reads (the version, the rule, and the values of the fields it tests). The memo is bounded:
when it is full, the answer used least recently makes room for the new one, so memory stays flat over
any number of evaluations (a batch of millions of conducts) and what is asked often stays. (Emptied
whenever it filled, as it was, it recomputed twice as often on generated facts — 3.47 against 1.73
answers computed a document — and each emptying freed thousands of answers at once, up to 16 ms of a
request.) Safe between threads: a lost race computes the same value twice, or drops another answer.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, Generic, Hashable, TypeVar

__all__ = ["Memo"]

V = TypeVar("V")
_ABSENT = object()


class Memo(Generic[V]):
    def __init__(self, limit: int):
        self.limit = limit
        self._values: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        values = self._values
        value = values.get(key, _ABSENT)
        if value is _ABSENT:
            value = compute()
            if len(values) >= self.limit:
                try:
                    values.popitem(last=False)  # the least recently used
                except KeyError:  # pragma: no cover - another thread emptied it meanwhile
                    pass
            values[key] = value
        else:
            try:
                values.move_to_end(key)
            except KeyError:  # pragma: no cover - another thread dropped it meanwhile
                pass
        return value  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return len(self._values)
