"""The pure-Python evaluator of compiled rulesets: same conditions, no C engine.

It answers why-not questions (which condition failed), serves as the differential oracle for
the durable-rules backend in the tests, and is the exit path should durable-rules be dropped
(`Engine(..., backend="python")`).
"""

from __future__ import annotations

from typing import Any

from .ruleset import Ruleset
from ..rulebook.conditions import evaluate

__all__ = ["PythonBackend"]


class PythonBackend:
    name = "python"

    def prepare(self, ruleset: Ruleset) -> None:
        return None

    def fire(self, ruleset: Ruleset, fact: dict[str, Any]) -> list[str]:
        return [rule_id for rule_id, cond in ruleset.rules if evaluate(cond, fact)]
