"""One error hierarchy with structured fields, for facts files and rule files alike.

Every problem names where (file, line, column, dotted field, rule id), what (the bad value and a
message), what is allowed, and a suggestion. Printing is left to the caller: `str()` gives one
line per problem, `problems` the data.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Sequence

__all__ = ["Problem", "LiabilityError", "FactsError", "RulesError", "EngineFailure", "did_you_mean", "os_reason",
           "writable"]

# the CJK Unified Ideographs block: a value written in Chinese words (a code point range, not a word)
_CJK_FIRST, _CJK_LAST = 0x4E00, 0x9FFF


# errno -> the catalogue's words (input_guard.os.*): the operating system's own (strerror) are English under LANG=C
# and in the locale's language otherwise, never the --lang the user chose
_ERRNO_WORDS = {"EACCES": "permission_denied", "EPERM": "permission_denied", "ENOENT": "no_such_file",
                "EISDIR": "is_a_folder", "ENOTDIR": "not_a_folder", "ENOSPC": "no_space", "EDQUOT": "no_space",
                "EROFS": "read_only", "EEXIST": "exists", "ELOOP": "link_loop", "ENAMETOOLONG": "name_too_long",
                "EIO": "io_error", "ENXIO": "no_device", "ETXTBSY": "busy", "EBUSY": "busy"}


def os_reason(exc: BaseException) -> Any:
    """Why the operating system refused (an OSError), in both languages where the catalogue has words for it,
    else in the system's own words; never Python's "[Errno 13] …: 'path'" (the path is said beside it)."""
    import errno as _errno

    name = _errno.errorcode.get(getattr(exc, "errno", None) or -1)
    if name in _ERRNO_WORDS:
        from .i18n import msg

        return msg(f"input_guard.os.{_ERRNO_WORDS[name]}")
    return getattr(exc, "strerror", None) or exc


def writable(value: Any) -> Any:
    """Text that UTF-8 can write: a file name that is not UTF-8 (a GBK name from an archive, read by Python as
    lone surrogates) is written as stderr writes it, `bad\\udcff.json`, instead of failing the whole output."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
        return value
    if isinstance(value, dict):
        return {k: writable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [writable(v) for v in value]
    return value


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
    # the allowed values and the suggestion in the Chinese words of rules/vocabulary.yaml, when they are
    # values of the facts contract (a facts file may be written in either)
    allowed_zh: Sequence[str] | None = None
    suggestion_zh: str | None = None

    def location(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """One line: where, the rule, the field, what is wrong, what is allowed, a did-you-mean; the
        program's words in `lang` (the message too, when it comes from the catalogue)."""
        from .i18n import localized, text

        parts = [self.location() + ":"] if self.path or self.line is not None else []
        if self.rule_id:
            parts.append(text("problem.rule", lang, rule=self.rule_id))
        if self.field:
            parts.append(f"{self.field}:")
        parts.append(localized(self.message, lang))
        out = " ".join(parts)
        allowed = self.allowed_zh if lang == "zh" and self.allowed_zh else self.allowed
        if allowed:
            shown = list(allowed)
            # between the allowed values, the separator of their own language (Chinese words, or the contract's codes)
            sep = text("problem.allowed_sep", "zh" if allowed is self.allowed_zh else "en")
            out += text("problem.allowed", lang, values=sep.join(map(str, shown[:30])))
            if len(shown) > 30:
                out += text("problem.more", lang, count=len(shown) - 30)
        chinese_value = isinstance(self.value, str) and any(_CJK_FIRST <= ord(ch) <= _CJK_LAST for ch in self.value)
        if self.suggestion and self.suggestion_zh and (lang == "zh" or chinese_value):
            out += text("problem.did_you_mean_word", lang, suggestion=self.suggestion, word=self.suggestion_zh)
        elif self.suggestion:
            out += text("problem.did_you_mean", lang, suggestion=self.suggestion)
        return out

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("allowed", "allowed_zh"):
            if data[name] is not None:
                data[name] = list(data[name])
        zh = getattr(self.message, "zh", None)
        data["message"] = str(self.message)
        out = {k: v for k, v in data.items() if v is not None}
        if zh is not None:
            out["message_zh"] = zh
        return out


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

