"""Choosing exercises from the bank: by topic and difficulty."""

from __future__ import annotations

import random
from typing import Sequence

from .bank import Exercise

__all__ = ["topic_matches", "select"]


def topic_matches(topic: str, prefix: str) -> bool:
    """`art8` matches art8.item1 … art8.item10 (but `art2` not art28.*); `art8.item1` not art8.item10."""
    prefix = prefix.strip()
    if not prefix or prefix.endswith("."):
        return topic.startswith(prefix)
    return topic == prefix or topic.startswith(prefix + ".")


def select(exercises: Sequence[Exercise], *, topic: str | None = None, difficulty: int | None = None,
           count: int | None = None, seed: int | None = None, shuffle: bool = False) -> list[Exercise]:
    """Filter by topic prefix and difficulty; shuffle with `seed` (or at random when `shuffle`); take `count`."""
    chosen = sorted((e for e in exercises
                     if (topic is None or topic_matches(e.topic, topic))
                     and (difficulty is None or e.difficulty == difficulty)), key=lambda e: e.id)
    if seed is not None or shuffle:
        random.Random(seed).shuffle(chosen)
    return chosen if count is None else chosen[:count]
