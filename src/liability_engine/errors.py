"""One error hierarchy with structured fields, for facts files and rule files alike.

Every problem names where (file, line, column, dotted field, rule id), what (the bad value and a
message), what is allowed, and a suggestion. Printing is left to the caller: `str()` gives one
line per problem, `problems` the data.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Sequence

__all__ = ["Problem", "LiabilityError", "FactsError", "RulesError", "EngineFailure", "did_you_mean"]


def did_you_mean(value: Any, allowed: Iterable[Any]) -> str | None:
    """The closest allowed value to a misspelt one, or None."""
    choices = [str(a) for a in allowed]
    if not isinstance(value, str) or not choices:
        return None
    match = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if match:
        return match[0]
    lowered = {c.lower(): c for c in choices}
    return lowered.get(value.lower())


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None
    value: Any = None
    allowed: Sequence[str] | None = None
    suggestion: str | None = None
    rule_id: str | None = None
    message_zh: str | None = None  # the same message in Chinese, where it has been written

    def in_language(self, lang: str) -> "Problem":
        """This problem with its message in `lang` (zh where a Chinese message exists)."""
        if lang == "zh" and self.message_zh:
            from dataclasses import replace

            return replace(self, message=self.message_zh)
        return self

    def location(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        parts = [self.location() + ":"] if self.path or self.line is not None else []
        if self.rule_id:
            parts.append(f"rule {self.rule_id}:")
        if self.field:
            parts.append(f"{self.field}:")
        parts.append(self.message)
        text = " ".join(parts)
        if self.allowed:
            shown = list(self.allowed)
            more = f" … ({len(shown) - 30} more)" if len(shown) > 30 else ""
            text += f"; allowed: {', '.join(map(str, shown[:30]))}{more}"
        if self.suggestion:
            text += f"; did you mean '{self.suggestion}'?"
        return text

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if data["allowed"] is not None:
            data["allowed"] = list(data["allowed"])
        return {k: v for k, v in data.items() if v is not None}


class LiabilityError(Exception):
    """Base of every error the library raises on purpose."""

    kind = "input"

    def __init__(self, problems: Problem | Sequence[Problem]):
        self.problems: list[Problem] = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    # The first problem's fields, for callers that expect a single location.
    @property
    def path(self) -> str | None:
        return self.problems[0].path if self.problems else None

    @property
    def line(self) -> int | None:
        return self.problems[0].line if self.problems else None

    @property
    def field(self) -> str | None:
        return self.problems[0].field if self.problems else None

    @property
    def allowed(self) -> Sequence[str] | None:
        return self.problems[0].allowed if self.problems else None

    @property
    def suggestion(self) -> str | None:
        return self.problems[0].suggestion if self.problems else None


class FactsError(LiabilityError, ValueError):
    """A facts file (liability-facts/1) is unreadable or invalid."""

    kind = "facts"


class RulesError(LiabilityError, ValueError):
    """A rulebook (rules/**/*.yaml) is unreadable or invalid."""

    kind = "rules"


class EngineFailure(RuntimeError):
    """The rule engine misbehaved (a bug, not bad input)."""

